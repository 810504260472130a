"""Factories of the results tests: a resilience survey and synthetic responses."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from portal.extensions import db
from portal.models import Answer, City, Response, Survey
from portal.testing import fake


@pytest.fixture
def make_survey(app: Any) -> Callable[..., Survey]:
    """Create the demo resilience survey in a city: make_survey(city, slug=, wave=)."""

    def factory(city: City, slug: str = "resilience", wave: str = "Baseline") -> Survey:
        survey = fake.build_demo_survey(city, slug=slug, wave=wave)
        db.session.commit()
        return survey

    return factory


@pytest.fixture
def add_responses(app: Any) -> Callable[..., int]:
    """Insert n synthetic responses to a survey with a fixed seed."""

    def factory(survey: Survey, n: int, seed: int = 7, **options: Any) -> int:
        done = fake.insert_responses(survey, n, seed=seed, **options)
        db.session.commit()
        return done

    return factory


@pytest.fixture
def add_response(app: Any) -> Callable[..., Response]:
    """Store one response: add_response(survey, {"bel_1": 4, "bel_2": "dk", "gender": "woman"})."""
    counter = iter(range(1, 1_000_000))

    def factory(survey: Survey, answers: dict[str, Any], on: date = date(2025, 3, 5)) -> Response:
        questions = {q.name: q for q in survey.questions}
        response = Response(survey_id=survey.id, uuid=str(uuid.UUID(int=next(counter))),
                            answers_hash="test", submitted_on=on)
        for name, value in answers.items():
            q = questions[name]
            by_name = {c.name: c for c in q.choices}
            if value in ("dk", "pn"):
                reason = "dont_know" if value == "dk" else "prefer_not"
                response.answers.append(Answer(question_id=q.id, missing_reason=reason))
            elif q.qtype == "likert5":
                choice = next(c for c in q.choices if c.value == value)
                response.answers.append(Answer(question_id=q.id, value_int=value,
                                               choice_id=choice.id))
            else:
                for item in value if isinstance(value, list) else [value]:
                    response.answers.append(Answer(question_id=q.id,
                                                   choice_id=by_name[item].id))
        db.session.add(response)
        db.session.commit()
        return response

    return factory
