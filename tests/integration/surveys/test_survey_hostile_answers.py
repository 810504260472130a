"""Hostile answers on the residents' pages: odd digits, control characters, forged UUIDs.

Run against PostgreSQL too (PORTAL_TEST_DATABASE_URL): a NUL that reached the send failed
there, after every page had accepted it.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Answer, Response
from tests.integration.surveys.conftest import (
    answer_small,
    choice,
    client_uuid,
    field,
    fill_small,
    send,
    start,
)


def _responses() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Response)) or 0)


@pytest.mark.parametrize("name", ["feel", "pick", "many", "years"])
@pytest.mark.parametrize("raw", ["²", "٣", "5_0"])
def test_odd_digits_in_any_answer_get_a_message_not_a_server_error(client, make_survey, name,
                                                                    raw):
    survey = make_survey()
    start(client, survey)
    data = {field(survey, "pick"): choice(survey, "pick", "a"), "nav": "next"}
    page = 1
    if name in ("many", "years"):
        assert client.post("/s/testgrad/small/p/1", data=data).status_code == 302
        data, page = {"nav": "next"}, 2
    data[field(survey, name)] = raw
    response = client.post(f"/s/testgrad/small/p/{page}", data=data)
    assert response.status_code == 422
    assert 'class="r-error' in response.get_data(as_text=True)


def test_a_superscript_field_name_is_not_a_server_error(client, make_survey):
    survey = make_survey()
    start(client, survey)
    response = client.post("/s/testgrad/small/p/1", data={"q²": "1", "nav": "next"})
    assert response.status_code < 500


@pytest.mark.parametrize("text", ["a\x00b", "a\x0bb", "a\x1b[31mb"])
def test_text_with_control_characters_is_refused_on_its_page_and_the_send_still_works(
        client, make_survey, text):
    survey = make_survey()
    start(client, survey)
    client.post("/s/testgrad/small/p/1", data={field(survey, "pick"): choice(survey, "pick", "b"),
                                               "nav": "next"})
    refused = client.post("/s/testgrad/small/p/2", data={field(survey, "say"): text,
                                                         "nav": "next"})
    if "\x00" in text:  # refused at the edge, for every form (portal.web._refuse_nul)
        assert refused.status_code == 400
        assert "NUL" in refused.get_data(as_text=True)
    else:
        assert refused.status_code == 422
        assert "control characters" in refused.get_data(as_text=True)
    with client.session_transaction() as session:
        assert str(next(q.id for q in survey.questions if q.name == "say")) not in \
            session["sv"]["a"]
    client.post("/s/testgrad/small/p/2", data={field(survey, "say"): "one\ttwo\nthree",
                                               "nav": "next"})
    sent = send(client, "/s/testgrad/small/send")
    assert sent.status_code == 200 and _responses() == 1
    assert db.session.scalar(select(Answer.value_text).where(Answer.value_text.is_not(None))) \
        == "one\ttwo\nthree"


def test_one_cookie_resent_with_fresh_uuids_stores_one_response(client, make_survey):
    survey = make_survey()
    start(client, survey)
    address = fill_small(client, survey)
    with client.session_transaction() as session:
        before_send = dict(session)
    bound = client_uuid(client)
    assert send(client, address).status_code == 200 and _responses() == 1
    for _ in range(5):
        with client.session_transaction() as session:
            session.clear()
            session.update(before_send)
        forged = client.post(address, data={"uuid": str(uuid.uuid4())})
        assert forged.status_code == 400
    assert _responses() == 1
    with client.session_transaction() as session:  # the lost reply's retry still works
        session.clear()
        session.update(before_send)
    retry = client.post(address, data={"uuid": bound})
    assert retry.status_code == 200 and "Thank you" in retry.get_data(as_text=True)
    assert _responses() == 1


def test_after_the_send_the_cookie_holds_no_answers_to_send_again(client, make_survey):
    survey = make_survey()
    start(client, survey)
    assert answer_small(client, survey).status_code == 200
    again = client.post("/s/testgrad/small/send", data={"uuid": str(uuid.uuid4())})
    assert again.status_code == 302 and again.headers["Location"].endswith("/thanks")
    assert _responses() == 1


@pytest.mark.parametrize("value", [str(uuid.UUID(int=0)), str(uuid.uuid1()),
                                   str(uuid.uuid5(uuid.NAMESPACE_URL, "x"))])
def test_start_refuses_the_nil_uuid_and_non_random_ones(client, make_survey, value):
    survey = make_survey()
    client.get("/s/testgrad/small/consent?lang=en")
    response = client.post("/s/testgrad/small/start", data={"uuid": value, "lang": "en"})
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "sv" not in session
    assert survey.id
