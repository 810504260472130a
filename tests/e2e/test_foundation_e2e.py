from __future__ import annotations

from tests.conftest import PASSWORD


def test_login_switch_to_arabic_page_is_right_to_left(
    live_server, browser_page, browser_login, make_city, make_user, screenshot
):
    city = make_city(name="Testgrad", slug="testgrad")
    user = make_user("coordinator", city=city, email="coord@example.org")
    page = browser_page
    browser_login(page, user.email, PASSWORD)
    assert page.url.endswith("/cities")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "home-en")

    page.click("nav.languages a[hreflang=ar]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    heading = page.locator("h1").inner_text()
    assert heading != "My cities"
    assert any("\u0600" <= char <= "\u06ff" for char in heading), heading
    screenshot(page, "home-ar")

    # The preference sticks: the next page is Arabic without ?lang=.
    page.goto(f"{live_server}/c/testgrad/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "Testgrad"


def test_logout_needs_the_real_form_with_csrf(live_server, browser_page, browser_login, make_user):
    user = make_user("admin", email="admin@example.org")
    page = browser_page
    browser_login(page, user.email, PASSWORD)
    page.click("nav.main-nav button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/login")
