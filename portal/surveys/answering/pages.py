"""What the answering logic reads of a survey, and how a survey is cut into pages.

The logic (answers, flow, store) runs on the models when authoring (the preview) and on the
answering pages' cached copy (portal.surveys.answering.definition) when residents answer: the
Protocols below are what both offer. No Flask, no queries; this module imports no other of the
survey's, so the definition and the logic can both import it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

PAGE_SIZE = 4  # questions per page when the survey has no sections
_REFERENCE = re.compile(r"\$\{([^}]+)\}")
_PARENT = re.compile(r"\.\./([A-Za-z_][\w.\-]*)")
NOT_ASKED = frozenset({"note", "calculate"})  # shown only (note) or computed (calculate)


class ChoiceLike(Protocol):
    """An option of a question, as the answering logic reads it."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> int | None: ...


class QuestionLike(Protocol):
    """A question, as the answering logic reads it (a model or a cached definition)."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def qtype(self) -> str: ...
    @property
    def section(self) -> str | None: ...
    @property
    def required(self) -> bool: ...
    @property
    def relevant(self) -> str | None: ...
    @property
    def constraint_expr(self) -> str | None: ...
    @property
    def min_value(self) -> float | None: ...
    @property
    def max_value(self) -> float | None: ...
    @property
    def dont_know(self) -> bool: ...
    @property
    def prefer_not(self) -> bool: ...
    @property
    def choices(self) -> Sequence[ChoiceLike]: ...
    @property
    def fallback_language(self) -> str: ...

    def text(self, field: str, language: str) -> str:
        """Return a text of the question in a language, with the survey's fallback."""
        ...


class SurveyLike(Protocol):
    """A survey, as the answering logic reads it (a model or a cached definition)."""

    @property
    def id(self) -> int: ...
    @property
    def questions(self) -> Sequence[QuestionLike]: ...


@dataclass
class Page:
    """A short section of the survey shown on one screen."""

    index: int
    questions: list[QuestionLike] = field(default_factory=list)

    def title(self, language: str) -> str:
        """Return the section label of the page, if its questions have one."""
        first = self.questions[0]
        return first.text("section_label", language) if first.section else ""


def _filtered_by(question: QuestionLike, page: Page) -> bool:
    """Return True when a choice_filter reads an answer given on the same page.

    The page is sent whole (no script needed), so the choices that depend on an answer go on
    the next page: neighbourhoods are offered after the area is chosen.
    """
    rule = getattr(question, "choice_filter", None)
    if not rule:
        return False
    names = set(_REFERENCE.findall(rule)) | set(_PARENT.findall(rule))
    return any(q.name in names for q in page.questions)


def pages_of(survey: SurveyLike) -> list[Page]:
    """Cut the survey into pages: one per field-list section, else runs of PAGE_SIZE questions.

    A section imported from a group without ``field-list`` runs PAGE_SIZE questions to a page
    (its title on each); a question whose choice_filter reads an answer of its page starts one.
    """
    cached: Sequence[Page] = getattr(survey, "pages", ())
    if cached:  # a cached definition carries its pages
        return list(cached)
    pages: list[Page] = []
    key: object = object()
    for question in survey.questions:
        asked = sum(1 for q in pages[-1].questions if q.qtype not in NOT_ASKED) if pages else 0
        new_key = question.section or ("loose", None)
        one_page = question.section is not None and getattr(question, "section_one_page", True)
        if not pages or new_key != key or (not one_page and asked >= PAGE_SIZE) \
                or _filtered_by(question, pages[-1]):
            pages.append(Page(len(pages)))
        key = new_key
        pages[-1].questions.append(question)
    return pages
