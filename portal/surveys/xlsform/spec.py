"""The portal's plain, JSON-serialisable survey format and the import result types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired, TypedDict

QuestionType = Literal["likert5", "single", "multi", "integer", "decimal", "date", "text", "note",
                       "time", "datetime", "acknowledge", "range", "calculate"]
QUESTION_TYPES: tuple[str, ...] = (
    "likert5", "single", "multi", "integer", "decimal", "date", "text", "note",
    "time", "datetime", "acknowledge", "range", "calculate",
)
# Shown but never answered (note), or neither shown nor answered (calculate: computed).
NOT_ASKED: frozenset[str] = frozenset({"note", "calculate"})
CHOICE_TYPES: frozenset[str] = frozenset({"likert5", "single", "multi"})
NUMERIC_TYPES: frozenset[str] = frozenset({"integer", "decimal", "range"})
# What results may break answers down by (= portal.models.surveys.DEMOGRAPHIC_KEYS).
DEMOGRAPHIC_KEYS: tuple[str, ...] = ("age_band", "gender", "area")

Translated = dict[str, str]  # language code -> text


class Choice(TypedDict):
    """One option of a choice question."""

    name: str
    label: Translated
    # the choices sheet's other columns (what a choice_filter reads: area=${area})
    filters: NotRequired[dict[str, str]]


class Issue(TypedDict):
    """A coded import problem or notice; the web layer turns the code into a sentence."""

    code: str
    row: int | None
    sheet: str | None
    params: dict[str, Any]


class Question(TypedDict):
    """One question (or note) of a survey."""

    name: str
    type: QuestionType
    section: str | None
    section_label: Translated
    label: Translated
    hint: Translated
    required: bool
    relevant: str | None
    constraint: str | None
    constraint_message: Translated
    choices: list[Choice]
    min: int | float | None
    max: int | float | None
    subscale: str | None
    reverse: bool
    dont_know: bool
    prefer_not: bool
    demographic: str | None  # one of DEMOGRAPHIC_KEYS, or None
    calculation: NotRequired[str | None]  # calculate: the expression, evaluated at the send
    choice_filter: NotRequired[str | None]  # selects: which choices to offer (cascading)
    step: NotRequired[int | float | None]  # range: the step between min and max
    section_one_page: NotRequired[bool]  # False: a group without field-list (4 to a page)


class Survey(TypedDict):
    """A whole survey in every language it carries."""

    form_id: str
    title: Translated
    # the purpose and data-holder text shown before the first question; readers use .get()
    consent: NotRequired[Translated]
    default_language: str
    languages: list[str]
    questions: list[Question]
    notices: list[Issue]


@dataclass
class ImportResult:
    """The outcome of an import: a spec when there are no errors, plus coded issues."""

    spec: Survey | None
    errors: list[Issue] = field(default_factory=list)
    notices: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when the import produced a spec."""
        return self.spec is not None


def make_issue(
    code: str, row: int | None = None, sheet: str | None = None, /, **params: Any
) -> Issue:
    """Build an Issue dict."""
    return {"code": code, "row": row, "sheet": sheet, "params": params}


def new_question(name: str, qtype: QuestionType, **fields: Any) -> Question:
    """Return a question with every field at its default, overridden by ``fields``."""
    question: Question = {
        "name": name, "type": qtype, "section": None, "section_label": {}, "label": {},
        "hint": {}, "required": False, "relevant": None, "constraint": None,
        "constraint_message": {}, "choices": [], "min": None, "max": None, "subscale": None,
        "reverse": False, "dont_know": False, "prefer_not": False,
        "demographic": None, "calculation": None, "choice_filter": None, "step": None,
        "section_one_page": True,
    }
    question.update(fields)  # type: ignore[typeddict-item]
    return question
