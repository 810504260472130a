"""Results from the per-survey aggregates equal the raw GROUP BY over every answer, on SQLite and
PostgreSQL: after new responses, after a refresh, after deletions and question changes."""

from __future__ import annotations

import math
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from portal.extensions import db
from portal.models import AggregateCell, Question, Response, ResultsAggregate, Survey
from portal.results import aggregates, services
from portal.results.counts import counts_between


@pytest.fixture(autouse=True)
def request_context(app):
    """Labels are translated: the services run inside a request."""
    with app.test_request_context():
        yield


def _same(a: Any, b: Any, path: str = "") -> None:
    """Assert two page data structures are equal, floats to 1e-9 (sums in another order)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), path
        for key in a:
            _same(a[key], b[key], f"{path}/{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}/{i}")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), path
    else:
        assert a == b, path


def _page_and_raw(survey_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the page data (aggregates) and the same built from the raw GROUP BYs."""
    db.session.expire_all()
    survey = services.survey_by_id(survey_id)
    assert survey is not None
    page = services.survey_results(survey)
    raw = services.survey_results(survey, counts=counts_between(
        db.session, aggregates.survey_plan(survey)))
    db.session.commit()  # as the request would: a rebuild or a fold is kept
    return page, raw


def _state(survey_id: int) -> ResultsAggregate | None:
    db.session.expire_all()
    return db.session.scalar(select(ResultsAggregate).where(
        ResultsAggregate.survey_id == survey_id))


def _max_id(survey_id: int) -> int:
    return int(db.session.scalar(select(Response.id).where(Response.survey_id == survey_id)
                                 .order_by(Response.id.desc()).limit(1)) or 0)


def _modes(survey: Survey, every: int, mode: str) -> None:
    """Mark every n-th response of the survey as collected another way."""
    ids = db.session.scalars(select(Response.id).where(Response.survey_id == survey.id)).all()
    db.session.execute(update(Response).where(Response.id.in_(ids[::every]))
                       .values(collection_mode=mode))
    db.session.commit()


@pytest.fixture
def survey(make_city, make_survey, add_responses) -> Survey:
    """A survey of 150 synthetic responses, some by device and on paper, k = 5."""
    found = make_survey(make_city(disclosure_threshold=5))
    add_responses(found, 150, seed=3, days=30)
    _modes(found, 4, "device")
    _modes(found, 9, "paper")
    return found


def test_page_data_equals_raw_group_by_after_new_responses_and_refresh(survey, add_responses):
    page, raw = _page_and_raw(survey.id)
    _same(page, raw)
    assert page["respondents"]["value"] == 150
    assert any(b["key"] == "collection_mode" for b in page["subscales"][0]["breakdowns"])
    assert any(len(b["groups"]) > 2 for b in page["subscales"][0]["breakdowns"])
    state = _state(survey.id)
    assert state is not None and state.plan_key and state.mark == _max_id(survey.id)
    first_mark = state.mark

    add_responses(survey, 37, seed=11, days=40)  # above the mark, below FOLD_AT
    page, raw = _page_and_raw(survey.id)
    _same(page, raw)
    assert page["respondents"]["value"] == 187
    assert _state(survey.id).mark == first_mark  # added at read time, not folded

    assert aggregates.refresh_aggregates(survey.id) == 37
    db.session.commit()
    assert _state(survey.id).mark == _max_id(survey.id)
    assert aggregates.refresh_aggregates(survey.id) == 0  # idempotent
    db.session.commit()
    page, raw = _page_and_raw(survey.id)
    _same(page, raw)


def test_the_page_reads_the_stored_aggregates_not_the_answers(survey):
    _page_and_raw(survey.id)
    # Change a stored count behind the page's back: the page shows it, so it read the cells.
    db.session.execute(update(AggregateCell).where(
        AggregateCell.survey_id == survey.id, AggregateCell.kind == "week",
        AggregateCell.mode == "web").values(n=AggregateCell.n + 1000))
    db.session.commit()
    page, raw = _page_and_raw(survey.id)
    assert raw["respondents"]["value"] == 150
    assert page["respondents"]["value"] > 1000


def test_a_page_folds_new_responses_in_past_the_threshold(survey, add_responses, monkeypatch):
    _page_and_raw(survey.id)
    monkeypatch.setattr(aggregates, "FOLD_AT", 10)
    add_responses(survey, 12, seed=5)
    page, raw = _page_and_raw(survey.id)
    _same(page, raw)
    assert _state(survey.id).mark == _max_id(survey.id)


def test_deleted_and_changed_responses_make_the_aggregates_stale_then_rebuilt(survey):
    _page_and_raw(survey.id)
    ids = db.session.scalars(select(Response.id).where(Response.survey_id == survey.id)
                             .order_by(Response.id)).all()
    db.session.execute(delete(Response).where(Response.id.in_(ids[:40])))  # an erasure
    db.session.commit()
    assert _state(survey.id).plan_key == ""
    page, raw = _page_and_raw(survey.id)
    _same(page, raw)
    assert page["respondents"]["value"] == 110

    db.session.execute(update(Response).where(Response.id.in_(ids[40:70]))
                       .values(collection_mode="paper"))
    db.session.commit()
    assert _state(survey.id).plan_key == ""
    page, raw = _page_and_raw(survey.id)
    _same(page, raw)


def test_a_changed_question_plan_rebuilds_the_aggregates(survey):
    page, _ = _page_and_raw(survey.id)
    key = _state(survey.id).plan_key
    question = db.session.scalar(select(Question).where(
        Question.survey_id == survey.id, Question.name == "bel_1"))
    question.reverse = not question.reverse
    db.session.commit()
    changed, raw = _page_and_raw(survey.id)
    _same(changed, raw)
    assert _state(survey.id).plan_key != key
    assert changed["subscales"][0]["overall"]["mean"] != page["subscales"][0]["overall"]["mean"]


def test_deleting_a_survey_deletes_its_aggregates(survey):
    _page_and_raw(survey.id)
    survey_id = survey.id
    db.session.delete(db.session.get(Survey, survey_id))
    db.session.commit()
    assert _state(survey_id) is None
    assert not db.session.scalars(select(AggregateCell).where(
        AggregateCell.survey_id == survey_id)).all()


def test_the_results_page_over_http_after_new_responses(client, login, make_user, survey,
                                                       add_responses):
    login(make_user("member", city=survey.city))
    url = f"/c/{survey.city.slug}/results/{survey.slug}"
    assert client.get(url).status_code == 200
    assert _state(survey.id).plan_key
    add_responses(survey, 20, seed=9)
    page = client.get(url).get_data(as_text=True)
    assert 'data-cell="respondents///total/count" data-status="">170</td>' in page
    db.session.rollback()
    _same(*_page_and_raw(survey.id))


def test_cli_refresh_folds_every_survey_and_refuses_an_unknown_one(runner, survey,
                                                                  add_responses):
    result = runner.invoke(args=["results", "refresh"])
    assert result.exit_code == 0, result.output
    assert f"Survey {survey.id}: 150 new responses folded in." in result.output
    add_responses(survey, 5, seed=2)
    result = runner.invoke(args=["results", "refresh", "--survey", str(survey.id)])
    assert f"Survey {survey.id}: 5 new responses folded in." in result.output
    result = runner.invoke(args=["results", "refresh", "--survey", "999999"])
    assert result.exit_code == 1 and "no survey with id 999999" in result.output
    db.session.rollback()
    assert _state(survey.id).mark == _max_id(survey.id)


def test_the_survey_list_counts_from_the_aggregates_plus_the_newer_responses(survey,
                                                                            add_responses):
    city = survey.city
    assert services.city_surveys(city)[0]["responses"]["value"] == 150  # no aggregates yet
    _page_and_raw(survey.id)
    add_responses(survey, 20, seed=4)
    assert services.city_surveys(city)[0]["responses"]["value"] == 170
    db.session.execute(update(ResultsAggregate).where(ResultsAggregate.survey_id == survey.id)
                       .values(responses=ResultsAggregate.responses + 500))
    db.session.commit()  # the list reads the stored count, not every response
    assert services.city_surveys(city)[0]["responses"]["value"] == 670
    db.session.execute(delete(Response).where(Response.id == _max_id(survey.id)))
    db.session.commit()  # stale aggregates: counted from the responses again
    assert services.city_surveys(city)[0]["responses"]["value"] == 169


def test_a_survey_answered_beside_a_busier_one_reads_only_its_own_answers(
        survey, make_survey, add_responses, monkeypatch):
    other = make_survey(survey.city, slug="busier")
    _page_and_raw(survey.id)
    add_responses(survey, 3, seed=21)
    add_responses(other, 60, seed=22)  # ids past the first survey's new ones
    add_responses(survey, 2, seed=23)
    page, raw = _page_and_raw(survey.id)
    _same(page, raw)
    assert page["respondents"]["value"] == 155
    monkeypatch.setattr(aggregates, "FOLD_SPAN", 10)  # its new ids lie far apart: fold them
    page, raw = _page_and_raw(survey.id)
    _same(page, raw)
    assert _state(survey.id).mark == _max_id(survey.id)
    other_page, other_raw = _page_and_raw(other.id)
    _same(other_page, other_raw)
    assert other_page["respondents"]["value"] == 60


def _total(html: str) -> str:
    import re

    found = re.search(r'data-cell="respondents///total/count" data-status="[^"]*">([^<]*)<', html)
    assert found, html[:500]
    return found.group(1)


def test_a_warm_page_is_the_same_page_and_changes_with_its_data(
        client, login, make_user, survey, add_responses, app):
    from portal.results import page as results_page

    login(make_user("member", city=survey.city))
    url = f"/c/{survey.city.slug}/results/{survey.slug}"
    first = client.get(url).get_data(as_text=True)  # builds the aggregates: no key yet
    second = client.get(url).get_data(as_text=True)
    third = client.get(url).get_data(as_text=True)
    assert second == third and _total(third) == "150"  # the stored body, byte for byte
    import re

    def ids(html: str) -> str:  # each render names its charts afresh
        return re.sub(r"chart-[0-9a-f]+", "chart-", html)

    assert ids(first) == ids(second)
    assert len(results_page.memo_for(app).items) == 1
    add_responses(survey, 3, seed=31)
    assert _total(client.get(url).get_data(as_text=True)) == "153"
    db.session.execute(delete(Response).where(Response.id == _max_id(survey.id)))
    db.session.commit()
    assert _total(client.get(url).get_data(as_text=True)) == "152"
    survey.city.disclosure_threshold = 200
    db.session.commit()
    assert _total(client.get(url).get_data(as_text=True)) == ""  # k = 200 > 152: not shown
    arabic = client.get(f"{url}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic and 'direction="rtl"' in arabic
