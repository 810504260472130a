"""The Arabic stakeholder pages in Chromium: right to left, the checklist, the survey link."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.stakeholders import relationship_survey
from portal.stakeholders.demo import seed_city
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def arabic_city(make_city, make_user):
    city = make_city(name="وادي النور", slug="wadi-nour", default_locale="ar")
    seed_city(city)
    db.session.commit()
    user = make_user("coordinator", city=city, email="coord.ar@example.org",
                     preferred_locale="ar")
    return city, user


def test_arabic_stakeholder_list_and_profile_are_rtl(live_server, browser_page, browser_login,
                                                     arabic_city, screenshot):
    city, user = arabic_city
    page = browser_page
    browser_login(page, user.email, PASSWORD)
    page.goto(f"{live_server}/c/{city.slug}/stakeholders")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "الجهات المعنية"
    assert page.get_by_text("غير مرتبطة بعد").first.is_visible()
    screenshot(page, "stakeholders-list-ar")
    page.get_by_role("link", name="عامل شبابي ميداني").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "عامل شبابي ميداني"
    box = page.locator(".roster-row").first.bounding_box()
    checkbox = page.locator(".roster-row input[type=checkbox]").first.bounding_box()
    assert checkbox["x"] > box["x"] + box["width"] / 2  # the checkbox starts the row on the right
    screenshot(page, "stakeholders-profile-ar")


def test_arabic_relationship_survey_answers_without_account(live_server, browser_page,
                                                            arabic_city, screenshot):
    city, _user = arabic_city
    from sqlalchemy import select

    from portal.models import Stakeholder, Tie
    worker = db.session.scalar(select(Stakeholder).where(Stakeholder.name == "المكتبة العامة"))
    token = relationship_survey.issue(city, [worker], 7, actor=None)[0][1]
    db.session.commit()
    page = browser_page
    page.goto(f"{live_server}/r/{token}?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#roster-filter", "مركز الشباب")
    assert page.locator(".roster-row:visible").count() == 1
    row = page.locator(".roster-row:visible")
    kinds = row.locator(".roster-choice")
    assert not kinds.is_visible()  # a partner's details show once it is ticked
    row.locator("input[name=partner]").check()
    assert kinds.is_visible()
    row.get_by_label("الإحالة").check()
    row.get_by_label("نشاط مشترك").check()
    screenshot(page, "stakeholders-survey-ar")
    page.get_by_role("button", name="أرسل إجاباتي").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "شكرًا لك"
    youth = db.session.scalar(select(Stakeholder.id).where(Stakeholder.name == "مركز الشباب"))
    named = select(Tie.kind).where(Tie.reporter_id == worker.id,
                                   Tie.source_id.in_([worker.id, youth]),
                                   Tie.target_id.in_([worker.id, youth]))
    assert sorted(db.session.scalars(named)) == ["joint_activity", "referral"]
