"""The city dashboard counts the open surveys' responses from the results aggregates."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, func, select, update

from portal.cities.services import status_of
from portal.extensions import db
from portal.models import City, Response, ResultsAggregate, Survey
from portal.results.aggregates import refresh_aggregates
from portal.testing import fake


def _raw_count(city: City) -> int:
    """COUNT(*) of every response of the city's open surveys: what the dashboard must equal."""
    return int(db.session.scalar(select(func.count()).select_from(Response).join(Survey).where(
        Survey.city_id == city.id, Survey.status == "open")) or 0)


def _survey(city: City, slug: str, responses: int, seed: int) -> Survey:
    survey = fake.build_demo_survey(city, slug=slug)
    fake.insert_responses(survey, responses, seed=seed)
    db.session.commit()
    return survey


def _dashboard_number(client: Any, city: City) -> int:
    page = client.get(f"/c/{city.slug}/").get_data(as_text=True)
    found = re.search(r"Responses so far to the open surveys</dt><dd>(\d+)</dd>", page)
    assert found is not None, page
    return int(found.group(1))


def test_the_response_count_equals_count_star_through_every_state_of_the_aggregates(
        make_city: Callable[..., City], make_user: Callable[..., Any],
        login: Callable[..., Any]) -> None:
    city, elsewhere = make_city(), make_city()
    first = _survey(city, "first", 40, seed=1)
    _survey(city, "second", 25, seed=2)  # never refreshed: counted from its responses
    closed = _survey(city, "closed", 7, seed=3)
    closed.status = "closed"
    _survey(elsewhere, "theirs", 11, seed=4)
    db.session.commit()
    client = login(make_user("member", city=city))

    assert status_of(city).responses == _raw_count(city) == 65  # no aggregates yet
    assert status_of(city).open_surveys == 2
    refresh_aggregates(first.id)
    db.session.commit()
    assert status_of(city).responses == _raw_count(city) == 65  # stored count, nothing above
    fake.insert_responses(first, 9, seed=5)
    db.session.commit()
    assert status_of(city).responses == _raw_count(city) == 74  # stored + above the mark
    assert _dashboard_number(client, city) == 74
    newest = db.session.scalar(select(func.max(Response.id)).where(Response.survey_id == first.id))
    db.session.execute(delete(Response).where(Response.id == newest))
    db.session.commit()  # the aggregates go stale: counted from the responses again
    assert status_of(city).responses == _raw_count(city) == 73
    assert status_of(elsewhere).responses == 11


def test_the_dashboard_reads_the_stored_count_not_every_response(
        make_city: Callable[..., City]) -> None:
    city = make_city()
    survey = _survey(city, "only", 12, seed=6)
    refresh_aggregates(survey.id)
    db.session.execute(update(ResultsAggregate).where(ResultsAggregate.survey_id == survey.id)
                       .values(responses=ResultsAggregate.responses + 1000))
    db.session.commit()  # a number only the aggregates hold
    assert status_of(city).responses == 1012
