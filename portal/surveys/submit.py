"""Store a finished set of answers once: one response, its answer rows, in one transaction."""

from __future__ import annotations

import hashlib
import json
import uuid as uuid_module
from datetime import date
from enum import Enum

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import Answer, Question, Response, Survey
from portal.surveys.answering import MISSING, Value, is_missing


class Outcome(Enum):
    """What became of a submission."""

    STORED = "stored"
    REPEATED = "repeated"  # same UUID, same answers: nothing new, the earlier acknowledgement
    CONFLICT = "conflict"  # same UUID, other answers: 409


def valid_uuid(text: str | None) -> str | None:
    """Return the canonical form of a client UUID, or None when it is not one."""
    try:
        return str(uuid_module.UUID(str(text or "")[:36]))
    except ValueError:
        return None


def answers_hash(survey_id: int, answers: dict[str, Value]) -> str:
    """Return a stable digest of a survey's answers, independent of the order they came in."""
    canonical = json.dumps({"survey": survey_id, "answers": answers}, sort_keys=True,
                           separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def answer_rows(question: Question, value: Value) -> list[Answer]:
    """Turn one compact answer into its rows: one per chosen choice, or one value, or missing."""
    if is_missing(value):
        return [Answer(question_id=question.id, missing_reason=MISSING[value])]
    if question.qtype == "likert5":
        choice = next((c for c in question.choices if c.value == value), None)
        return [Answer(question_id=question.id, value_int=int(value),
                       choice_id=choice.id if choice else None)]
    if question.qtype == "single":
        return [Answer(question_id=question.id, choice_id=int(value))]
    if question.qtype == "multi":
        return [Answer(question_id=question.id, choice_id=int(item)) for item in value]
    if question.qtype == "integer":
        return [Answer(question_id=question.id, value_int=int(value))]
    if question.qtype == "decimal":
        return [Answer(question_id=question.id, value_num=float(value))]
    return [Answer(question_id=question.id, value_text=str(value))]


def _earlier(client_uuid: str, survey: Survey, digest: str) -> Outcome | None:
    """Compare with a response already stored under this UUID, if any."""
    found = db.session.execute(
        select(Response.survey_id, Response.answers_hash).where(Response.uuid == client_uuid)
    ).first()
    if found is None:
        return None
    same = found.survey_id == survey.id and found.answers_hash == digest
    return Outcome.REPEATED if same else Outcome.CONFLICT


def store_response(survey: Survey, client_uuid: str, answers: dict[str, Value],
                   today: date) -> Outcome:
    """Store the response and its answers, unless this UUID was stored before.

    Runs in a savepoint, so a concurrent duplicate (the unique UUID) is told apart from a
    success without failing the request's transaction. Core inserts (one executemany for the
    answers) keep the send cheap.
    """
    digest = answers_hash(survey.id, answers)
    earlier = _earlier(client_uuid, survey, digest)
    if earlier is not None:
        return earlier
    questions = {str(q.id): q for q in survey.questions}
    rows = [row for key, value in answers.items() for row in answer_rows(questions[key], value)]
    try:
        with db.session.begin_nested():
            response_id = db.session.execute(
                insert(Response).values(survey_id=survey.id, uuid=client_uuid,
                                        answers_hash=digest, submitted_on=today)
                .returning(Response.id)).scalar_one()
            if rows:  # one executemany for every answer row
                db.session.execute(insert(Answer), [
                    {**row.as_dict(), "response_id": response_id} for row in rows])
    except IntegrityError:
        return _earlier(client_uuid, survey, digest) or Outcome.CONFLICT
    return Outcome.STORED
