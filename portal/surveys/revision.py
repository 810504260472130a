"""Bump ``Survey.revision`` whenever a survey, its questions or its choices change.

One ORM hook (before every flush) covers every authoring path — the views, XLSForm import,
copies, the CLI and the demo — so the answering pages' cache
(portal.surveys.answering.definition) can key on the revision. Core-level UPDATE/DELETE
statements on these tables would bypass it: the survey code does not use them, and must not.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.models import Choice, Question, Survey


def _survey_of(session: Session, obj: object) -> Survey | None:
    """Return the survey an authored object belongs to, if it is one."""
    if isinstance(obj, Choice):
        obj = obj.question if obj.question is not None else (
            session.get(Question, obj.question_id) if obj.question_id else None)
    if isinstance(obj, Question):
        if obj.survey is not None:
            return obj.survey
        return session.get(Survey, obj.survey_id) if obj.survey_id else None
    return obj if isinstance(obj, Survey) else None


@event.listens_for(Session, "before_flush")
def bump_revisions(session: Session, flush_context: Any, instances: Any) -> None:
    """Add one to the revision of every stored survey whose content this flush changes."""
    changed: dict[int, Survey] = {}
    with session.no_autoflush:
        for obj in chain(session.new, session.dirty, session.deleted):
            if not isinstance(obj, (Survey, Question, Choice)):
                continue
            survey = _survey_of(session, obj)
            if survey is not None:
                changed[id(survey)] = survey
    for survey in changed.values():
        if survey in session.new or survey in session.deleted or survey.id is None:
            continue
        survey.revision = Survey.revision + 1  # in SQL: concurrent authors both count
