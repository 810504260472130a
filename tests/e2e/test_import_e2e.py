"""The import's mapping step and row-by-row preview in Chromium, in Macedonian and Arabic."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ImportMapping, Stakeholder, Tie
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e
FIXTURES = Path(__file__).parents[1] / "fixtures" / "networks"
CASES = {
    # A coordinator's own workbook: Macedonian sheets and headers, a sector written "Млади",
    # one tie without kind or frequency.
    "mk": ("macedonian-headers.xlsx", "Вредности за поврзување", "Ред по ред", 3, 2),
    # Kumu's documented sample: Type "Person", "Employee/Founder", Strength "Strong".
    "ar": ("kumu-elements-connections.xlsx", "قيم تحتاج إلى مطابقة", "صفًا صفًا", 4, 4),
}


CHOICES = {"mk": {"sector": "youth", "kind": "information", "frequency": "quarterly"},
           "ar": {"sector": "civil_society", "kind": "joint_activity", "frequency": "monthly"}}


@pytest.mark.parametrize("lang", sorted(CASES))
def test_mapping_step_and_row_preview(live_server, new_page, browser_login, make_city,
                                      make_user, screenshot, lang):
    name, mapping_title, rows_title, people, ties = CASES[lang]
    city = make_city(name="Куманово" if lang == "mk" else "طرابلس", default_locale=lang)
    user = make_user("member", city=city, preferred_locale=lang)
    page = new_page(viewport={"width": 1100, "height": 900})
    browser_login(page, user.email, PASSWORD)
    page.goto(f"{live_server}/c/{city.slug}/stakeholders/import?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("table.templates a[href$='/map.xlsx']").count() == 8
    screenshot(page, f"import-upload-{lang}")
    page.set_input_files("input[name=stakeholders_file]", str(FIXTURES / name))
    page.locator("form.form-block input[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=mapping_title).is_visible()
    selects = page.locator(".mapping-table select")
    questions = selects.count()
    assert questions >= 3
    for index in range(questions):
        chooser = selects.nth(index)
        chooser.select_option(CHOICES[lang][chooser.get_attribute("id").split("_")[1]])
    page.fill("input[name=round_name]", "Kumu 2025" if lang == "ar" else "Почетна состојба")
    screenshot(page, f"import-mapping-{lang}")
    page.locator(".mapping input[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=mapping_title).count() == 0
    # The answers stay on the page, chosen, so a wrong one can be changed.
    assert page.locator(".mapping-table select").nth(0).input_value() in CHOICES[lang].values()
    assert page.get_by_role("heading", name=rows_title).is_visible()
    assert page.locator(".row-preview tbody tr").count() == people + ties
    if lang == "ar":  # the table runs right to left: its first column is at the right
        table = page.locator(".row-preview").bounding_box()
        first = page.locator(".row-preview th").first.bounding_box()
        assert first["x"] > table["x"] + table["width"] / 2
    screenshot(page, f"import-preview-{lang}")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"import-preview-{lang}-phone")
    page.locator("form[action$='/import/apply'] input[type=submit]").click()
    page.wait_for_load_state()
    assert db.session.scalar(select(func.count()).select_from(Stakeholder)) == people
    # Kumu's Jeff→Ryan and Ryan→Jeff are one row of the preview and one tie.
    assert db.session.scalar(select(func.count()).select_from(Tie)) == ties
    assert db.session.scalar(select(func.count()).select_from(ImportMapping)) == questions
