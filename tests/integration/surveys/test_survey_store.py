"""store_response on the database under test: every kind of value, repeats, conflicts, nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, func, select

from portal.extensions import db
from portal.models import Answer, Response, Survey
from portal.surveys.answering.definition import build
from portal.surveys.answering.store import Outcome, store_response
from portal.surveys.xlsform import spec as specs
from tests.integration.surveys.conftest import answer_small, small_spec, start

UUID = "0b6f3a52-9d1e-4c8a-a5f7-2e4b6c8d0f13"


def _with_every_type() -> specs.Survey:
    spec = small_spec()
    spec["questions"] = [*spec["questions"],
                         specs.new_question("share", "decimal", label={"en": "Share"}),
                         specs.new_question("when", "date", label={"en": "When"})]
    return spec


def _rows(response_id: int) -> list[tuple[object, ...]]:
    return [tuple(r) for r in db.session.execute(
        select(Answer.question_id, Answer.choice_id, Answer.value_int, Answer.value_num,
               Answer.value_text, Answer.missing_reason)
        .where(Answer.response_id == response_id).order_by(Answer.id))]


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_every_kind_of_answer_is_stored_as_its_rows(app, make_survey):
    survey = make_survey(spec=_with_every_type())
    q = {question.name: question for question in survey.questions}
    pick_b = q["pick"].choices[1].id
    many = [c.id for c in q["many"].choices]
    answers = {str(q["feel"].id): 4, str(q["pick"].id): pick_b, str(q["many"].id): many,
               str(q["years"].id): 0, str(q["say"].id): "Ç'kemi — مرحبا", str(q["share"].id): 2.5,
               str(q["when"].id): "2026-11-25"}
    with app.test_request_context():
        definition = build(db.session.get(Survey, survey.id))
        assert store_response(definition, UUID, answers, date(2026, 11, 25)) is Outcome.STORED
        db.session.commit()
    stored = db.session.scalars(select(Response)).one()
    assert (stored.uuid, stored.submitted_on) == (UUID, date(2026, 11, 25))
    four = next(c.id for c in q["feel"].choices if c.value == 4)
    assert _rows(stored.id) == [
        (q["feel"].id, four, 4, None, None, None),
        (q["pick"].id, pick_b, None, None, None, None),
        (q["many"].id, many[0], None, None, None, None),
        (q["many"].id, many[1], None, None, None, None),
        (q["years"].id, None, 0, None, None, None),
        (q["say"].id, None, None, None, "Ç'kemi — مرحبا", None),
        (q["share"].id, None, None, 2.5, None, None),
        (q["when"].id, None, None, None, "2026-11-25", None),
    ]


def test_missing_answers_are_rows_without_a_value(app, make_survey):
    survey = make_survey()
    q = {question.name: question for question in survey.questions}
    answers = {str(q["feel"].id): "dk", str(q["many"].id): "pn"}
    with app.test_request_context():
        store_response(build(db.session.get(Survey, survey.id)), UUID, answers, date.today())
        db.session.commit()
    stored = db.session.scalars(select(Response)).one()
    assert _rows(stored.id) == [(q["feel"].id, None, None, None, None, "dont_know"),
                                (q["many"].id, None, None, None, None, "prefer_not")]


def test_repeat_conflict_and_an_empty_set_of_answers(app, make_survey):
    survey = make_survey()
    q = {question.name: question for question in survey.questions}
    answers = {str(q["feel"].id): 2}
    with app.test_request_context():
        definition = build(db.session.get(Survey, survey.id))
        assert store_response(definition, UUID, answers, date.today()) is Outcome.STORED
        assert store_response(definition, UUID, answers, date.today()) is Outcome.REPEATED
        assert store_response(definition, UUID, {str(q["feel"].id): 3},
                              date.today()) is Outcome.CONFLICT
        other = "5a0e9c1d-7b3f-4e2a-9c8d-1f0e2d3c4b5a"
        assert store_response(definition, other, {}, date.today()) is Outcome.STORED
        db.session.commit()
    assert _count(Response) == 2 and _count(Answer) == 1
    empty = db.session.scalar(select(Response.id).where(Response.uuid == other))
    assert _rows(empty) == []


def _autocommit_of_sends(app, action) -> list[bool]:
    """Run an action; return, for each response INSERT it ran, whether it ran in autocommit."""
    seen: list[bool] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if "INSERT INTO survey_response" in statement:
            seen.append(conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT")

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_on_postgresql_the_send_is_one_autocommitted_statement(app, client, make_survey):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite sends in the request's transaction")
    survey = make_survey()
    start(client, survey)
    db.session.commit()  # the test's own session holds no transaction into the request
    assert _autocommit_of_sends(app, lambda: answer_small(client, survey)) == [True]
    assert _count(Response) == 1 and _count(Answer) == 6


def test_a_request_already_in_a_transaction_keeps_it(app, make_survey):
    survey = make_survey()
    q = {question.name: question for question in survey.questions}

    def store_inside_a_transaction() -> None:
        with app.test_request_context():
            db.session.execute(select(func.count()).select_from(Response))  # begins one
            store_response(build(db.session.get(Survey, survey.id)), UUID,
                           {str(q["feel"].id): 5}, date.today())
            db.session.rollback()

    assert _autocommit_of_sends(app, store_inside_a_transaction) == [False]
    assert _count(Response) == 0  # rolled back with the transaction
