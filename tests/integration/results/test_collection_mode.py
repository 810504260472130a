"""Results broken down by how the answers were collected, under disclosure control."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from portal.extensions import db
from portal.models import Response
from portal.results import services


@pytest.fixture(autouse=True)
def request_context(app):
    """Labels are translated: the services run inside a request."""
    with app.test_request_context():
        yield


def _answer(add_response, survey, mode, n, point=4):
    for _ in range(n):
        response = add_response(survey, {"bel_1": point, "bel_2": point, "bel_3": point})
        db.session.execute(update(Response).where(Response.id == response.id)
                           .values(collection_mode=mode))
    db.session.commit()


def _mode_breakdown(survey):
    sub = services.survey_results(survey)["subscales"][0]
    found = [b for b in sub["breakdowns"] if b["key"] == "collection_mode"]
    return found[0] if found else None


def test_results_break_down_by_collection_mode_and_hide_small_groups(
        make_city, make_survey, add_response):
    survey = make_survey(make_city(disclosure_threshold=10))
    _answer(add_response, survey, "web", 15, point=4)
    _answer(add_response, survey, "device", 12, point=2)
    _answer(add_response, survey, "paper", 3, point=5)
    breakdown = _mode_breakdown(survey)
    assert breakdown is not None and breakdown["label"] == "Collection mode"
    groups = {g["key"]: g for g in breakdown["groups"]}
    assert list(groups) == ["web", "device", "paper"]  # never "not stated"
    assert groups["paper"]["n"]["suppressed"] and groups["paper"]["summary"]["mean"] is None
    # 3 hidden paper responses could be recomputed from the total: a second group is hidden.
    assert groups["device"]["n"]["suppressed"]
    assert groups["web"]["n"]["value"] == 15 and not groups["web"]["n"]["suppressed"]
    assert groups["device"]["label"] == "Enumerator device (ODK Collect)"


def test_a_survey_answered_only_online_shows_no_collection_mode_breakdown(
        make_city, make_survey, add_response):
    survey = make_survey(make_city(disclosure_threshold=5))
    _answer(add_response, survey, "web", 12)
    assert _mode_breakdown(survey) is None
