"""Residents answer the demo survey in real Chromium: Arabic and Albanian on a phone, JS off."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Answer, Response
from portal.surveys.demo.seed import seed_city

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(make_city):
    city = make_city(slug="zelenovo", name="Zelenovo", default_locale="mk")
    survey = seed_city(city)
    db.session.commit()
    return survey


def _walk(page, base: str, lang: str, native: str, shots: str | None, screenshot) -> None:
    """Choose the language, consent, answer a few questions per section, send."""
    page.goto(f"{base}/s/zelenovo/living-together/")
    assert native in page.locator("a[hreflang]").all_inner_texts()
    page.click(f"a[hreflang='{lang}']")
    page.wait_for_url(f"**/consent?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    if shots:
        screenshot(page, f"{shots}-consent")
    page.click("#start-form button[type=submit]")
    section = 0
    while "/p/" in page.url:
        section += 1
        radios = page.locator(".r-scale")
        for i in range(radios.count()):
            radios.nth(i).locator("input[type=radio]").nth(3).check()
        checks = page.locator("input[type=checkbox]:not([value=pn])")
        if checks.count():
            checks.nth(0).check()
        if shots and section in (1, 5):
            screenshot(page, f"{shots}-section{section}")
        page.click("button[name=nav][value=next]")
        page.wait_for_load_state()
    assert page.url.endswith("/send")
    page.click("form.r-form button[type=submit]")
    page.wait_for_load_state()
    if shots:
        screenshot(page, f"{shots}-thanks")


def _stored() -> tuple[int, int]:
    db.session.remove()
    responses = db.session.scalar(select(func.count()).select_from(Response))
    answers = db.session.scalar(select(func.count()).select_from(Answer))
    return int(responses or 0), int(answers or 0)


@pytest.mark.parametrize(("lang", "native", "direction"), [("ar", "العربية", "rtl"),
                                                            ("sq", "Shqip", "ltr")])
def test_resident_answers_on_a_phone(live_server, new_page, demo, screenshot, lang, native,
                                     direction):
    before = _stored()
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    _walk(page, live_server, lang, native, f"survey-{lang}-phone", screenshot)
    html = page.locator("html")
    assert html.get_attribute("lang") == lang and html.get_attribute("dir") == direction
    assert page.locator("h1").inner_text() not in ("Thank you", "")
    after = _stored()
    assert after[0] == before[0] + 1 and after[1] > before[1]
    # Nothing wider than the phone: no sideways scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_resident_answers_with_javascript_off(live_server, new_page, demo, screenshot):
    before = _stored()
    page = new_page(java_script_enabled=False, viewport=PHONE)
    _walk(page, live_server, "en", "English", "survey-en-nojs", screenshot)
    assert "Thank you" in page.locator("h1").inner_text()
    assert _stored()[0] == before[0] + 1


def test_tap_targets_are_large(live_server, new_page, demo):
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server}/s/zelenovo/living-together/consent?lang=sq")
    page.click("#start-form button[type=submit]")
    page.wait_for_url("**/p/1")
    page.locator(".r-option").first.wait_for()
    option = page.locator(".r-option").first.bounding_box()
    assert option is not None and option["height"] >= 44
