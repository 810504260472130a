"""Store a finished set of answers once: one response, its answer rows, in one transaction."""

from __future__ import annotations

import hashlib
import json
import re
import uuid as uuid_module
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, insert, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.extensions import db
from portal.models import Answer, Response
from portal.surveys.answering import MISSING, Value, is_missing

if TYPE_CHECKING:
    from portal.surveys.answering import AnyQuestion, AnySurvey


class Outcome(Enum):
    """What became of a submission."""

    STORED = "stored"
    REPEATED = "repeated"  # same UUID, same answers: nothing new, the earlier acknowledgement
    CONFLICT = "conflict"  # same UUID, other answers: 409


_UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")


def valid_uuid(text: str | None) -> str | None:
    """Return the canonical form of a client UUID (hex, with or without its hyphens), else None."""
    if text is None or _UUID_TEXT.fullmatch(text) is None:
        return None
    return str(uuid_module.UUID(text))


def answers_hash(survey_id: int, answers: dict[str, Value]) -> str:
    """Return a stable digest of a survey's answers, independent of the order they came in."""
    canonical = json.dumps({"survey": survey_id, "answers": answers}, sort_keys=True,
                           separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


Row = dict[str, Any]
_INSERT_ANSWER = insert(Answer.__table__)
_EMPTY: Row = {"choice_id": None, "value_int": None, "value_num": None, "value_text": None,
               "missing_reason": None}


def _row(question: AnyQuestion, **values: Any) -> Row:
    return {**_EMPTY, "question_id": question.id, **values}


def answer_rows(question: AnyQuestion, value: Value) -> list[Row]:
    """Turn one compact answer into its rows: one per chosen choice, or one value, or missing."""
    if is_missing(value):
        return [_row(question, missing_reason=MISSING[value])]
    if question.qtype == "likert5":
        choice = next((c for c in question.choices if c.value == value), None)
        return [_row(question, value_int=int(value), choice_id=choice.id if choice else None)]
    if question.qtype == "single":
        return [_row(question, choice_id=int(value))]
    if question.qtype == "multi":
        return [_row(question, choice_id=int(item)) for item in value]
    if question.qtype == "integer":
        return [_row(question, value_int=int(value))]
    if question.qtype == "decimal":
        return [_row(question, value_num=float(value))]
    return [_row(question, value_text=str(value))]


def _earlier(client_uuid: str, survey_id: int, digest: str) -> Outcome:
    """Compare with the response already stored under this UUID."""
    found = db.session.execute(
        select(Response.survey_id, Response.answers_hash).where(Response.uuid == client_uuid)
    ).first()
    if found is None:  # cannot happen: the insert just found the UUID taken
        return Outcome.CONFLICT
    same = found.survey_id == survey_id and found.answers_hash == digest
    return Outcome.REPEATED if same else Outcome.CONFLICT


# SQLite: the response INSERT … RETURNING id, doing nothing when the UUID is taken.
_SQLITE_INSERT_RESPONSE = (
    sqlite_insert(Response.__table__)
    .on_conflict_do_nothing(index_elements=[Response.__table__.c.uuid])
    .returning(Response.__table__.c.id))


ANSWER_COLUMNS = ("question_id", "choice_id", "value_int", "value_num", "value_text",
                  "missing_reason")
# PostgreSQL: the response and all its answer rows in ONE statement (one round trip). The
# answers come as one array per column, unnested into rows; when the UUID is taken, the first
# INSERT returns no id, so the second inserts nothing and the statement returns no row. The
# SQL text is the same for any number of answers, so the server prepares it once per connection.
_PG_SEND = text("""
WITH response AS (
    INSERT INTO survey_response (survey_id, uuid, answers_hash, submitted_on)
    VALUES (:survey_id, :uuid, :answers_hash, :submitted_on)
    ON CONFLICT (uuid) DO NOTHING
    RETURNING id
), answers AS (
    INSERT INTO survey_answer (response_id, question_id, choice_id, value_int, value_num,
                               value_text, missing_reason)
    SELECT response.id, item.* FROM response, unnest(
        CAST(:question_id AS integer[]), CAST(:choice_id AS integer[]),
        CAST(:value_int AS integer[]), CAST(:value_num AS double precision[]),
        CAST(:value_text AS text[]), CAST(:missing_reason AS varchar[])) AS item
)
SELECT id FROM response""").columns(id=Integer)


def store_response(survey: AnySurvey, client_uuid: str, answers: dict[str, Value],
                   today: date) -> Outcome:
    """Store the response and its answers, unless this UUID was stored before.

    On the request's connection. PostgreSQL: one statement (above), atomic by itself, so the
    residents' pages may run it in autocommit (portal.surveys.definition.resident_connection).
    SQLite (in-process, no round trips), in the request's transaction: the response insert,
    ON CONFLICT DO NOTHING on the unique UUID, so a repeat or a concurrent duplicate is told
    apart without an error or a savepoint, then one executemany for the answer rows.
    """
    digest = answers_hash(survey.id, answers)
    questions = {str(q.id): q for q in survey.questions}
    rows = [row for key, value in answers.items() for row in answer_rows(questions[key], value)]
    connection = db.session.connection()
    dialect = connection.dialect.name
    response = {"survey_id": survey.id, "uuid": client_uuid, "answers_hash": digest,
                "submitted_on": today}
    if dialect == "postgresql":
        columns = {name: [row[name] for row in rows] for name in ANSWER_COLUMNS}
        response_id = connection.execute(_PG_SEND, {**response, **columns}).scalar_one_or_none()
    elif dialect == "sqlite":
        response_id = connection.execute(_SQLITE_INSERT_RESPONSE, response).scalar_one_or_none()
        if response_id is not None and rows:  # one executemany for every answer row
            connection.execute(_INSERT_ANSWER,
                               [{**row, "response_id": response_id} for row in rows])
    else:
        raise NotImplementedError(f"storing survey responses on {dialect}")
    if response_id is None:
        return _earlier(client_uuid, survey.id, digest)
    return Outcome.STORED
