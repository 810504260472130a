"""The answering pages' definition cache: keyed by Survey.revision, which authoring bumps."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Choice, Question, Response, Survey
from portal.surveys.answering.definition import DefinitionCache, build
from portal.surveys.answering.store import Outcome, store_response
from tests.integration.surveys.conftest import choice, client_uuid, field, start


def revision_of(survey: Survey) -> int:
    """Return the stored revision, read fresh from the database."""
    db.session.expire_all()
    return int(db.session.scalar(select(Survey.revision).where(Survey.id == survey.id)))


def question(survey: Survey, name: str) -> Question:
    """Return a question of the survey by name."""
    return next(q for q in survey.questions if q.name == name)


def _relabel(survey: Survey) -> None:
    question(survey, "feel").label = {"en": "Relabelled", "ar": "جديد"}


def _add_choice(survey: Survey) -> None:
    question(survey, "pick").choices.append(Choice(position=9, name="c", label={"en": "Gamma"}))


def _drop_question(survey: Survey) -> None:
    db.session.delete(question(survey, "say"))


def _add_question(survey: Survey) -> None:
    survey.questions.append(Question(position=9, name="new", qtype="text", label={"en": "New"}))


def _retitle(survey: Survey) -> None:
    survey.title = {"en": "Other title", "ar": "عنوان"}


def _relabel_choice(survey: Survey) -> None:
    question(survey, "pick").choices[0].label = {"en": "A!", "ar": "أ"}


@pytest.mark.parametrize("change", [_relabel, _add_choice, _drop_question, _add_question,
                                    _retitle, _relabel_choice])
def test_every_authoring_change_bumps_the_revision_once(make_survey, change):
    survey = make_survey()
    before = revision_of(survey)
    change(db.session.get(Survey, survey.id))
    db.session.commit()
    assert revision_of(survey) == before + 1


def test_storing_responses_leaves_the_revision_alone(app, make_survey):
    survey = make_survey()
    before = revision_of(survey)
    with app.test_request_context():
        outcome = store_response(build(db.session.get(Survey, survey.id)),
                                 "6f1c2a1e-3b4d-4c5e-8f90-1a2b3c4d5e6f", {}, date.today())
        db.session.commit()
    assert outcome is Outcome.STORED
    assert revision_of(survey) == before


def test_public_pages_show_a_relabelled_question_after_an_edit(client, make_survey):
    survey = make_survey()
    start(client, survey)
    page = f"/s/{survey.city.slug}/{survey.slug}/p/1"
    assert "I feel fine" in client.get(page).get_data(as_text=True)
    _relabel(db.session.get(Survey, survey.id))
    db.session.commit()
    shown = client.get(page).get_data(as_text=True)
    assert "Relabelled" in shown and "I feel fine" not in shown


def test_public_pages_show_a_question_added_after_the_first_visit(client, make_survey):
    survey = make_survey()
    start(client, survey)
    page = f"/s/{survey.city.slug}/{survey.slug}/p/1"
    assert "Brand new question" not in client.get(page).get_data(as_text=True)
    survey = db.session.get(Survey, survey.id)
    for later in survey.questions[2:]:
        later.position += 1
    survey.questions.append(Question(position=2, name="fresh", qtype="text", section="one",
                                     label={"en": "Brand new question", "ar": "سؤال جديد"}))
    db.session.commit()
    assert "Brand new question" in client.get(page).get_data(as_text=True)


def test_send_checks_answers_against_the_edited_survey(client, make_survey):
    survey = make_survey()
    start(client, survey)
    base = f"/s/{survey.city.slug}/{survey.slug}"
    client.post(f"{base}/p/1", data={field(survey, "pick"): choice(survey, "pick", "b"),
                                     "nav": "next"})
    assert client.post(f"{base}/p/2", data={"nav": "next"}).status_code == 302
    assert client.get(f"{base}/send").status_code == 200  # the definition is cached now
    survey = db.session.get(Survey, survey.id)
    survey.questions.append(Question(position=9, name="late", qtype="text", section="two",
                                     required=True, label={"en": "Late", "ar": "متأخر"}))
    db.session.commit()
    response = client.post(f"{base}/send", data={"uuid": client_uuid(client)})
    assert response.status_code == 400  # the new required question has no answer yet
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_cached_page_costs_one_query(client, make_survey, count_queries):
    survey = make_survey()
    start(client, survey)
    page = f"/s/{survey.city.slug}/{survey.slug}/p/1"
    client.get(page)
    with count_queries() as statements:
        assert client.get(page).status_code == 200
    assert len(statements) == 1, statements


def test_status_is_read_live_not_from_the_cache(client, make_survey):
    survey = make_survey()
    base = f"/s/{survey.city.slug}/{survey.slug}"
    assert client.get(f"{base}/consent?lang=en").status_code == 200
    db.session.get(Survey, survey.id).status = "closed"
    db.session.commit()
    assert client.get(f"{base}/consent?lang=en").status_code == 410


def test_cache_keeps_only_the_most_recently_used_entries(make_survey):
    definition = build(db.session.get(Survey, make_survey().id))
    cache = DefinitionCache(size=2)
    keys = [(1, None, 0), (2, None, 0), (3, None, 0)]
    for key in keys[:2]:
        cache.put(key, definition)  # type: ignore[arg-type]
    assert cache.get(keys[0]) is definition  # now the most recent
    cache.put(keys[2], definition)  # type: ignore[arg-type]
    assert cache.get(keys[1]) is None
    assert cache.get(keys[0]) is definition and cache.get(keys[2]) is definition
