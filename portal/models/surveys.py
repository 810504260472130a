"""Surveys, questions, choices, and the anonymous responses and answers residents give."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.accounts import City
from portal.models.base import Base, UTCDateTime, utcnow

SURVEY_STATUSES = ("draft", "open", "closed")
QUESTION_TYPES = ("likert5", "single", "multi", "integer", "decimal", "date", "text", "note",
                  "time", "datetime", "acknowledge", "range", "calculate")
NOT_ASKED = ("note", "calculate")  # a note is shown, a calculate computed: neither is answered
CHOICE_TYPES = ("likert5", "single", "multi")
MISSING_REASONS = ("dont_know", "prefer_not")
DEMOGRAPHIC_KEYS = ("age_band", "gender", "area")
SUBSCALES = (
    "belonging", "bridging", "linking", "collective_efficacy", "youth_voice", "non_violence",
)

Texts = dict[str, str]  # language code -> text


def pick(texts: Texts | None, language: str, fallback: str) -> str:
    """Return the text in a language, else in the fallback language, else any text."""
    texts = texts or {}
    return texts.get(language) or texts.get(fallback) or next(iter(texts.values()), "")


class Survey(Base):
    """A questionnaire of one city, in one or more content languages, for one wave."""

    __tablename__ = "survey"
    __table_args__ = (
        UniqueConstraint("city_id", "slug"),
        CheckConstraint("status in ('draft', 'open', 'closed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    opens_on: Mapped[date | None] = mapped_column(Date, default=None)
    closes_on: Mapped[date | None] = mapped_column(Date, default=None)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    default_language: Mapped[str] = mapped_column(String(16), default="en")
    wave: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[Texts] = mapped_column(JSON, default=dict)
    consent: Mapped[Texts] = mapped_column(JSON, default=dict)  # purpose and who holds the data
    # Bumped by every authoring change (portal.surveys.revision); keys the answering cache.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    city: Mapped[City] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey", order_by="Question.position", cascade="all, delete-orphan"
    )

    def text(self, field: str, language: str) -> str:
        """Return a survey-level text (title, consent) in a language, with fallback."""
        return pick(getattr(self, field), language, self.default_language)


class Question(Base):
    """One question (or note) of a survey, with its texts per language and skip logic."""

    __tablename__ = "survey_question"
    __table_args__ = (
        UniqueConstraint("survey_id", "name"),
        CheckConstraint(
            "qtype in ('likert5', 'single', 'multi', 'integer', 'decimal', 'date', 'text', "
            "'note', 'time', 'datetime', 'acknowledge', 'range', 'calculate')",
            name="type_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(64))
    qtype: Mapped[str] = mapped_column(String(16))
    section: Mapped[str | None] = mapped_column(String(64), default=None)
    section_label: Mapped[Texts] = mapped_column(JSON, default=dict)
    # XLSForm: a field-list group is one page; another group's questions run 4 to a page
    section_one_page: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    label: Mapped[Texts] = mapped_column(JSON, default=dict)
    hint: Mapped[Texts] = mapped_column(JSON, default=dict)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    relevant: Mapped[str | None] = mapped_column(Text, default=None)
    constraint_expr: Mapped[str | None] = mapped_column(Text, default=None)
    constraint_message: Mapped[Texts] = mapped_column(JSON, default=dict)
    min_value: Mapped[float | None] = mapped_column(Float, default=None)
    max_value: Mapped[float | None] = mapped_column(Float, default=None)
    subscale: Mapped[str | None] = mapped_column(String(64), default=None)
    reverse: Mapped[bool] = mapped_column(Boolean, default=False)
    dont_know: Mapped[bool] = mapped_column(Boolean, default=False)
    prefer_not: Mapped[bool] = mapped_column(Boolean, default=False)
    # age_band / gender / area: a normal single question results may break down by.
    demographic: Mapped[str | None] = mapped_column(String(16), default=None)
    # calculate: the XLSForm calculation, evaluated when the answers are sent, stored
    calculation: Mapped[str | None] = mapped_column(Text, default=None)
    # selects: the XLSForm choice_filter (cascading selects), over the choices' filters
    choice_filter: Mapped[str | None] = mapped_column(Text, default=None)
    step: Mapped[float | None] = mapped_column(Float, default=None)  # range: the step
    survey: Mapped[Survey] = relationship(back_populates="questions")
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question", order_by="Choice.position", cascade="all, delete-orphan"
    )

    def text(self, field: str, language: str) -> str:
        """Return a question text (label, hint, …) in a language, with the survey's fallback."""
        return pick(getattr(self, field), language, self.survey.default_language)

    @property
    def fallback_language(self) -> str:
        """Return the survey's default language (the fallback of choice labels)."""
        return self.survey.default_language

    @property
    def has_choices(self) -> bool:
        """Return True for likert5, single and multi questions."""
        return self.qtype in CHOICE_TYPES


class Choice(Base):
    """An option of a choice question; likert points carry their scale value 1–5."""

    __tablename__ = "survey_choice"
    __table_args__ = (UniqueConstraint("question_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_question.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(64))
    label: Mapped[Texts] = mapped_column(JSON, default=dict)
    value: Mapped[int | None] = mapped_column(Integer, default=None)
    # the choices sheet's other columns, which a choice_filter reads (area of a neighbourhood)
    filters: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    question: Mapped[Question] = relationship(back_populates="choices")

    def text(self, language: str, fallback: str) -> str:
        """Return the choice label in a language, with fallback."""
        return pick(self.label, language, fallback)


COLLECTION_MODES = ("web", "device", "paper")


class Response(Base):
    """One anonymous submission: the survey, a client UUID, a hash of the answers, the date.

    Deliberately no time, IP address, user agent, account or UI language. ``collection_mode``
    says how the answers came (the resident's browser, an enumerator's ODK Collect device, a
    paper questionnaire typed in): a property of the response, never of a person.
    """

    __tablename__ = "survey_response"
    __table_args__ = (
        CheckConstraint("collection_mode in ('web', 'device', 'paper')",
                        name="collection_mode_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    answers_hash: Mapped[str] = mapped_column(String(64))
    submitted_on: Mapped[date] = mapped_column(Date)
    collection_mode: Mapped[str] = mapped_column(String(8), default="web", server_default="web")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class Answer(Base):
    """One answer: a scale point / number / text, a chosen choice (one row each), or missing."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        CheckConstraint(
            "missing_reason is null or missing_reason in ('dont_know', 'prefer_not')",
            name="missing_known"),
        # Covering indexes of the results (portal/results/queries.py, exports.py): answer
        # counts per question read only the first; subscale scores and the microdata export
        # read each response's answers in response order from the second, not the table.
        # Every survey send writes a row into each index, so there are no others (0007, 0008:
        # the second also serves lookups by response and the cascade from survey_response).
        Index("ix_survey_answer_counts", "question_id", "choice_id", "value_int",
              "missing_reason"),
        Index("ix_survey_answer_response_items", "response_id", "question_id", "value_int",
              "choice_id", "missing_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_response.id", ondelete="CASCADE"))
    # No foreign keys to the question and the choice: the table is append-only, and per-row
    # checks against the few hot parent rows cost PostgreSQL most of a send's work. The send
    # checks every answer against the current survey and a survey with responses cannot lose
    # a question or choice (migration 0008 says why in full).
    question_id: Mapped[int] = mapped_column(Integer)
    choice_id: Mapped[int | None] = mapped_column(Integer, default=None)
    value_int: Mapped[int | None] = mapped_column(Integer, default=None)
    value_num: Mapped[float | None] = mapped_column(Float, default=None)
    value_text: Mapped[str | None] = mapped_column(Text, default=None)
    missing_reason: Mapped[str | None] = mapped_column(String(16), default=None)
    response: Mapped[Response] = relationship(back_populates="answers")

    def as_dict(self) -> dict[str, Any]:
        """Return the stored values (for tests and exports)."""
        return {"question_id": self.question_id, "choice_id": self.choice_id,
                "value_int": self.value_int, "value_num": self.value_num,
                "value_text": self.value_text, "missing_reason": self.missing_reason}
