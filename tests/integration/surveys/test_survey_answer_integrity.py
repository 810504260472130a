"""Stored answers always name a question and a choice of their survey (migration 0008).

survey_answer has no foreign keys to survey_question and survey_choice: what keeps them true
is the send (every answer parsed against the current survey) and the lock on a survey's
structure once it has responses. These tests hold the app to that.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import and_, func, select

from portal.extensions import db
from portal.models import Answer, Choice, Question, Response, Survey
from portal.surveys.authoring import questions as authoring
from portal.surveys.authoring.services import SurveyError
from tests.integration.surveys.conftest import answer_small, start


def _dangling() -> int:
    """Count answers whose question or choice is not one of their survey's."""
    question_missing = (
        select(func.count()).select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(Question, and_(Question.id == Answer.question_id,
                                  Question.survey_id == Response.survey_id))
        .where(Question.id.is_(None)))
    choice_missing = (
        select(func.count()).select_from(Answer)
        .outerjoin(Choice, and_(Choice.id == Answer.choice_id,
                                Choice.question_id == Answer.question_id))
        .where(Answer.choice_id.is_not(None), Choice.id.is_(None)))
    return int(db.session.scalar(question_missing) or 0) + int(
        db.session.scalar(choice_missing) or 0)


def _answered(client: Any, survey: Survey) -> int:
    """Send one response to the small survey; return the number of answer rows stored."""
    start(client, survey)
    assert answer_small(client, survey).status_code == 200
    return int(db.session.scalar(select(func.count()).select_from(Answer)) or 0)


def _form(question: Question, **changes: Any) -> dict[str, Any]:
    """Return the authoring form data that keeps a question as it is, but for ``changes``."""
    data = {name: getattr(question, name) for name in authoring.STRUCTURE + ("subscale", "reverse")}
    data.update(label=question.label.get("en", ""), hint="", section_label="",
                choices="\n".join(f"{c.name} | {c.label.get('en', '')}" for c in question.choices))
    return {**data, **changes}


def _question(survey: Survey, name: str) -> Question:
    return next(q for q in survey.questions if q.name == name)


def test_every_stored_answer_names_a_question_and_choice_of_its_survey(client, make_survey):
    survey = make_survey()
    assert _answered(client, survey) >= 6
    assert _dangling() == 0


@pytest.mark.parametrize("change", [
    "delete a question",
    "rename a choice",
    "drop a choice",
    "change a question's type",
    "turn a likert into a single choice",
])
def test_a_survey_with_responses_cannot_lose_a_question_or_choice(client, make_survey, change):
    survey = make_survey()
    stored = _answered(client, survey)
    with pytest.raises(SurveyError, match="has_responses"):
        if change == "delete a question":
            authoring.delete_question(survey, _question(survey, "many"), actor=None)
        elif change == "rename a choice":
            many = _question(survey, "many")
            authoring.save_question(survey, many, _form(many, choices="x | Ex\nz | Zed"),
                                    actor=None)
        elif change == "drop a choice":
            pick = _question(survey, "pick")
            authoring.save_question(survey, pick, _form(pick, choices="a | Alpha"), actor=None)
        elif change == "change a question's type":
            pick = _question(survey, "pick")
            authoring.save_question(survey, pick, _form(pick, qtype="multi"), actor=None)
        else:
            feel = _question(survey, "feel")
            authoring.save_question(survey, feel, _form(feel, qtype="single"), actor=None)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Answer)) == stored
    assert _dangling() == 0


def test_a_survey_with_responses_may_still_change_its_wording(client, make_survey):
    survey = make_survey()
    _answered(client, survey)
    feel = _question(survey, "feel")
    authoring.save_question(survey, feel, _form(feel, label="I feel well"), actor=None)
    db.session.commit()
    assert _question(survey, "feel").label["en"] == "I feel well"
    assert _dangling() == 0


def test_deleting_a_survey_deletes_its_responses_and_answers(client, make_survey):
    survey = make_survey()
    kept = make_survey(city=survey.city, slug="other")
    _answered(client, survey)
    _answered(client, kept)
    db.session.delete(db.session.get(Survey, survey.id))
    db.session.commit()
    assert db.session.scalars(select(Response.survey_id)).all() == [kept.id]
    left = db.session.scalars(select(Answer.response_id).distinct()).all()
    assert left == db.session.scalars(select(Response.id)).all()
    assert _dangling() == 0
