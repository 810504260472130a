"""Sending: retry-safety by client UUID, 409 on a reused UUID, the bad-input matrix, limits."""

from __future__ import annotations

import gzip
import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Answer, Response
from portal.surveys.demo.seed import seed_city
from tests.integration.surveys.conftest import (
    answer_small,
    choice,
    client_uuid,
    field,
    small_spec,
    start,
)


def _responses() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Response)) or 0)


def test_same_uuid_same_answers_returns_the_acknowledgement_and_stores_nothing_new(
        client, make_survey):
    survey = make_survey()
    start(client, survey)
    with client.session_transaction() as session:
        before_send = dict(session)
    first = answer_small(client, survey)
    assert first.status_code == 200 and _responses() == 1
    answers_before = db.session.scalar(select(func.count()).select_from(Answer))
    # The reply was lost: the browser retries with the cookie it still had.
    with client.session_transaction() as session:
        session.clear()
        session.update(before_send)
        session["sv"]["a"] = dict(before_send["sv"]["a"])
    uuid = before_send["sv"]["u"]
    retry = answer_small(client, survey)
    assert retry.status_code == 200 and "Thank you" in retry.get_data(as_text=True)
    assert _responses() == 1
    assert db.session.scalar(select(func.count()).select_from(Answer)) == answers_before
    assert db.session.scalar(select(Response.uuid)) == uuid


def test_same_uuid_with_different_answers_gets_409(client, make_survey):
    survey = make_survey()
    uuid = start(client, survey)
    assert answer_small(client, survey, years="7").status_code == 200
    start(client, survey, uuid=uuid)  # an old consent page, its hidden UUID reused
    conflict = answer_small(client, survey, years="8")
    assert conflict.status_code == 409
    assert "already sent" in conflict.get_data(as_text=True)
    assert _responses() == 1


def test_sending_twice_in_a_row_is_harmless(client, make_survey):
    survey = make_survey()
    uuid = start(client, survey)
    answer_small(client, survey)
    again = client.post("/s/testgrad/small/send", data={"uuid": uuid})
    assert again.status_code == 302 and again.headers["Location"].endswith("/thanks")
    assert client.get("/s/testgrad/small/thanks").status_code == 200
    assert _responses() == 1


BAD_PAGE_ONE = [
    ("unknown question", {"q999999": "1"}, 400),
    ("unknown choice", {"pick": "999999"}, 422),
    ("likert out of range", {"feel": "9", "pick": "a"}, 422),
    ("likert not a number", {"feel": "<script>", "pick": "a"}, 422),
    ("missing required", {"feel": "3"}, 422),
    ("two values for one choice", {"pick": ["a", "b"]}, 422),
]


@pytest.mark.parametrize(("case", "values", "status"), BAD_PAGE_ONE,
                         ids=[c[0] for c in BAD_PAGE_ONE])
def test_bad_input_on_a_page_is_refused_translated_and_nothing_stored(
        client, make_survey, case, values, status):
    survey = make_survey()
    start(client, survey, lang="ar")
    data = {"nav": "next"}
    for name, value in values.items():
        key = name if name.startswith("q9") else field(survey, name)
        if name == "pick" and value in ("a", "b"):
            value = choice(survey, "pick", value)
        elif name == "pick" and isinstance(value, list):
            value = [choice(survey, "pick", v) for v in value]
        data[key] = value
    response = client.post("/s/testgrad/small/p/1", data=data)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert 'dir="rtl"' in page
    messages = re.findall(r'<(?:h1|p class="r-error[^"]*"[^>]*)>([^<]+)<', page)
    assert messages and all(re.search("[\u0600-\u06ff]", m) for m in messages), messages
    assert _responses() == 0


BAD_PAGE_TWO = [
    ("integer above bound", "years", "121"),
    ("integer below bound", "years", "-1"),
    ("integer not a number", "years", "seven"),
    ("oversized text", "say", "x" * 501),
    ("unknown multi choice", "many", "424242"),
    ("prefer not with a choice", "many", ["pn", "x"]),
]


@pytest.mark.parametrize(("case", "name", "value"), BAD_PAGE_TWO, ids=[c[0] for c in BAD_PAGE_TWO])
def test_bad_values_are_refused_and_the_send_stores_nothing(client, make_survey, case, name,
                                                             value):
    survey = make_survey()
    uuid = start(client, survey)
    client.post("/s/testgrad/small/p/1", data={field(survey, "pick"): choice(survey, "pick", "a"),
                                               "nav": "next"})
    if isinstance(value, list):
        value = [v if v == "pn" else choice(survey, "many", v) for v in value]
    response = client.post("/s/testgrad/small/p/2", data={field(survey, name): value,
                                                          "nav": "next"})
    assert response.status_code == 422
    assert 'class="r-error' in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert str(survey.questions[3].id) not in session["sv"]["a"] or name != "years"
    assert _responses() == 0
    assert uuid


def test_send_without_required_answer_points_back_to_the_page(client, make_survey):
    survey = make_survey()
    uuid = start(client, survey)
    response = client.post("/s/testgrad/small/send", data={"uuid": uuid})
    assert response.status_code == 400
    assert "/s/testgrad/small/p/1" in response.get_data(as_text=True)
    assert _responses() == 0


@pytest.mark.parametrize("uuid", ["", "not-a-uuid", "1" * 36])
def test_send_with_a_malformed_uuid_is_refused(client, make_survey, uuid):
    survey = make_survey()
    start(client, survey)
    client.post("/s/testgrad/small/p/1", data={field(survey, "pick"): choice(survey, "pick", "b"),
                                               "nav": "next"})
    response = client.post("/s/testgrad/small/send", data={"uuid": uuid})
    assert response.status_code == 400
    assert _responses() == 0


def test_survey_pages_weigh_under_30_kb_gzipped_with_css(client, app, make_city):
    city = make_city(slug="demo-city", default_locale="ar")
    survey = seed_city(city)
    db.session.commit()
    css = client.get("/static/css/surveys.css").get_data()
    js = client.get("/static/js/surveys.js").get_data()
    uuid = start(client, survey, lang="ar")
    assert uuid
    for path in ("/s/demo-city/living-together/", "/s/demo-city/living-together/consent?lang=ar",
                 "/s/demo-city/living-together/p/1", "/s/demo-city/living-together/p/4"):
        html = client.get(path).get_data()
        assert html, path
        weight = len(gzip.compress(html)) + len(gzip.compress(css)) + len(gzip.compress(js))
        assert weight <= 30 * 1024, (path, weight)


def test_rate_limit_answers_429_per_client(app_config, make_survey):
    from portal import create_app

    limited = create_app({**app_config, "RATELIMIT_ENABLED": True,
                          "SURVEY_SEND_RATE_LIMIT": "2 per minute"})
    with limited.app_context():
        client = limited.test_client()
        statuses = [client.post("/s/x/y/start").status_code for _ in range(3)]
    assert statuses[-1] == 429


@pytest.mark.parametrize(("value", "message"), [("3000000000", "too large"),
                                                ("-3000000000", "too small")])
def test_an_unbounded_integer_beyond_32_bits_is_refused_not_a_server_error(
        client, make_survey, value, message):
    spec = small_spec()
    for question in spec["questions"]:
        if question["name"] == "years":
            question["min"] = question["max"] = None
    survey = make_survey(spec=spec)
    start(client, survey)
    client.post("/s/testgrad/small/p/1", data={field(survey, "pick"): choice(survey, "pick", "a"),
                                               "nav": "next"})
    response = client.post("/s/testgrad/small/p/2", data={field(survey, "years"): value,
                                                          "nav": "next"})
    assert response.status_code == 422
    assert f"The number is {message}." in response.get_data(as_text=True)
    fine = client.post("/s/testgrad/small/p/2", data={field(survey, "years"): "2147483647",
                                                      "nav": "next"})
    assert fine.status_code == 302
    assert client.post("/s/testgrad/small/send",
                       data={"uuid": client_uuid(client)}).status_code == 200
    assert _responses() == 1
