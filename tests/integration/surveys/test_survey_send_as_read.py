"""The send's first try: one statement that stores only while the survey is as last read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

from portal.extensions import db
from portal.models import Answer, City, Response, Survey
from portal.surveys.answering.definition import (
    availability,
    cache,
    last_seen_survey,
    public_survey,
)
from portal.surveys.answering.store import store_if_as_read
from tests.integration.surveys.conftest import answer_small, fill_small, send, start

UUID = "0b6f3a52-9d1e-4c8a-a5f7-2e4b6c8d0f13"
TODAY = date.today()
DAY = timedelta(days=1)


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _statements(action: Callable[[], Any]) -> list[str]:
    """Run an action; return the SQL statements it sent to the database."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return seen


def _change(survey_id: int, **values: Any) -> None:
    """Change the survey in the database behind the answering pages' back (another worker)."""
    db.session.execute(update(Survey).where(Survey.id == survey_id).values(**values))
    db.session.commit()


def test_a_send_reads_nothing_when_the_survey_is_as_last_read(client, make_survey):
    survey = make_survey()
    start(client, survey)
    db.session.commit()
    statements = _statements(lambda: answer_small(client, survey))
    send = statements[statements.index(next(s for s in statements if "survey_response" in s)):]
    assert not [s for s in send if s.upper().startswith("SELECT")]  # no read of the survey
    expected = 1 if db.engine.dialect.name == "postgresql" else 2  # SQLite: + the answer rows
    assert len(send) == expected, send
    assert _count(Response) == 1 and _count(Answer) == 6


@pytest.mark.parametrize("change", ["closed", "closes_yesterday", "opens_tomorrow", "revision",
                                    "city_renamed", "slug"])
def test_a_survey_changed_since_it_was_read_stores_nothing(app, make_survey, change):
    survey = make_survey()
    q = {question.name: question for question in survey.questions}
    with app.test_request_context():
        as_read = public_survey("testgrad", "small")
        assert as_read is not None
    if change == "city_renamed":
        db.session.execute(update(City).where(City.id == survey.city_id).values(name="Renamed"))
        db.session.commit()
    else:
        _change(survey.id, **{"closed": {"status": "closed"},
                              "closes_yesterday": {"closes_on": TODAY - DAY},
                              "opens_tomorrow": {"opens_on": TODAY + DAY},
                              "revision": {"revision": survey.revision + 1},
                              "slug": {"slug": "renamed"}}[change])
    with app.test_request_context():
        assert store_if_as_read(as_read, UUID, {str(q["feel"].id): 4}, TODAY) is False
        db.session.commit()
    assert _count(Response) == 0 and _count(Answer) == 0


def test_a_taken_uuid_stores_nothing(app, make_survey):
    survey = make_survey()
    q = {question.name: question for question in survey.questions}
    with app.test_request_context():
        as_read = public_survey("testgrad", "small")
        assert store_if_as_read(as_read, UUID, {str(q["feel"].id): 4}, TODAY) is True
        assert store_if_as_read(as_read, UUID, {str(q["feel"].id): 4}, TODAY) is False
        db.session.commit()
    assert _count(Response) == 1 and _count(Answer) == 1


STATUSES = ["draft", "open", "closed"]
DATES = [None, TODAY - DAY, TODAY, TODAY + DAY]


def test_the_statement_and_the_availability_rule_agree(app, make_survey):
    """Every status × opening date × closing date: stored exactly when the survey is open."""
    survey = make_survey()
    q = {question.name: question for question in survey.questions}
    disagree, number = [], 0
    for status in STATUSES:
        for opens_on in DATES:
            for closes_on in DATES:
                _change(survey.id, status=status, opens_on=opens_on, closes_on=closes_on)
                with app.test_request_context():
                    as_read = public_survey("testgrad", "small")
                    assert as_read is not None
                    number += 1
                    uuid = f"00000000-0000-4000-8000-{number:012d}"
                    stored = store_if_as_read(as_read, uuid, {str(q["feel"].id): 4}, TODAY)
                    db.session.commit()
                if stored != (availability(as_read, TODAY) == "open"):
                    disagree.append((status, opens_on, closes_on, stored))
    assert disagree == []
    assert _count(Response) == 3 * 3  # open, each date absent or admitting today: 3 × 3


def test_a_send_after_the_survey_closed_elsewhere_gets_the_closed_page(client, make_survey):
    survey = make_survey()
    start(client, survey)
    address = fill_small(client, survey)
    _change(survey.id, status="closed")  # this process still remembers it open
    with client.application.test_request_context():
        assert last_seen_survey("testgrad", "small").status == "open"
    response = send(client, address)
    assert response.status_code == 410
    assert _count(Response) == 0


def test_a_send_after_an_edit_elsewhere_is_checked_against_the_edit(client, make_survey):
    survey = make_survey()
    start(client, survey)
    address = fill_small(client, survey)
    revision = survey.revision
    _change(survey.id, revision=revision + 1)  # as an authoring change in another worker
    statements = _statements(lambda: send(client, address))
    inserts = [s for s in statements if s.upper().startswith(("INSERT INTO SURVEY_RESPONSE",
                                                                "WITH"))]
    assert len(inserts) == 2  # the first try stored nothing, the second did
    assert any(s.upper().startswith("SELECT") and "revision" in s for s in statements)
    assert _count(Response) == 1
    with client.application.app_context():  # the send read the survey again and remembered it
        assert last_seen_survey("testgrad", "small").revision == revision + 1


def test_the_remembered_addresses_are_bounded(app, make_survey):
    make_survey()
    with app.test_request_context():
        found = public_survey("testgrad", "small")
        store = cache()
        for number in range(5 * store.size):
            store.saw((f"city{number}", "small"), found)
        assert len(store.seen) == 4 * store.size
        assert last_seen_survey("testgrad", "small") is None  # the oldest went first
