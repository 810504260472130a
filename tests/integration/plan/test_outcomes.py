"""The plan's outcome indicators against values computed by hand: the network of two rounds
(a few ties) and the survey indices of closed waves, with a value suppressed below k."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest

from portal.extensions import db
from portal.plan import outcomes
from portal.stakeholders import rounds, services, ties
from tests.integration.results.conftest import add_response, make_survey  # noqa: F401


@pytest.fixture
def two_rounds(town: dict[str, Any]) -> dict[str, Any]:
    """Baseline: M–Y, Y–S, Y–P; follow-up: M–Y, Y–S, M–S, S–P, P–N. Team: M, Y, S.

    By hand, baseline → follow-up:
    - density among the team (3 members, 3 possible pairs): 2/3 → 3/3;
    - sectors tied to the municipality (M): {youth} → {youth, education};
    - not yet connected: N (ministry) and X (sports club) → X;
    - single points of failure: Y → S and P;
    - reach to the national level: none (N alone) → M–S–P–N, 3 steps.
    """
    city, s = town["city"], town["s"]
    y, school, police = s["Youth centre"], s["School no. 3"], s["Police station"]
    m = services.create_stakeholder(city, {"name": "Municipality office",
                                           "sector": "municipality"}, actor=None)
    n = services.create_stakeholder(city, {"name": "Ministry", "sector": "national_government",
                                           "level": "national"}, actor=None)
    services.create_stakeholder(city, {"name": "Sports club", "sector": "civil_society"},
                                actor=None)
    for member in (m, y, school):
        member.is_team_member = True
    base = town["round"]
    follow = rounds.create_round(city, "Follow-up", date(2026, 1, 15), actor=None)
    for round_, pairs in ((base, [(m, y), (y, school), (y, police)]),
                          (follow, [(m, y), (y, school), (m, school), (school, police),
                                    (police, n)])):
        for a, b in pairs:
            ties.add_ties(city, a, round_, [ties.TieEntry(b.id, "information", "monthly")],
                          actor=None)
    db.session.commit()
    return {**town, "base": base, "follow": follow, "m": m, "n": n}


def test_network_outcomes_match_the_hand_computed_values(two_rounds):
    city = two_rounds["city"]
    before, after = outcomes.chosen_rounds(city, {})
    assert (before.name, after.name) == ("Baseline", "Follow-up")
    found = outcomes.network_outcomes(city, before, after)
    b, a = found.before, found.after
    assert b["team_density"] == pytest.approx(2 / 3) and a["team_density"] == pytest.approx(1.0)
    assert b["team_size"] == a["team_size"] == 3
    assert b["municipal_sector_names"] == ["youth"]
    assert a["municipal_sector_names"] == ["education", "youth"]
    # The social work centre of the town fixture is never tied: not yet connected in both.
    assert (b["not_connected"], a["not_connected"]) == (3, 2)
    assert (b["single_points"], a["single_points"]) == (1, 2)
    assert (b["national_reach"], b["national_status"]) == (False, "no_path")
    assert (a["national_reach"], a["national_steps"]) == (True, 3)
    assert found.change == {"team_density": pytest.approx(1 / 3), "municipal_sectors": 1,
                            "not_connected": -1, "single_points": 1, "national_reach": 1}


def test_rounds_can_be_picked_and_are_put_in_time_order(two_rounds):
    city, base, follow = two_rounds["city"], two_rounds["base"], two_rounds["follow"]
    assert outcomes.chosen_rounds(city, {"before": str(follow.id), "after": str(base.id)}) == (
        base, follow)
    for bad, reason in (({"before": "x"}, "round_unknown"), ({"after": "999999"}, "round_unknown"),
                        ({"before": str(follow.id)}, "same_round")):
        with pytest.raises(outcomes.OutcomeError, match=reason):
            outcomes.chosen_rounds(city, bad)


def test_plan_page_shows_the_outcomes_and_explains_a_bad_round(client, two_rounds, login):
    login(two_rounds["member"])
    page = client.get("/c/home/plan").get_data(as_text=True)
    assert 'id="outcomes"' in page and "Density among team members" in page
    assert "0.667 among 3 team members" in page and "1.000 among 3 team members" in page
    assert "yes, in 3 steps" in page and "now reached" in page and "+0.333" in page
    assert "−1" in page  # one actor fewer not yet connected
    bad = client.get("/c/home/plan?before=nope")
    assert bad.status_code == 200
    assert "Choose rounds of this city&#39;s map." in bad.get_data(as_text=True)


def test_exports_carry_the_dated_outcomes_of_both_rounds(client, two_rounds, login):
    login(two_rounds["member"])
    csv = client.get("/c/home/plan/indicators.csv").get_data(as_text=True)
    today = date.today().isoformat()
    assert f"network_team_density,Baseline (2025-01-15),,0.667,{today}" in csv
    assert f"network_national_reach,Follow-up (2026-01-15),,1,{today}" in csv
    book = openpyxl.load_workbook(io.BytesIO(client.get("/c/home/plan/export.xlsx").data))
    rows = list(book["indicators"].iter_rows(values_only=True))
    assert ("network_single_points", "Follow-up (2026-01-15)", None, 2, today) in rows


@pytest.mark.parametrize("url", ["/c/home/plan/indicators.csv?before=abc",
                                 "/c/home/plan/export.xlsx?after=999999"])
def test_a_file_for_rounds_that_cannot_be_compared_is_refused_with_the_reason(
        client, two_rounds, login, url):
    login(two_rounds["member"])
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].endswith("/c/home/plan")
    page = client.get("/c/home/plan").get_data(as_text=True)
    assert "Choose rounds of this city&#39;s map." in page


def _answers(level: int) -> dict[str, Any]:
    """Every belonging item at one point (bel_3 is reverse-scored: answered 6 - level)."""
    return {"bel_1": level, "bel_2": level, "bel_3": 6 - level}


@pytest.fixture
def waves(town, make_survey, add_response):  # noqa: F811
    """Two closed waves: the baseline with 10 answers (k = 10), the follow-up with 4."""
    city = town["city"]
    first = make_survey(city, slug="wave-1", wave="Baseline")
    second = make_survey(city, slug="wave-2", wave="Follow-up")
    for _ in range(5):
        add_response(first, _answers(3))
        add_response(first, _answers(4))
    for _ in range(4):
        add_response(second, _answers(5))
    first.status = second.status = "closed"
    db.session.commit()
    return {**town, "first": first, "second": second}


def test_survey_outcomes_come_from_the_closed_waves_and_hide_values_below_k(app, waves):
    with app.test_request_context():  # the subscale labels are translated
        found = outcomes.survey_outcomes(waves["city"])
    assert found.k == 10
    assert (found.previous["wave"], found.latest["wave"]) == ("Baseline", "Follow-up")
    belonging = next(s for s in found.subscales if s["name"] == "belonging")
    # Scale means 3 and 4, five each: mean 3.5 → index (3.5 - 1) / 4 × 100 = 62.5.
    assert belonging["previous"]["index"]["mean"] == pytest.approx(62.5)
    assert belonging["previous"]["n"] == 10
    assert belonging["latest"]["suppressed"] and belonging["latest"]["index"]["mean"] is None
    assert belonging["latest"]["n"] is None  # four answers: the group size itself is hidden
    assert belonging["difference"]["suppressed"]


def test_an_open_wave_is_not_an_outcome_yet(app, waves):
    waves["second"].status = "open"
    db.session.commit()
    with app.test_request_context():
        found = outcomes.survey_outcomes(waves["city"])
    assert found.previous is None and found.latest["wave"] == "Baseline"
    belonging = next(s for s in found.subscales if s["name"] == "belonging")
    assert belonging["latest"]["index"]["mean"] == pytest.approx(62.5)


def test_plan_page_says_a_suppressed_value_is_not_shown(client, waves, login):
    login(waves["member"])
    page = client.get("/c/home/plan").get_data(as_text=True)
    assert "62.5 (10 answers)" in page
    assert "not shown: fewer than 10 answers" in page
    csv = client.get("/c/home/plan/indicators.csv").get_data(as_text=True)
    assert "survey_index,Baseline,belonging,62.5" in csv
    assert "survey_index,Follow-up,belonging,suppressed" in csv
