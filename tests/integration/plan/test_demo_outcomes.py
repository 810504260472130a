"""The demo shows the plan's outcomes: a closed survey wave before the open one, two rounds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.auth import services as accounts
from portal.extensions import db
from portal.models import City, Survey
from portal.results import services
from portal.surveys.demo.seed import BASELINE_SLUG, SLUG


def _waves(slug: str) -> tuple[Survey, Survey]:
    city = db.session.scalar(select(City).where(City.slug == slug))
    surveys = {s.slug: s for s in db.session.scalars(select(Survey).where(
        Survey.city_id == city.id))}
    return surveys[BASELINE_SLUG], surveys[SLUG]


def test_every_demo_city_has_a_closed_baseline_before_its_open_follow_up(runner: Any) -> None:
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    for slug in ("zelenovo", "wadi-nour", "belopolje", "tell-zaytoun"):
        baseline, follow_up = _waves(slug)
        assert (baseline.status, follow_up.status) == ("closed", "open")
        assert baseline.closes_on is not None and follow_up.closes_on is None
        assert baseline.created_at < follow_up.created_at
        assert baseline.closes_on < follow_up.created_at.date()


def test_the_demo_plan_report_shows_survey_and_network_outcomes(
        runner: Any, client: Any, login: Any) -> None:
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    login(accounts.user_by_email("coordinator@demo.lpn.example"), "demo-coordinator-pass")
    page = client.get("/c/zelenovo/plan/report/en").get_data(as_text=True)
    assert "No survey wave is closed yet" not in page
    assert "Baseline (demo)" in page and "Belonging" in page
    # The two rounds differ: the follow-up reaches the national level, the baseline did not.
    assert "Почетна состојба / Baseline" in page and "Следење / Follow-up" in page


def test_the_demo_wave_comparison_shows_a_small_change(runner: Any, client: Any,
                                                        login: Any) -> None:
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    login(accounts.user_by_email("coordinator@demo.lpn.example"), "demo-coordinator-pass")
    with client.application.test_request_context():
        baseline, follow_up = _waves("zelenovo")
        compared = services.compare_waves(baseline, follow_up, "en")
    changes = [s["difference"] for s in compared["subscales"]]
    shown = [c for c in changes if c is not None]
    assert len(shown) == 6  # every subscale above k in both waves
    means = [s["follow_up"]["index"]["mean"] - s["baseline"]["index"]["mean"]
             for s in compared["subscales"]]
    # Small and, on average, an improvement: the baseline was seeded a little lower.
    assert all(abs(m) < 25 for m in means) and sum(means) / len(means) > 0
    page = client.get(f"/c/zelenovo/results/waves?baseline={BASELINE_SLUG}&follow_up={SLUG}")
    assert page.status_code == 200 and "Baseline (demo)" in page.get_data(as_text=True)
