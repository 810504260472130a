"""Chromium: the coordinator's device page shows a QR code ODK Collect can scan; paper entry."""

from __future__ import annotations

import base64
import io
import json
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from portal.extensions import db
from portal.surveys.authoring.convert import survey_from_spec
from tests.integration.surveys.conftest import small_spec

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"


@pytest.fixture
def team(make_city: Callable[..., Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    city = make_city(slug="fieldgrad", name="Fieldgrad")
    survey = survey_from_spec(small_spec(), city, "small")
    survey.status = "open"
    db.session.add(survey)
    db.session.commit()
    return {"coordinator": make_user("coordinator", city=city, email="coord@e2e.example"),
            "enumerator": make_user("enumerator", city=city, email="enum@e2e.example",
                                    display_name="Ana Field")}


def test_the_device_page_renders_a_qr_code_that_configures_odk_collect(
    live_server: str, browser_page: Any, browser_login: Callable[..., Any],
    team: dict[str, Any], screenshot: Callable[..., Path],
) -> None:
    page = browser_page
    browser_login(page, team["coordinator"].email, PASSWORD)
    page.goto(f"{live_server}/c/fieldgrad/devices")
    page.fill("#label", "Tablet 2")
    page.select_option("#user", label="Ana Field")
    page.click("button[type=submit]:has-text('Create device'), input[type=submit]")
    page.wait_for_selector("img.device-qr")
    shot = screenshot(page, "odk-devices")
    # Decode the code as a phone camera would: from the rendered page, not from the HTML.
    image = Image.open(io.BytesIO(page.locator("img.device-qr").screenshot()))
    (barcode,) = zxingcpp.read_barcodes(image)
    settings = json.loads(zlib.decompress(base64.b64decode(barcode.text)))
    assert settings["general"]["server_url"] == f"{live_server}/odk/fieldgrad"
    assert settings["general"]["username"].startswith("fieldgrad-")
    assert settings["general"]["password"] in page.inner_text(".device-settings")
    assert settings["admin"] == {}
    assert shot.exists()


def test_paper_entry_shows_its_banner_and_the_count(
    live_server: str, browser_page: Any, browser_login: Callable[..., Any],
    team: dict[str, Any], screenshot: Callable[..., Path],
) -> None:
    page = browser_page
    browser_login(page, team["enumerator"].email, PASSWORD)
    page.goto(f"{live_server}/cities")
    page.click("a[href='/c/fieldgrad/entry']")
    screenshot(page, "paper-entry-start")
    page.click("button:has-text('Enter a paper questionnaire')")
    page.click("button[type=submit]")  # the consent page's start
    page.wait_for_selector(".r-entry")
    screenshot(page, "paper-entry-page")
    assert "paper questionnaire" in page.inner_text(".r-entry")
    page.click("a:has-text('Back to data entry')")
    page.click("button:has-text('End data entry')")
    assert page.locator(".r-entry").count() == 0


def test_a_send_after_the_role_was_removed_shows_why_nothing_was_stored(
    live_server: str, browser_page: Any, browser_login: Callable[..., Any],
    team: dict[str, Any], screenshot: Callable[..., Path],
) -> None:
    from portal.auth import services as auth_services
    from portal.models import Response, Survey

    page = browser_page
    browser_login(page, team["enumerator"].email, PASSWORD)
    page.goto(f"{live_server}/c/fieldgrad/entry")
    page.click("button:has-text('Enter a paper questionnaire')")
    page.goto(f"{live_server}/s/fieldgrad/small/consent?lang=ar")  # the Arabic questionnaire
    page.click("button[type=submit]")
    survey = db.session.scalars(db.select(Survey)).one()
    ids = {q.name: q for q in survey.questions}
    pick_a = next(c.id for c in ids["pick"].choices if c.name == "a")
    page.check(f"input[name=q{ids['feel'].id}][value='4']")
    page.check(f"input[name=q{ids['pick'].id}][value='{pick_a}']")
    page.click("button[name=nav][value=next]")
    page.fill(f"input[name=q{ids['years'].id}]", "7")
    page.click("button[name=nav][value=next]")
    page.wait_for_url("**/send")
    auth_services.remove_membership(team["enumerator"].memberships[0], actor=None)
    db.session.commit()
    page.click("form button[type=submit].r-primary")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "انتهى إدخال البيانات" in page.inner_text("h1")
    assert screenshot(page, "paper-entry-ended-ar").exists()
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0
