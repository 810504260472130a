"""The import page with hostile or Windows-encoded files: a clear message, never a 500."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Stakeholder
from portal.stakeholders.spreadsheet import workflow
from tests.xlsx_files import row, xlsx

CYRILLIC = ("name,sector,organisation\n"
            "Средно училиште „Наце Буѓовски“,education,Општина Куманово\n"
            "Центар за социјална работа,social,Министерство за социјална политика\n"
            "Дом на младите Куманово,youth,Општина Куманово\n")
ARABIC = ("name,sector,organisation\n"
          "مركز الشباب في طرابلس,youth,بلدية طرابلس\n"
          "مدرسة الأمل الرسمية,education,وزارة التربية والتعليم العالي\n"
          "جمعية النساء العاملات,civil_society,جمعية أهلية\n")


def _post(client, city, data: bytes, filename: str, lang: str = "en"):
    return client.post(f"/c/{city.slug}/stakeholders/import?lang={lang}",
                       data={"stakeholders_file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize(("text", "codec", "shown"), [
    (CYRILLIC, "cp1251", "Windows-1251"),
    (ARABIC, "cp1256", "Windows-1256"),
    (CYRILLIC + ARABIC.split("\n", 1)[1], "utf-16", "UTF-16"),
])
def test_windows_encoded_csv_is_read_and_the_preview_names_the_encoding(
        client, team_city, text, codec, shown):
    records = workflow.read_records(text.encode(codec), None)
    assert records.errors == []
    assert [r["name"] for r in records.stakeholders] == [
        line.split(",")[0] for line in text.splitlines()[1:]]
    response = _post(client, team_city, text.encode(codec), "people.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"the CSV file was read as {shown}" in page
    assert text.splitlines()[1].split(",")[0] in page


def test_a_utf8_csv_is_still_read_as_utf8(client, team_city):
    page = _post(client, team_city, CYRILLIC.encode(), "people.csv").get_data(as_text=True)
    assert "the CSV file was read as UTF-8" in page and "3 new stakeholders" in page


@pytest.mark.parametrize(("data", "expected"), [
    (xlsx([row(1, ("A", "name")), row(2, ("A", "Youth centre"))], cut=30),
     "this is not a spreadsheet"),
    (xlsx([row(1, ("A", "name")), row(2, ("A", "A")), row(3, ("XFD", "x"))]),
     "too many filled columns in this row (at most 200)"),
])
def test_broken_or_bomb_workbooks_get_the_import_error_not_a_500(client, team_city, data,
                                                                   expected):
    response = _post(client, team_city, data, "people.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert expected in page
    assert db.session.scalar(select(func.count()).select_from(Stakeholder)) == 0


def test_the_too_wide_reason_is_translated(client, team_city):
    data = xlsx([row(1, ("A", "name")), row(2, ("XFD", "x"))])
    page = _post(client, team_city, data, "people.xlsx", lang="mk").get_data(as_text=True)
    assert "too many filled columns" not in page and "200" in page
