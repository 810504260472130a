"""Read one submitted page into the in-progress answers, and check a whole set before sending."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from portal.strict import number_text, parse_id
from portal.surveys.answering.answers import (
    MSG_REQUIRED,
    TamperedInput,
    Value,
    by_name,
    calculated,
    check_constraint,
    expression_value,
    is_relevant,
    parse_value,
    visible,
)
from portal.surveys.answering.pages import NOT_ASKED, Page, SurveyLike, pages_of

FIELD_PREFIX = "q"
MAX_FIELDS = 200  # a page never has this many inputs; more is an attack on the parser


@dataclass
class PageResult:
    """The answers after reading a page, and the error message per question id."""

    answers: dict[str, Value]
    errors: dict[int, str] = field(default_factory=dict)


def field_name(question_id: int) -> str:
    """Return the form field name of a question."""
    return f"{FIELD_PREFIX}{question_id}"


def _question_fields(form: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Return the submitted question fields; refuse unknown shapes and floods."""
    if len(form) > MAX_FIELDS:
        raise TamperedInput("too many fields")
    return {k: v for k, v in form.items()
            if k.startswith(FIELD_PREFIX) and parse_id(k[len(FIELD_PREFIX):]) is not None}


def read_page(survey: SurveyLike, page: Page, form: Mapping[str, list[str]],
              answers: dict[str, Value], language: str, *, strict: bool = True) -> PageResult:
    """Merge a page's submitted values into the answers; report errors per question.

    With ``strict`` off (going back), required answers are not demanded and invalid values
    are dropped quietly. Fields of questions that are not on this page raise TamperedInput.
    """
    fields = _question_fields(form)
    on_page = {field_name(q.id): q for q in page.questions if q.qtype not in NOT_ASKED}
    unknown = set(fields) - set(on_page)
    if unknown:
        raise TamperedInput(", ".join(sorted(unknown)))
    result = PageResult(dict(answers))
    names = by_name(survey, result.answers)
    shown = {q.id for q in visible(page, names)}
    for name, question in on_page.items():
        key = str(question.id)
        result.answers.pop(key, None)
        if question.id not in shown:
            continue
        value, error = parse_value(question, fields.get(name, []), names)
        if error is None and value is None and question.required and strict:
            error = str(MSG_REQUIRED)
        if error is None and value is not None:
            names[question.name] = None
            result.answers[key] = value
            names = by_name(survey, result.answers)
            error = check_constraint(question, value, names, language)
        if error is not None:
            result.answers.pop(key, None)
            if strict:
                result.errors[question.id] = error
    return result


@dataclass
class Checked:
    """A whole set of answers, cleaned for storing, or the first page that needs attention."""

    answers: dict[str, Value]
    missing_page: int | None = None


def check_all(survey: SurveyLike, answers: dict[str, Value], language: str) -> Checked:
    """Drop answers to questions that are gone or no longer relevant; find unmet requirements.

    The session is signed, but the survey may have changed since the page was read, so every
    value is parsed again.
    """
    pages = pages_of(survey)
    clean: dict[str, Value] = {}
    names = by_name(survey, {})
    missing_page = None
    for page in pages:
        for question in page.questions:
            if question.qtype == "note" or not is_relevant(question, names):
                continue
            if question.qtype == "calculate":  # computed from the answers, stored with them
                result = calculated(question, names)
                names[question.name] = result
                if result is not None:
                    clean[str(question.id)] = result
                continue
            value = answers.get(str(question.id))
            if value is not None:
                raw = value if isinstance(value, list) else [value]
                parsed, error = parse_value(question, [_as_sent(item) for item in raw], names)
                if error is None and parsed is not None and check_constraint(
                        question, parsed, names, language) is None:
                    clean[str(question.id)] = parsed
                    names[question.name] = expression_value(question, parsed)
                    continue
            if question.required and missing_page is None:
                missing_page = page.index
    return Checked(clean, missing_page)


def _as_sent(value: Value) -> str:
    """Write a value of the session back as the form sent it (0.00001, never 1e-05)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value)
    return str(value)


def answered_count(answers: dict[str, Value]) -> int:
    """Return how many questions hold an answer (a missing reason counts as an answer)."""
    return sum(1 for value in answers.values() if value is not None)
