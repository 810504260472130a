"""The page, the CSV, the XLSX and the API publish the very same cells, suppressed the same way."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import Answer, Response
from portal.results.exports import HEADER, flatten

CELL = re.compile(r'<td class="num" data-cell="([^"]+)"(?: data-status="([^"]*)")?>(.*?)</td>',
                  re.S)


def _key(row) -> str:
    section, subject, breakdown, item, _label, statistic = ("" if v is None else v
                                                            for v in row[:6])
    return f"{section}/{subject}/{breakdown}/{item}/{statistic}"


def _table(rows) -> dict[str, tuple[str, str]]:
    """key -> (value as text, status) of an export table."""
    out = {}
    for row in rows:
        value = row[6]
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = int(value) if row[5] in ("count", "n") else float(value)
        out[_key(row)] = ("" if value in (None, "") else str(value), row[7] or "")
    return out


def _page_cells(html: str) -> dict[str, tuple[str, str]]:
    """key -> (shown number, status) of every data cell of the page."""
    cells = {}
    for key, status, body in CELL.findall(html):
        text = re.sub(r"<[^>]+>", " ", unescape(body))
        if "suppressed" in text:
            cells[key] = ("", "suppressed")
            continue
        number = re.search(r"-?[\d,]+(?:\.\d+)?", text.replace("≈", ""))
        cells[key] = (number.group(0).replace(",", "") if number else "", status or "")
    return cells


@pytest.fixture
def published(client, login, make_city, make_user, make_survey):
    """One city, survey and logged-in admin for every example: only the data varies."""
    survey = make_survey(make_city(slug="same"))
    login(make_user("admin"))
    return survey


def _replace_data(survey, add_responses, n: int, k: int, seed: int) -> None:
    """Give the survey exactly n synthetic responses and its city the threshold k."""
    responses = select(Response.id).where(Response.survey_id == survey.id)
    db.session.execute(delete(Answer).where(Answer.response_id.in_(responses)))
    db.session.execute(delete(Response).where(Response.survey_id == survey.id))
    survey.city.disclosure_threshold = k
    db.session.commit()
    add_responses(survey, n, seed=seed, days=21)


@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(n=st.integers(0, 45), k=st.integers(5, 12), seed=st.integers(0, 10_000))
def test_page_csv_xlsx_and_api_publish_identical_cells(
    client, published, add_responses, n, k, seed
):
    survey = published
    _replace_data(survey, add_responses, n, k, seed)
    base = f"/c/{survey.city.slug}/results/{survey.slug}"

    api = _table(flatten(client.get(f"/api/v1/surveys/{survey.id}/results").json))
    lines = client.get(f"{base}/results.csv").get_data(as_text=True).splitlines()
    rows = list(csv.reader(lines[1:]))
    assert tuple(rows[0]) == HEADER
    from_csv = {key: (value, status) for key, (value, status) in _table(
        [[*r[:6], _parse(r[6]), r[7]] for r in rows[1:]]).items()}
    book = load_workbook(io.BytesIO(client.get(f"{base}/results.xlsx").get_data()))
    from_xlsx = _table(list(book["results"].iter_rows(values_only=True))[1:])
    assert from_csv == api
    assert from_xlsx == api

    page = _page_cells(client.get(base).get_data(as_text=True))
    assert page, "the page shows data cells"
    for key, (shown, status) in page.items():
        value, expected = api[key]
        assert (status or "") == expected, key
        if key.endswith("index_mean") and value:
            assert abs(float(shown) - float(value)) <= 0.0501, key  # page: 1 decimal
        elif value:
            assert shown == value, key
    for key, (value, status) in api.items():
        if key.startswith(("question/", "weekly/", "respondents/")) and key.endswith("/count"):
            assert key in page, key
        if status == "suppressed":
            assert value == ""


def _parse(text: str):
    """Read a CSV value back as the number it was written from."""
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text
