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
    """The answers after reading a page, and what the page must show again.

    ``errors``: the message per question id; ``entered``: what the resident typed or chose
    for those questions, so the page shows it again beside its message (it is never stored);
    ``revealed``: questions the page's own answers made relevant that the resident was not
    shown, so the page comes back with them instead of moving on.
    """

    answers: dict[str, Value]
    errors: dict[int, str] = field(default_factory=dict)
    entered: dict[int, list[str]] = field(default_factory=dict)
    revealed: list[int] = field(default_factory=list)


def field_name(question_id: int) -> str:
    """Return the form field name of a question."""
    return f"{FIELD_PREFIX}{question_id}"


def shown_ids(text: str | None) -> set[int] | None:
    """Read the page's list of the questions it showed ("12 13"); None when it sent none.

    A forged list can only make the page come back once more, or ask for a required answer
    on a question the resident was shown anyway: ids that do not parse are left out.
    """
    if text is None:
        return None
    return {i for i in (parse_id(part) for part in text.split()[:MAX_FIELDS]) if i is not None}


def _question_fields(form: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Return the submitted question fields; refuse unknown shapes and floods."""
    if len(form) > MAX_FIELDS:
        raise TamperedInput("too many fields")
    return {k: v for k, v in form.items()
            if k.startswith(FIELD_PREFIX) and parse_id(k[len(FIELD_PREFIX):]) is not None}


def read_page(survey: SurveyLike, page: Page, form: Mapping[str, list[str]],
              answers: dict[str, Value], language: str, *, strict: bool = True,
              shown: set[int] | None = None) -> PageResult:
    """Merge a page's submitted values into the answers; report errors per question.

    Relevance is evaluated in page order with the answers given so far, this page's
    included, so a question revealed by an earlier one on the same page is read too.
    ``shown`` names the questions the resident saw (None: those relevant before this
    submission); a revealed one outside it is listed in ``revealed`` and asks for nothing.
    With ``strict`` off (going back, or the script asking what to show), required answers
    are not demanded and invalid values are dropped quietly. Fields of questions that are
    not on this page raise TamperedInput.
    """
    fields = _question_fields(form)
    on_page = {field_name(q.id): q for q in page.questions if q.qtype not in NOT_ASKED}
    unknown = set(fields) - set(on_page)
    if unknown:
        raise TamperedInput(", ".join(sorted(unknown)))
    if shown is None:
        shown = {q.id for q in visible(page, by_name(survey, answers))}
    result = PageResult(dict(answers))
    for question in on_page.values():
        result.answers.pop(str(question.id), None)
    names = by_name(survey, result.answers)
    for name, question in on_page.items():
        if not is_relevant(question, names):
            continue
        seen = question.id in shown
        if strict and not seen:
            result.revealed.append(question.id)
        raw = fields.get(name, [])
        value, error = parse_value(question, raw, language, names)
        if error is None and value is None and question.required and strict and seen:
            error = str(MSG_REQUIRED)
        if error is None and value is not None:
            names[question.name] = expression_value(question, value)
            error = check_constraint(question, value, names, language)
            if error is None:
                result.answers[str(question.id)] = value
                continue
            names[question.name] = None
        if error is not None and strict:
            result.errors[question.id] = error
            result.entered[question.id] = raw
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
                parsed, error = parse_value(question, [_as_sent(item) for item in raw], language,
                                             names)
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
