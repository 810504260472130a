"""CSV from the API (?format=csv, Accept: text/csv), and disclosure control through a token."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from portal.results.exports import HEADER, flatten

from .conftest import bearer


@pytest.fixture
def reader(mapped_city: Any, make_user: Any, make_token: Any) -> dict[str, str]:
    city = mapped_city("north")
    return bearer(make_token(make_user("member", city=city), [city]))


def rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize(("query", "headers"), [
    ({"format": "csv"}, {}), ({}, {"Accept": "text/csv"}),
    ({}, {"Accept": "text/csv;q=0.9, application/xml;q=0.5"})])
def test_network_as_csv_one_row_per_stakeholder(client, reader, query, headers):
    table = rows(client.get("/api/v1/cities/north/network", query_string=query,
                            headers={**reader, **headers}))
    assert table[0][:4] == ["id", "name", "sector", "level"]
    assert "betweenness" in table[0] and "not_connected" in table[0]
    assert len(table) == 1 + 3
    names = {row[1] for row in table[1:]}
    assert "'=HYPERLINK(\"x\")" in names  # guarded: a spreadsheet shows it, does not run it


def test_json_stays_the_default_for_browsers_and_wildcards(client, reader):
    for accept in ("*/*", "text/html,application/xhtml+xml,*/*;q=0.8", "application/json"):
        response = client.get("/api/v1/cities/north/network",
                              headers={**reader, "Accept": accept})
        assert response.mimetype == "application/json", accept


def test_ties_and_gaps_as_csv(client, reader):
    ties = rows(client.get("/api/v1/cities/north/network?format=csv&table=edges",
                           headers=reader))
    assert ties[0] == ["source", "target", "weight", "kinds"] and len(ties) == 3
    gaps = rows(client.get("/api/v1/cities/north/gaps?format=csv", headers=reader))
    assert gaps[0][0] == "type" and len(gaps) > 1


@pytest.mark.parametrize(("url", "error"), [
    ("/api/v1/cities/north/network?format=xml", "format"),
    ("/api/v1/cities/north/gaps?format=", "format"),
    ("/api/v1/cities/north/network?format=csv&table=people", "table")])
def test_bad_format_or_table_is_a_translated_400(client, reader, url, error):
    response = client.get(url + "&lang=sq", headers=reader)
    assert response.status_code == 400
    data = response.get_json()
    assert data["error"] == error and data["message"] and not data["message"].startswith("Unknown")


@pytest.fixture
def survey_reader(make_city, make_user, make_token, make_survey, add_responses):
    city = make_city(slug="north")
    survey = make_survey(city)
    add_responses(survey, 23)  # few enough that breakdowns fall under k = 10
    user = make_user("member", city=city)
    return survey, user, bearer(make_token(user, [city]))


def test_token_never_bypasses_disclosure_control(client, survey_reader, login):
    survey, user, headers = survey_reader
    url = f"/api/v1/surveys/{survey.id}/results"
    by_token = client.get(url, headers=headers)
    assert by_token.status_code == 200
    cells = flatten(by_token.get_json())
    assert any(row[-1] == "suppressed" and row[-2] == "" for row in cells)
    login(user)
    assert client.get(url).get_json() == by_token.get_json()  # the same cells as a session


def test_results_as_csv_are_the_exports_cells(client, survey_reader):
    survey, _user, headers = survey_reader
    url = f"/api/v1/surveys/{survey.id}/results"
    table = rows(client.get(url, query_string={"format": "csv"}, headers=headers))
    assert tuple(table[0]) == HEADER
    expected = [[str(v) for v in row] for row in flatten(client.get(url, headers=headers).json)]
    assert table[1:] == expected
    assert any(row[-1] == "suppressed" and row[-2] == "" for row in table[1:])
