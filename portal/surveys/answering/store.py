"""Store a finished set of answers once: one response, its answer rows, in one transaction."""

from __future__ import annotations

import hashlib
import json
import re
import uuid as uuid_module
from collections.abc import Callable
from datetime import date
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, select
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from portal.extensions import db
from portal.models import Response
from portal.models.base import UTCDateTime
from portal.surveys.answering.answers import MISSING, Value, is_missing
from portal.surveys.answering.definition import resident_connection
from portal.surveys.answering.pages import QuestionLike, SurveyLike

if TYPE_CHECKING:
    from portal.surveys.answering.definition import PublicSurvey


class Outcome(Enum):
    """What became of a submission."""

    STORED = "stored"
    REPEATED = "repeated"  # same UUID, same answers: nothing new, the earlier acknowledgement
    CONFLICT = "conflict"  # same UUID, other answers: 409


_UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")


def valid_uuid(text: str | None) -> str | None:
    """Return the canonical form of a random (version 4) UUID, hyphens optional, else None.

    The nil UUID and the UUIDs made from a clock or a name (versions 1, 3, 5…) are refused:
    a send's UUID tells one resident's form from every other, so it must be random.
    """
    if text is None or _UUID_TEXT.fullmatch(text) is None:
        return None
    value = uuid_module.UUID(text)
    return str(value) if value.version == 4 else None


def answers_hash(survey_id: int, answers: dict[str, Value]) -> str:
    """Return a stable digest of a survey's answers, independent of the order they came in."""
    canonical = json.dumps({"survey": survey_id, "answers": answers}, sort_keys=True,
                           separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


Row = dict[str, Any]


def _row(question: QuestionLike, **values: Any) -> Row:
    """Return an answer row: the question and its values (a column left out is NULL)."""
    return {"question_id": question.id, **values}


def answer_rows(question: QuestionLike, value: Value) -> list[Row]:
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
    if question.qtype in ("range", "calculate") and isinstance(value, int) \
            and not isinstance(value, bool):
        return [_row(question, value_int=value)]
    if question.qtype in ("range", "calculate") and isinstance(value, float):
        return [_row(question, value_num=value)]
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


def _answers_json(rows: list[Row]) -> str:
    """Return the answer rows as one JSON array of objects, each with its non-null values.

    PostgreSQL turns it back into rows in the send's statement (below): one parameter, encoded
    in C, instead of an array per column adapted one element at a time. A key left out is NULL.
    """
    return json.dumps([{key: value for key, value in row.items() if value is not None}
                       for row in rows], separators=(",", ":"), ensure_ascii=False)


# The send's statements go to the driver as SQL text (Connection.exec_driver_sql): no statement
# compilation or parameter processing per send, but SQLAlchemy's events and logging still see
# them. Dates are bound with the dialect's own processors (_binders), as the ORM binds them.

# The survey as the send last read it (definition.last_seen_survey) is still
# the one in the database, unchanged, and open today: the rule of definition.availability, in
# SQL (tests/integration/surveys/test_survey_send_as_read.py checks that they agree).
_AS_READ = """
    FROM survey JOIN city ON city.id = survey.city_id
    WHERE survey.id = :survey_id AND survey.created_at = :created_at
      AND survey.revision = :revision AND survey.slug = :slug AND city.slug = :city
      AND city.name = :city_name AND survey.status = 'open'
      AND (survey.opens_on IS NULL OR survey.opens_on <= :submitted_on)
      AND (survey.closes_on IS NULL OR survey.closes_on >= :submitted_on)"""

# SQLite (in-process, no round trips): the response INSERT … RETURNING id, doing nothing when
# the UUID is taken, then the answer rows in one executemany (faster under concurrent sends, as
# measured with benchmarks/submit_bench.py, than one INSERT … SELECT over json_each).
_RESPONSE_INTO = ("INSERT INTO survey_response (survey_id, uuid, answers_hash, submitted_on, "
                  "collection_mode)")
_RESPONSE_VALUES = "VALUES (:survey_id, :uuid, :answers_hash, :submitted_on, :collection_mode)"
_SQLITE_RESPONSE = (f"{_RESPONSE_INTO} {_RESPONSE_VALUES}"
                    " ON CONFLICT (uuid) DO NOTHING RETURNING id")
_SQLITE_RESPONSE_AS_READ = (f"{_RESPONSE_INTO} SELECT survey.id, :uuid, :answers_hash, "
                            f":submitted_on, :collection_mode{_AS_READ}"
                            " ON CONFLICT (uuid) DO NOTHING RETURNING id")
_ANSWER_COLUMNS = ("question_id", "choice_id", "value_int", "value_num", "value_text",
                   "missing_reason")
_SQLITE_ANSWERS = (f"INSERT INTO survey_answer (response_id, {', '.join(_ANSWER_COLUMNS)}) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)")

# PostgreSQL: the response and all its answer rows in ONE statement (one round trip). The
# answers come as one JSON array (_answers_json), turned back into typed rows by
# json_to_recordset; when the UUID is taken (or, as read, the survey has changed), the first
# INSERT returns no id, so the second inserts nothing and the statement returns no row. The
# SQL text is the same for any number of answers, so the server prepares it once per connection.
_PG_SEND = """
WITH response AS (
    {into}
    {source}
    ON CONFLICT (uuid) DO NOTHING
    RETURNING id
), answers AS (
    INSERT INTO survey_answer (response_id, question_id, choice_id, value_int, value_num,
                               value_text, missing_reason)
    SELECT response.id, item.* FROM response, json_to_recordset(CAST(:answers AS json)) AS item(
        question_id integer, choice_id integer, value_int integer, value_num double precision,
        value_text text, missing_reason varchar)
)
SELECT id FROM response"""


def _pyformat(sql: str) -> str:
    """Turn :name placeholders into psycopg's %(name)s."""
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)


_PG_RESPONSE = _pyformat(_PG_SEND.format(into=_RESPONSE_INTO, source=_RESPONSE_VALUES))
_PG_RESPONSE_AS_READ = _pyformat(_PG_SEND.format(into=_RESPONSE_INTO, source=(
    "SELECT survey.id, CAST(:uuid AS varchar), CAST(:answers_hash AS varchar), "
    f"CAST(:submitted_on AS date), CAST(:collection_mode AS varchar){_AS_READ}")))


@lru_cache(maxsize=8)
def _binders(dialect: Dialect) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """Return the dialect's bind processors of the aware UTC datetime and the date."""

    def processor(type_: TypeEngine[Any]) -> Callable[[Any], Any]:
        found = type_.dialect_impl(dialect).bind_processor(dialect)
        return found if found is not None else (lambda value: value)

    return processor(UTCDateTime()), processor(Date())


def _insert(survey: SurveyLike, client_uuid: str, answers: dict[str, Value], today: date,
            as_read: PublicSurvey | None = None, mode: str = "web") -> int | None:
    """Insert the response and its answers; return its id, or None when nothing was stored.

    On the request's connection. PostgreSQL: one statement (above), atomic by itself, so the
    residents' pages may run it in autocommit (definition.resident_connection).
    SQLite, in the request's transaction: the response insert, ON CONFLICT DO NOTHING on the
    unique UUID, so a repeat or a concurrent duplicate is told apart without an error or a
    savepoint, then one executemany for the answer rows. With ``as_read``, the response is
    inserted only while the survey is as read (_AS_READ).
    """
    questions = {str(q.id): q for q in survey.questions}
    rows = [row for key, value in answers.items() for row in answer_rows(questions[key], value)]
    # The first try of a send is the request's first use of the database (see the caller).
    connection = db.session.connection() if as_read is None else resident_connection()
    dialect = connection.dialect
    bind_datetime, bind_date = _binders(dialect)
    response = {"survey_id": survey.id, "uuid": client_uuid,
                "answers_hash": answers_hash(survey.id, answers), "submitted_on": bind_date(today),
                "collection_mode": mode}
    if as_read is not None:
        response.update(created_at=bind_datetime(as_read.created_at), revision=as_read.revision,
                        slug=as_read.slug, city=as_read.city.slug, city_name=as_read.city.name)
    if dialect.name == "postgresql":
        statement = _PG_RESPONSE if as_read is None else _PG_RESPONSE_AS_READ
        return connection.exec_driver_sql(statement, {**response, "answers": _answers_json(rows)}
                                          ).scalar_one_or_none()
    if dialect.name != "sqlite":
        raise NotImplementedError(f"storing survey responses on {dialect.name}")
    statement = _SQLITE_RESPONSE if as_read is None else _SQLITE_RESPONSE_AS_READ
    response_id = connection.exec_driver_sql(statement, response).scalar_one_or_none()
    if response_id is not None and rows:  # one executemany for every answer row
        connection.exec_driver_sql(_SQLITE_ANSWERS, [
            (response_id, *(row.get(column) for column in _ANSWER_COLUMNS)) for row in rows])
    return response_id


def store_response(survey: SurveyLike, client_uuid: str, answers: dict[str, Value],
                   today: date, mode: str = "web") -> Outcome:
    """Store the response and its answers, unless this UUID was stored before.

    ``mode`` is how the answers were collected (web, device, paper); it is not part of the
    answers' hash, so a resent form is recognised whichever way it comes.
    """
    if _insert(survey, client_uuid, answers, today, mode=mode) is None:
        return _earlier(client_uuid, survey.id, answers_hash(survey.id, answers))
    return Outcome.STORED


def store_if_as_read(survey: PublicSurvey, client_uuid: str, answers: dict[str, Value],
                     today: date, mode: str = "web") -> bool:
    """Store the response only if the survey is still exactly as read, and open; say whether.

    The send's first try, with the survey as this process last read it and no query of its
    own: nothing is stored when anything read has changed since (or the UUID is taken), and
    the send then reads the survey again and decides as usual (store_response).
    """
    return _insert(survey, client_uuid, answers, today, as_read=survey, mode=mode) is not None
