"""The demo collects beyond the browser too: an enumerator, a device, device and paper answers."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import City, EnumeratorDevice, Membership, Response, Survey, User
from portal.results import services
from portal.surveys.demo.seed import BASELINE_SLUG, DEMO_DEVICE, SLUG

HTTPS = "https://localhost"


def _zelenovo_survey(slug: str = SLUG) -> Survey:
    city = db.session.scalar(select(City).where(City.slug == "zelenovo"))
    return db.session.scalars(select(Survey).where(Survey.city_id == city.id,
                                                   Survey.slug == slug)).one()


def test_the_demo_enumerator_logs_in_to_data_entry_and_carries_a_working_device(
        app: Any, client: Any, runner: Any, login: Any) -> None:
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # idempotent: one device
    enumerator = db.session.scalar(select(User).where(
        User.email == "enumerator@demo.lpn.example"))
    assert enumerator is not None
    roles = db.session.execute(select(Membership.role).where(
        Membership.user_id == enumerator.id)).scalars().all()
    assert roles == ["enumerator"]
    assert db.session.scalar(select(func.count()).select_from(EnumeratorDevice)) == 1
    _slug, _email, _label, username, secret = DEMO_DEVICE
    listed = client.get("/odk/zelenovo/formList", auth=(username, secret), base_url=HTTPS)
    assert listed.status_code == 200 and b"<formID>living_together</formID>" in listed.data
    assert client.get("/odk/wadi-nour/formList", auth=(username, secret),
                      base_url=HTTPS).status_code == 404
    login(enumerator, "demo-enumerator-pass")
    assert "living-together" in client.get("/c/zelenovo/entry").get_data(as_text=True)
    assert client.get("/c/zelenovo/").status_code == 403  # collects, never reads results


@pytest.mark.parametrize("slug", [SLUG, BASELINE_SLUG])
def test_the_demo_results_break_down_by_collection_mode(app: Any, runner: Any,
                                                        slug: str) -> None:
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    survey = _zelenovo_survey(slug)
    modes = dict(db.session.execute(
        select(Response.collection_mode, func.count()).where(Response.survey_id == survey.id)
        .group_by(Response.collection_mode)).all())
    assert modes == {"web": 12, "device": 12, "paper": 12}
    with app.test_request_context():
        results = services.survey_results(survey)
    breakdown = next(b for b in results["subscales"][0]["breakdowns"]
                     if b["key"] == "collection_mode")
    shown = {group["key"]: group["n"] for group in breakdown["groups"]}
    # Each mode shows (12 responses, above k = 10); a respondent with no scored answer in this
    # subscale is not in its n, so a third of the baseline may count fewer than 12 there.
    assert set(shown) == {"web", "device", "paper"}
    assert all(10 <= n["value"] <= 12 for n in shown.values())
    if slug == SLUG:
        assert {key: n["value"] for key, n in shown.items()} == {"web": 12, "device": 12,
                                                                 "paper": 12}
    assert not any(n["suppressed"] for n in shown.values())
