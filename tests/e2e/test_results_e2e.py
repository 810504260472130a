"""Results in a real browser: the page works without JavaScript and reads right to left in
Arabic."""

from __future__ import annotations

from portal.extensions import db
from portal.testing import fake
from tests.conftest import PASSWORD

ARABIC_POINTS = ["أعارض بشدة", "أعارض", "محايد", "أوافق", "أوافق بشدة"]


def _arabic_survey(city):
    survey = fake.build_demo_survey(city, slug="resilience")
    survey.languages = ["en", "ar"]
    survey.title = {"en": "Community resilience", "ar": "صمود المجتمع"}
    for question in survey.questions:
        if question.name == "bel_1":
            question.label = {**question.label, "ar": "أشعر بالانتماء إلى حيّي"}
            for choice, text in zip(question.choices, ARABIC_POINTS, strict=True):
                choice.label = {**choice.label, "ar": text}
    db.session.commit()
    fake.insert_responses(survey, 150, seed=5)
    db.session.commit()
    return survey


def test_results_page_in_arabic_is_right_to_left_with_readable_charts(
    live_server, new_page, browser_login, make_city, make_user, screenshot
):
    city = make_city(name="Kumanovo", slug="kumanovo")
    _arabic_survey(city)
    user = make_user("coordinator", city=city, email="coord@example.org", preferred_locale="ar")
    page = new_page(java_script_enabled=False)
    browser_login(page, user.email, PASSWORD)
    page.goto(f"{live_server}/c/kumanovo/results/resilience?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "صمود المجتمع"
    chart = page.locator("#q-bel_1 ~ figure svg")
    assert chart.get_attribute("direction") == "rtl"
    label = chart.locator("text").first
    assert label.text_content() == "أعارض بشدة"
    # Right to left: each label sits above its bar, both starting at the right edge; the bars
    # grow leftwards.
    box, label_box = chart.bounding_box(), label.bounding_box()
    assert label_box["x"] > box["x"] + box["width"] / 2
    bar = chart.locator("rect").first.bounding_box()
    assert label_box["y"] + label_box["height"] <= bar["y"] + 1
    assert abs((bar["x"] + bar["width"]) - (label_box["x"] + label_box["width"])) < 4
    page.locator("#q-bel_1").scroll_into_view_if_needed()
    screenshot(page, "results-ar")
    page.locator("#q-bel_1").locator("xpath=..").screenshot(path="test-artifacts/results-ar-question.png")
    # On a 360 px phone no answer chart scrolls inside its figure, and the page does not either.
    phone = new_page(java_script_enabled=False, viewport={"width": 360, "height": 780})
    browser_login(phone, user.email, PASSWORD)
    phone.goto(f"{live_server}/c/kumanovo/results/resilience?lang=ar")
    scrolling = phone.evaluate("""() => [...document.querySelectorAll('.chart-figure')]
        .filter(f => f.scrollWidth > f.clientWidth + 1).length""")
    assert scrolling == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator("#q-bel_1").locator("xpath=..").screenshot(
        path="test-artifacts/results-ar-question-360.png")


def test_results_page_in_english_with_javascript_off(
    live_server, new_page, browser_login, make_city, make_user, screenshot
):
    city = make_city(name="Kumanovo", slug="kumanovo")
    _arabic_survey(city)
    user = make_user("member", city=city, email="member@example.org")
    page = new_page(java_script_enabled=False)
    browser_login(page, user.email, PASSWORD)
    page.goto(f"{live_server}/c/kumanovo/results")
    page.click("text=Community resilience")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("svg.chart").count() >= 18
    screenshot(page, "results-en")
