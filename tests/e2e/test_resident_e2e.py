"""Issue #17 in real Chromium on a 360 px phone: a question revealed on the same page (with
JavaScript on, at once; off, after "Next"), and the results page in Arabic and Macedonian,
whose index chart fits the screen with every point on it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Answer, Response
from portal.surveys.authoring.convert import survey_from_spec
from portal.testing import fake
from tests.conftest import PASSWORD
from tests.integration.surveys.conftest import reveal_spec

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def reveal(make_city):
    city = make_city(slug="testgrad", name="Testgrad")
    survey = survey_from_spec(reveal_spec(), city, "reveal", consent={"en": "Purpose here"})
    survey.status = "open"
    db.session.add(survey)
    db.session.commit()
    return {q.name: q.id for q in survey.questions}


def _stored_answers() -> int:
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    return int(db.session.scalar(select(func.count()).select_from(Answer)) or 0)


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_required_question_revealed_on_the_same_page_can_be_answered(
        live_server, new_page, reveal, screenshot, script):
    page = new_page(java_script_enabled=script, viewport=PHONE)
    page.goto(f"{live_server}/s/testgrad/reveal/consent?lang=en")
    page.click("#start-form button[type=submit]")
    page.wait_for_url("**/p/1")
    how_many = page.locator(f'[data-q="{reveal["how_many"]}"]')
    assert how_many.is_hidden()
    page.check("text=Yes")
    if script:  # the script asks the server, which shows it at once
        how_many.wait_for(state="visible")
    else:  # the page comes back from "Next" with it shown, asking nothing yet
        page.click("button[name=nav][value=next]")
        page.wait_for_load_state()
        assert page.url.endswith("/p/1")
        assert "Your answers added 1 question" in page.locator(".r-summary").inner_text()
        assert how_many.is_visible() and page.locator(".r-error").count() == 0
    screenshot(page, f"resident-reveal-{'js' if script else 'nojs'}")
    how_many.locator("input").fill("3")
    page.click("button[name=nav][value=next]")
    page.wait_for_url("**/send")
    assert "You answered 2 questions." in page.content()
    page.click("form.r-form button[type=submit]")
    page.wait_for_load_state()
    assert _stored_answers() == 2


def test_refused_number_stays_in_its_field_in_the_browser(live_server, new_page, reveal):
    page = new_page(java_script_enabled=True, viewport=PHONE)
    page.goto(f"{live_server}/s/testgrad/reveal/consent?lang=mk")
    page.click("#start-form button[type=submit]")
    page.wait_for_url("**/p/1")
    age = page.locator(f'[data-q="{reveal["age"]}"] input')
    age.fill("150")
    page.click("button[name=nav][value=next]")
    page.wait_for_load_state()
    assert age.input_value() == "150"
    assert "Внесете број од 0 до 120." in page.locator(f'[data-q="{reveal["age"]}"]').inner_text()
    page.screenshot(path="test-artifacts/resident-kept-answer-mk.png")


def test_flyer_prints_its_code_and_link_in_arabic(live_server, new_page, browser_login,
                                                  make_city, make_user, screenshot):
    city = make_city(name="Kumanovo", slug="kumanovo")
    survey = fake.build_demo_survey(city, slug="resilience")
    survey.languages, survey.status = ["en", "ar"], "open"
    survey.title = {"en": "Community resilience", "ar": "صمود المجتمع"}
    db.session.commit()
    user = make_user("member", city=city, email="flyer@example.org")
    page = new_page(java_script_enabled=False)
    browser_login(page, user.email, PASSWORD)
    page.goto(f"{live_server}/c/kumanovo/surveys/resilience/flyer/ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    code = page.locator("img.f-code")
    assert code.evaluate("img => img.complete && img.naturalWidth > 100")
    assert page.locator(".f-link").inner_text().endswith("/consent?lang=ar")
    page.emulate_media(media="print")
    assert page.locator(".f-screen-only").is_hidden()
    screenshot(page, "flyer-ar-print")


@pytest.mark.parametrize(("lang", "direction", "week"), [
    ("ar", "rtl", "الأسبوع"), ("mk", "ltr", "седмица")])
def test_results_on_a_phone_fit_with_every_index_point_on_screen(
        live_server, new_page, browser_login, make_city, make_user, screenshot,
        lang, direction, week):
    city = make_city(name="Kumanovo", slug="kumanovo")
    survey = fake.build_demo_survey(city, slug="resilience")
    db.session.commit()
    fake.insert_responses(survey, 150, seed=5)
    db.session.commit()
    user = make_user("member", city=city, email=f"member-{lang}@example.org")
    page = new_page(java_script_enabled=False, viewport=PHONE)
    browser_login(page, user.email, PASSWORD)
    page.goto(f"{live_server}/c/kumanovo/results/resilience?lang={lang}")
    assert page.locator("html").get_attribute("dir") == direction
    assert week in page.locator("#responses-title ~ table").inner_text()
    chart = page.locator("#indices-title ~ figure svg")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    dots = chart.locator("circle")
    assert dots.count() >= 5
    for i in range(dots.count()):
        dot = dots.nth(i).bounding_box()
        assert dot["x"] >= 0 and dot["x"] + dot["width"] <= PHONE["width"]
    figure = page.locator("#indices-title ~ figure")
    assert figure.evaluate("f => f.scrollWidth <= f.clientWidth")  # nothing to scroll to
    labels = chart.locator("text").all_text_contents()
    assert any(len(label) > 3 for label in labels)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, f"results-phone-{lang}")
    figure.screenshot(path=f"test-artifacts/results-phone-{lang}-indices.png")
