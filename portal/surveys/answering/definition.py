"""The answering pages' survey: one cheap query plus a per-process cache of its definition.

The definition (texts, languages, questions, choices, pages) is immutable plain data, cached
per app and process in a small LRU keyed by (survey id, created_at, revision). Every authoring
change bumps ``Survey.revision`` in its own transaction (portal.surveys.revision), so a changed
survey is simply looked up under a new key; the cache is only derived from the database and
holds nothing another worker needs. Status, dates and the city's name are read on every request,
except by a send's first try, which checks them in its own statement (see last_seen_survey).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import City, Question, Survey
from portal.models.surveys import CHOICE_TYPES, Texts, pick
from portal.surveys.answering.pages import Page, pages_of

CACHE_SIZE = 64  # surveys per process; an entry is a few dozen kilobytes at most
Key = tuple[int, datetime, int]


@dataclass(frozen=True, eq=False)
class ChoiceDef:
    """An option of a cached question."""

    id: int
    name: str
    label: Texts
    value: int | None
    filters: dict[str, str] = field(default_factory=dict)  # what a choice_filter reads

    def text(self, language: str, fallback: str) -> str:
        """Return the choice label in a language, with fallback."""
        return pick(self.label, language, fallback)


@dataclass(frozen=True, eq=False)
class QuestionDef:
    """A cached question: the fields the answering pages and the send read."""

    id: int
    name: str
    qtype: str
    section: str | None
    section_label: Texts
    label: Texts
    hint: Texts
    required: bool
    relevant: str | None
    constraint_expr: str | None
    constraint_message: Texts
    min_value: float | None
    max_value: float | None
    dont_know: bool
    prefer_not: bool
    fallback_language: str
    choices: tuple[ChoiceDef, ...]
    calculation: str | None = None
    choice_filter: str | None = None
    step: float | None = None
    section_one_page: bool = True

    def text(self, field: str, language: str) -> str:
        """Return a question text in a language, with the survey's fallback."""
        return pick(getattr(self, field), language, self.fallback_language)

    @property
    def has_choices(self) -> bool:
        """Return True for likert5, single and multi questions."""
        return self.qtype in CHOICE_TYPES


@dataclass(frozen=True, eq=False)
class SurveyDef:
    """The cached, immutable part of a survey."""

    id: int
    revision: int
    slug: str
    languages: tuple[str, ...]
    default_language: str
    title: Texts
    consent: Texts
    questions: tuple[QuestionDef, ...]
    pages: tuple[Page, ...]
    # Finished HTML of pages that depend on nothing but the survey, language and city name.
    rendered: dict[tuple[str, ...], str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class CityRef:
    """What the resident pages show of the city."""

    slug: str
    name: str


@dataclass(frozen=True, eq=False)
class PublicSurvey:
    """A survey as the answering pages see it: the cached definition plus its live state."""

    definition: SurveyDef
    status: str
    opens_on: date | None
    closes_on: date | None
    city: CityRef
    created_at: datetime  # with the id and revision, names the definition (see the cache)

    def __getattr__(self, name: str) -> Any:
        """Read id, slug, languages, questions, pages … from the definition."""
        return getattr(self.definition, name)

    def text(self, field: str, language: str) -> str:
        """Return a survey-level text (title, consent) in a language, with fallback."""
        return pick(getattr(self.definition, field), language, self.definition.default_language)


def availability(survey: Survey | PublicSurvey, today: date) -> str:
    """Return 'open', 'not_yet', 'closed' or 'draft' for residents today."""
    if survey.status == "draft":
        return "draft"
    if survey.status == "closed" or (survey.closes_on and today > survey.closes_on):
        return "closed"
    if survey.opens_on and today < survey.opens_on:
        return "not_yet"
    return "open"


def _question(question: Question, fallback: str) -> QuestionDef:
    """Copy a question and its choices into plain data."""
    choices = tuple(ChoiceDef(c.id, c.name, dict(c.label or {}), c.value, dict(c.filters or {}))
                    for c in question.choices)
    return QuestionDef(
        question.id, question.name, question.qtype, question.section,
        dict(question.section_label or {}), dict(question.label or {}),
        dict(question.hint or {}), bool(question.required), question.relevant,
        question.constraint_expr, dict(question.constraint_message or {}), question.min_value,
        question.max_value, bool(question.dont_know), bool(question.prefer_not), fallback,
        choices, question.calculation, question.choice_filter, question.step,
        question.section_one_page is not False)


def build(survey: Survey) -> SurveyDef:
    """Copy a loaded survey into its immutable definition."""
    fallback = survey.default_language
    questions = tuple(_question(q, fallback) for q in survey.questions)
    shell = SurveyDef(survey.id, survey.revision, survey.slug, tuple(survey.languages or ()),
                      fallback, dict(survey.title or {}), dict(survey.consent or {}),
                      questions, ())
    pages = tuple(pages_of(shell))
    return SurveyDef(shell.id, shell.revision, shell.slug, shell.languages, fallback,
                     shell.title, shell.consent, questions, pages)


class DefinitionCache:
    """A small thread-safe LRU of survey definitions (one per app, per process).

    It also remembers, per public address, the survey as this process last read it
    (``seen``): a guess that the send checks in its own statement (portal.surveys.answering.store).
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size, self.lock = size, threading.Lock()
        self.entries: OrderedDict[Key, SurveyDef] = OrderedDict()
        self.seen: OrderedDict[tuple[str, str], PublicSurvey] = OrderedDict()

    def get(self, key: Key) -> SurveyDef | None:
        """Return a cached definition, marking it recently used."""
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: Key, definition: SurveyDef) -> None:
        """Store a definition, dropping the least recently used beyond the size."""
        with self.lock:
            self.entries[key] = definition
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def last_seen(self, address: tuple[str, str]) -> PublicSurvey | None:
        """Return the survey as last read at a public address (city, slug) in this process."""
        with self.lock:
            return self.seen.get(address)

    def saw(self, address: tuple[str, str], survey: PublicSurvey) -> None:
        """Remember the survey just read at a public address (a few per cached definition)."""
        with self.lock:
            self.seen[address] = survey
            self.seen.move_to_end(address)
            while len(self.seen) > 4 * self.size:
                self.seen.popitem(last=False)


def cache() -> DefinitionCache:
    """Return this app's definition cache."""
    found = current_app.extensions.get("survey_definitions")
    if found is None:
        found = current_app.extensions.setdefault("survey_definitions", DefinitionCache())
    return found


def definition(key: Key) -> SurveyDef | None:
    """Return the definition of (survey id, created_at, revision), loading it on a miss."""
    store = cache()
    found = store.get(key)
    if found is not None:
        return found
    loaded = db.session.scalar(
        select(Survey).where(Survey.id == key[0])
        .options(selectinload(Survey.questions).selectinload(Question.choices))
        .execution_options(populate_existing=True))
    if loaded is None:  # deleted meanwhile
        return None
    built = build(loaded)
    if built.revision == key[2]:  # an edit committed meanwhile: use it, but cache nothing
        store.put(key, built)
    return built


def resident_connection() -> Connection:
    """Return the request's connection for the residents' pages.

    On PostgreSQL, when the request has not used the database yet (residents are anonymous:
    nothing else has), the connection is in autocommit mode: these pages read one row and
    write at most one statement (the send, portal.surveys.answering.store), which is a
    transaction by itself, so BEGIN and COMMIT would only add two round trips to every page.
    SQLite, whose send takes two statements, and a request already in a transaction keep the
    usual one.
    """
    session = db.session()
    if not session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        return session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return session.connection()


_SURVEY, _CITY = Survey.__table__.c, City.__table__.c
_PUBLIC_ROW = (  # a Core statement, built once; the values are bound per request
    select(_SURVEY.id, _SURVEY.created_at, _SURVEY.revision, _SURVEY.status, _SURVEY.opens_on,
           _SURVEY.closes_on, _CITY.name)
    .join_from(Survey.__table__, City.__table__, _CITY.id == _SURVEY.city_id)
    .where(_CITY.slug == bindparam("city"), _SURVEY.slug == bindparam("slug")))


def public_survey(city_slug: str, slug: str) -> PublicSurvey | None:
    """Return the survey at a public address: one small query when its definition is cached.

    The row is read on the request's connection without the ORM's statement handling, which
    would cost more than the query on every answering page and send.
    """
    row = resident_connection().execute(_PUBLIC_ROW, {"city": city_slug, "slug": slug}).first()
    if row is None:
        return None
    found = definition((row.id, row.created_at, row.revision))
    if found is None:
        return None
    survey = PublicSurvey(found, row.status, row.opens_on, row.closes_on,
                          CityRef(city_slug, row.name), row.created_at)
    cache().saw((city_slug, slug), survey)
    return survey


def last_seen_survey(city_slug: str, slug: str) -> PublicSurvey | None:
    """Return the survey at a public address as this process last read it, without a query.

    Only a guess: status, dates, revision or the city's name may have changed since. The send
    uses it in a statement that stores nothing unless all of them are still as read
    (store.store_if_as_read), and reads the survey again when nothing was.
    """
    return cache().last_seen((city_slug, slug))
