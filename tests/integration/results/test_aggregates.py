"""The GROUP BY queries give the numbers the pure scoring functions give, on SQLite and
PostgreSQL."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import select

from portal.analysis.scoring import moments, subscale_score, summary_from_moments
from portal.extensions import db
from portal.models import Answer, Question, Response
from portal.results import services
from portal.testing.fake import ITEMS


@pytest.fixture(autouse=True)
def request_context(app):
    """Labels are translated: the services run inside a request."""
    with app.test_request_context():
        yield


def _subscale(data, name):
    return next(s for s in data["subscales"] if s["name"] == name)


def test_hand_computed_mean_and_interval(make_city, make_survey, add_response):
    city = make_city(disclosure_threshold=5)
    survey = make_survey(city)
    # belonging = bel_1, bel_2, bel_3 (reversed): five score 2.0, five score 4.0.
    for _ in range(5):
        add_response(survey, {"bel_1": 2, "bel_2": 2, "bel_3": 4})
    for _ in range(5):
        add_response(survey, {"bel_1": 4, "bel_2": "dk", "bel_3": 2})
    overall = _subscale(services.survey_results(survey), "belonging")["overall"]
    assert overall["n"] == 10
    assert overall["mean"] == pytest.approx(3.0)
    # sd = sqrt(10/9) = 1.054093; se = sd / sqrt(10) = 1/3; t(0.975, 9) = 2.262157; half = 0.754052
    assert overall["ci_low"] == pytest.approx(2.245948, abs=1e-6)
    assert overall["ci_high"] == pytest.approx(3.754052, abs=1e-6)
    assert overall["index"]["mean"] == pytest.approx(50.0)
    assert overall["index"]["ci_low"] == pytest.approx(31.1487, abs=1e-4)


def test_dont_know_is_never_a_scale_point_and_half_rule_applies(
    make_city, make_survey, add_response
):
    city = make_city(disclosure_threshold=5)
    survey = make_survey(city)
    for _ in range(6):
        add_response(survey, {"bel_1": 5, "bel_2": "dk", "bel_3": "pn"})  # 1 of 3: not scored
        add_response(survey, {"bel_1": 5, "bel_2": 3, "bel_3": "dk"})  # 2 of 3: mean 4
    overall = _subscale(services.survey_results(survey), "belonging")["overall"]
    assert overall["n"] == 6
    assert overall["mean"] == pytest.approx(4.0)


def test_subscale_moments_match_python_scoring_of_every_respondent(
    make_city, make_survey, add_responses
):
    city = make_city()
    survey = make_survey(city)
    add_responses(survey, 400, seed=11)
    data = services.survey_results(survey)
    # Reference: load every answer (fine for a test) and score each respondent in Python.
    names = {q.id: q.name for q in db.session.scalars(select(Question))}
    answers: dict[int, dict[str, object]] = defaultdict(dict)
    for rid, qid, value, reason in db.session.execute(select(
            Answer.response_id, Answer.question_id, Answer.value_int, Answer.missing_reason)):
        answers[rid][names[qid]] = value if reason is None else reason
    for subscale in {s for _, s, _ in ITEMS}:
        items = [n for n, s, _ in ITEMS if s == subscale]
        reversed_items = [n for n, s, r in ITEMS if s == subscale and r]
        n, s, ss = moments(subscale_score(a, items, reversed_items) for a in answers.values())
        expected = summary_from_moments(n, s, ss, 10)
        got = _subscale(data, subscale)["overall"]
        assert got["n"] == expected["n"]
        assert math.isclose(got["mean"], expected["mean"], rel_tol=1e-9)
        assert math.isclose(got["ci_high"], expected["ci_high"], rel_tol=1e-9)


def test_breakdown_groups_sum_to_the_overall_and_use_choice_names(
    make_city, make_survey, add_responses
):
    city = make_city()
    survey = make_survey(city)
    add_responses(survey, 500, seed=3)
    sub = services.survey_results(survey)["subscales"][0]
    for breakdown in sub["breakdowns"]:
        shown = [g["n"]["value"] for g in breakdown["groups"] if not g["n"]["suppressed"]]
        assert sum(shown) <= sub["overall"]["n"]
        assert breakdown["groups"][-1]["key"] == "not_stated"
    assert [b["key"] for b in sub["breakdowns"]] == ["age_band", "area", "gender"]


@pytest.mark.parametrize(
    ("day", "monday"),
    [(date(2025, 3, 3), "2025-03-03"), (date(2025, 3, 9), "2025-03-03"),
     (date(2025, 3, 10), "2025-03-10"), (date(2024, 12, 31), "2024-12-30"),
     (date(2021, 1, 3), "2020-12-28")],
)
def test_weeks_are_iso_weeks_computed_in_sql(make_city, make_survey, add_response, day, monday):
    city = make_city(disclosure_threshold=5)
    survey = make_survey(city)
    for _ in range(5):
        add_response(survey, {"bel_1": 3}, on=day)
    weekly = services.survey_results(survey)["weekly"]
    assert [w["start"] for w in weekly] == [monday]
    year, week, _ = date.fromisoformat(monday).isocalendar()
    assert weekly[0]["key"] == f"{year}-W{week:02d}"
    assert weekly[0]["count"]["value"] == 5


def test_small_survey_publishes_no_count_below_k(make_city, make_survey, add_responses):
    city = make_city(disclosure_threshold=10)
    survey = make_survey(city)
    add_responses(survey, 7)
    data = services.survey_results(survey)
    assert data["respondents"]["suppressed"] is True
    for q in data["questions"]:
        assert all(row["count"]["value"] in (None, 0) for row in q["rows"])
    assert all(s["overall"]["suppressed"] for s in data["subscales"])


def test_survey_counts_in_the_city_list_are_suppressed_below_k(
    make_city, make_survey, add_responses
):
    city = make_city(disclosure_threshold=10)
    small, large = make_survey(city, slug="small"), make_survey(city, slug="large")
    add_responses(small, 4)
    add_responses(large, 25, seed=2)
    rows = {row["survey"].slug: row["responses"] for row in services.city_surveys(city)}
    assert rows["small"] == {"value": None, "rounded": False, "suppressed": True}
    assert rows["large"]["value"] == 25
    assert db.session.scalar(select(Response.id).limit(1)) is not None
