"""Survey queries and life cycle: lookup, completeness, create, settings, open/close, copy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.extensions import db
from portal.models import Choice, City, Question, Response, Survey, User

if TYPE_CHECKING:
    from sqlalchemy.sql.base import ExecutableOption


QUESTION_TEXTS = ("label", "hint", "section_label", "constraint_message")


class SurveyError(ValueError):
    """An authoring action that the survey's state does not allow; the message is translated."""


def _loaded() -> ExecutableOption:
    return selectinload(Survey.questions).selectinload(Question.choices)


def survey_of(city: City, slug: str) -> Survey | None:
    """Return a city's survey with its questions and choices, or None."""
    query = select(Survey).where(Survey.city_id == city.id, Survey.slug == slug)
    return db.session.scalar(query.options(_loaded()))


def surveys_of(city: City) -> list[tuple[Survey, int]]:
    """Return a city's surveys, newest first, each with its count of responses."""
    counts = (select(Response.survey_id, func.count().label("n"))
              .group_by(Response.survey_id).subquery())
    query = (select(Survey, func.coalesce(counts.c.n, 0))
             .outerjoin(counts, counts.c.survey_id == Survey.id)
             .where(Survey.city_id == city.id).order_by(Survey.created_at.desc(), Survey.id))
    return [(survey, int(n)) for survey, n in db.session.execute(query)]


def response_count(survey: Survey) -> int:
    """Return how many responses a survey holds."""
    query = select(func.count()).select_from(Response).where(Response.survey_id == survey.id)
    return int(db.session.scalar(query) or 0)


@dataclass(frozen=True)
class Completeness:
    """How many of the texts present in the default language exist in another language."""

    language: str
    done: int
    total: int

    @property
    def complete(self) -> bool:
        """Return True when every text is translated."""
        return self.done >= self.total

    @property
    def percent(self) -> int:
        """Return the share translated, rounded down."""
        return 100 if not self.total else self.done * 100 // self.total


def _texts(survey: Survey) -> list[dict[str, str]]:
    """Return every translatable text dict of a survey."""
    texts = [survey.title, survey.consent]
    for question in survey.questions:
        texts += [getattr(question, name) for name in QUESTION_TEXTS]
        texts += [choice.label for choice in question.choices]
    return texts


def completeness(survey: Survey) -> list[Completeness]:
    """Return the completeness of each of the survey's languages, default language first."""
    base = [t for t in _texts(survey) if (t or {}).get(survey.default_language, "").strip()]
    ordered = [survey.default_language] + [
        code for code in survey.languages if code != survey.default_language]
    return [Completeness(code, sum(1 for t in base if (t.get(code) or "").strip()), len(base))
            for code in ordered]


def open_survey(survey: Survey, *, actor: User | None) -> None:
    """Open a survey to residents, once every language is complete and it has questions."""
    if not any(q.qtype != "note" for q in survey.questions):
        raise SurveyError("no_questions")
    incomplete = [c.language for c in completeness(survey) if not c.complete]
    if incomplete:
        raise SurveyError("incomplete:" + ",".join(incomplete))
    survey.status = "open"
    audit.record("survey.open", actor=actor, city=survey.city, target=survey, details=survey.slug)
    db.session.flush()


def close_survey(survey: Survey, *, actor: User | None) -> None:
    """Close a survey: residents see a friendly 'closed' page."""
    survey.status = "closed"
    audit.record("survey.close", actor=actor, city=survey.city, target=survey, details=survey.slug)
    db.session.flush()


@dataclass(frozen=True)
class Settings:
    """A survey's settings as the form gives them; texts are in the default language."""

    slug: str
    wave: str
    languages: list[str]
    default_language: str
    opens_on: date | None
    closes_on: date | None
    title: str
    consent: str


def _apply(survey: Survey, settings: Settings) -> None:
    """Copy the settings into the survey (the default language is always offered)."""
    languages = list(settings.languages)
    if settings.default_language not in languages:
        languages.insert(0, settings.default_language)
    survey.slug, survey.wave = settings.slug, settings.wave
    survey.languages, survey.default_language = languages, settings.default_language
    survey.opens_on, survey.closes_on = settings.opens_on, settings.closes_on
    lang = survey.default_language
    survey.title = {**survey.title, lang: settings.title.strip()}
    consent = {**survey.consent, lang: settings.consent.strip()}
    survey.consent = {k: v for k, v in consent.items() if v}


def create_survey(city: City, settings: Settings, *, actor: User | None) -> Survey:
    """Create a draft survey in a city; SurveyError("slug_taken") when the name is in use."""
    if slug_taken(city, settings.slug):
        raise SurveyError("slug_taken")
    survey = Survey(city_id=city.id, title={}, consent={})
    survey.city = city
    _apply(survey, settings)
    db.session.add(survey)
    db.session.flush()
    audit.record("survey.create", actor=actor, city=city, target=survey, details=survey.slug)
    return survey


def update_settings(survey: Survey, settings: Settings, *, actor: User | None) -> None:
    """Change a survey's settings; SurveyError("slug_taken") when the new name is in use."""
    if settings.slug != survey.slug and slug_taken(survey.city, settings.slug):
        raise SurveyError("slug_taken")
    _apply(survey, settings)
    audit.record("survey.edit", actor=actor, city=survey.city, target=survey,
                 details=survey.slug)


def slug_taken(city: City, slug: str) -> bool:
    """Return True when the city already has a survey with this slug."""
    query = select(Survey.id).where(Survey.city_id == city.id, Survey.slug == slug)
    return db.session.scalar(query) is not None


def copy_survey(survey: Survey, city: City, slug: str, wave: str, *,
                actor: User | None) -> Survey:
    """Copy a survey (texts, questions, choices) as a new draft, e.g. a follow-up wave."""
    if slug_taken(city, slug):
        raise SurveyError("slug_taken")
    copy = Survey(city_id=city.id, slug=slug, status="draft", wave=wave,
                  languages=list(survey.languages), default_language=survey.default_language,
                  title=dict(survey.title), consent=dict(survey.consent))
    for question in survey.questions:
        copy.questions.append(_copy_question(question))
    db.session.add(copy)
    db.session.flush()
    copy.city = city
    audit.record("survey.copy", actor=actor, city=city, target=copy,
                 details=f"from {survey.city.slug}/{survey.slug}")
    return copy


def _copy_question(question: Question) -> Question:
    """Return an unsaved copy of a question with its choices."""
    columns = ("position", "name", "qtype", "section", "required", "relevant",
               "constraint_expr", "min_value", "max_value", "subscale", "reverse", "dont_know",
               "prefer_not", "demographic", "calculation", "choice_filter", "step",
               "section_one_page")
    copy = Question(**{name: getattr(question, name) for name in columns},
                    **{name: dict(getattr(question, name)) for name in QUESTION_TEXTS})
    for choice in question.choices:
        copy.choices.append(Choice(position=choice.position, name=choice.name,
                                   label=dict(choice.label), value=choice.value,
                                   filters=dict(choice.filters or {})))
    return copy
