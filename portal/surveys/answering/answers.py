"""The answering logic: pages, skip logic, parsing and checking answers. No Flask, no queries.

In-progress answers are compact, JSON-able values keyed by str(question id), so that they fit
in the signed session cookie: likert5 -> 1..5, single -> choice id, multi -> [choice ids],
integer -> int, decimal -> float, date -> "YYYY-MM-DD", time -> "HH:MM", datetime ->
"YYYY-MM-DDTHH:MM", acknowledge -> "OK", range -> int or float, text -> str, and the missing
markers "dk" (don't know) / "pn" (prefer not to answer). A calculate is never in the session:
it is computed from the answers (``calculated``) and stored at the send.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from flask_babel import format_decimal, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.strict import (
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_id,
    parse_int,
    parse_time,
    storable_text,
)
from portal.surveys.answering.pages import NOT_ASKED, ChoiceLike, Page, QuestionLike, SurveyLike
from portal.surveys.expressions import ExpressionError, Node, evaluate, parse, references, truthy
from portal.surveys.expressions.rewrite import CHOICE_PREFIX, choice_filter_expression

DONT_KNOW, PREFER_NOT = "dk", "pn"
MISSING = {DONT_KNOW: "dont_know", PREFER_NOT: "prefer_not"}
TEXT_MAX = 500  # characters; longer answers are refused (the cookie must stay small)
Value = Any  # one compact answer

MSG_REQUIRED = _l("This question needs an answer.")
MSG_CHOICE = _l("Choose one of the options shown.")
MSG_NUMBER = _l("Enter a whole number.")
MSG_DECIMAL = _l("Enter a number.")
MSG_DATE = _l("Enter a date (year-month-day).")
MSG_TOO_LONG = lazy_ngettext("This answer is too long: at most %(num)d character.",
                             "This answer is too long: at most %(num)d characters.", TEXT_MAX)
MSG_LOW = _l("The number is too small.")
INTEGER_LIMIT = 2**31 - 1  # survey_answer.value_int is a 32-bit INTEGER on PostgreSQL
MSG_HIGH = _l("The number is too large.")
MSG_CONSTRAINT = _l("This answer is not accepted. Check it and try again.")
MSG_EXCLUSIVE = _l("Choose either options or “prefer not to answer”, not both.")
MSG_CONTROL = _l("Remove the invisible control characters from this answer.")
MSG_TIME = _l("Enter a time (hours:minutes).")
MSG_DATETIME = _l("Enter a date and a time.")
MSG_STEP = _l("Choose one of the values on the scale.")
ACKNOWLEDGED = "OK"  # what an acknowledge question stores, as ODK does


def is_missing(value: Value) -> bool:
    """Return True for the "don't know" / "prefer not" markers."""
    return isinstance(value, str) and value in MISSING


class TamperedInput(ValueError):
    """The request names a question that is not on this page: not a mistake a person makes."""


@lru_cache(maxsize=512)
def compiled(expr: str) -> Node | None:
    """Parse an expression once; a broken one (imports check them) reads as None."""
    try:
        return parse(expr)
    except ExpressionError:
        return None


def by_name(survey: SurveyLike, answers: dict[str, Value]) -> dict[str, object]:
    """Return the answers as expressions read them: by question name, choices by name."""
    names: dict[str, object] = {}
    for question in survey.questions:
        value = answers.get(str(question.id))
        names[question.name] = expression_value(question, value)
    for question in survey.questions:  # calculations read the answers, wherever they are
        if question.qtype == "calculate":
            names[question.name] = calculated(question, names)
    return names


def calculated(question: QuestionLike, names: dict[str, object]) -> Value:
    """Evaluate a calculate question: a number, a text, or None when empty or not a number."""
    node = compiled(str(getattr(question, "calculation", None) or ""))
    if node is None:
        return None
    value = evaluate(node, names)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):  # NaN, infinities
            return None
        return int(value) if value.is_integer() and abs(value) <= INTEGER_LIMIT else value
    if isinstance(value, (list, tuple)):
        value = " ".join(str(item) for item in value)
    text = str(value) if value is not None else ""
    return text[:TEXT_MAX] if text and storable_text(text[:TEXT_MAX]) else None


def offered(question: QuestionLike, names: dict[str, object]) -> Sequence[ChoiceLike]:
    """Return the choices a choice_filter leaves for the answers so far (all without one)."""
    rule = getattr(question, "choice_filter", None)
    node = compiled(choice_filter_expression(rule)) if rule else None
    if node is None:
        return question.choices
    kept = []
    for choice in question.choices:
        columns = {CHOICE_PREFIX + key: value
                   for key, value in (getattr(choice, "filters", None) or {}).items()}
        columns.setdefault(CHOICE_PREFIX + "name", choice.name)
        if truthy(evaluate(node, ChainMap(columns, names))):
            kept.append(choice)
    return kept


def expression_value(question: QuestionLike, value: Value) -> object:
    """Turn a compact answer into what ${name} reads (choice names, numbers, text)."""
    if value is None or is_missing(value):
        return None
    if question.qtype in ("single", "likert5"):
        choice = _choice_by_key(question, value)
        return choice.name if choice is not None else str(value)
    if question.qtype == "multi":
        wanted = set(value)
        return [c.name for c in question.choices if c.id in wanted]
    return value


def _choice_by_key(question: QuestionLike, value: Value) -> Any:
    """Return the choice a compact likert/single value points at."""
    for choice in question.choices:
        if (question.qtype == "likert5" and choice.value == value) or choice.id == value:
            return choice
    return None


def is_relevant(question: QuestionLike, names: dict[str, object]) -> bool:
    """Evaluate a question's skip logic against the answers so far."""
    if not question.relevant:
        return True
    node = compiled(question.relevant)
    return node is None or truthy(evaluate(node, names))


def visible(page: Page, names: dict[str, object]) -> list[QuestionLike]:
    """Return the questions of a page that the answers so far make relevant."""
    return [q for q in page.questions if is_relevant(q, names)]


def revealable(page: Page, names: dict[str, object]) -> list[QuestionLike]:
    """Return the questions a page shows, or keeps hidden for an answer on it to reveal.

    A question hidden by answers on earlier pages only (its skip logic reads nothing on this
    page) cannot appear here, so it is left out of the page altogether.
    """
    on_page = {q.name for q in page.questions}
    found = []
    for question in page.questions:
        node = compiled(question.relevant) if question.relevant else None
        if is_relevant(question, names) or (node is not None and references(node) & on_page):
            found.append(question)
    return found


def next_page(pages: list[Page], after: int, names: dict[str, object], step: int = 1) -> int | None:
    """Return the index of the next (or previous) page with a visible question, or None."""
    index = after + step
    while 0 <= index < len(pages):
        if any(q.qtype not in NOT_ASKED for q in visible(pages[index], names)):
            return index
        index += step
    return None


def parse_value(question: QuestionLike, raw: list[str],
                language: str = "", names: dict[str, object] | None = None
                ) -> tuple[Value, str | None]:
    """Turn the submitted strings of one question into a compact value, or an error message.

    ``language`` is the resident's: a number out of bounds says the form's own constraint
    message in it, when the form has one. With ``names`` (the answers so far), a select with
    a choice_filter accepts only the choices the filter leaves.
    """
    raw = [item.strip() for item in raw if item.strip()]
    if not raw:
        return None, None
    value, error = _parse_raw(question, raw, language)
    if error is None and names is not None and getattr(question, "choice_filter", None) \
            and question.qtype in ("single", "multi") and not is_missing(value):
        allowed = {choice.id for choice in offered(question, names)}
        chosen = value if isinstance(value, list) else [value]
        if any(item not in allowed for item in chosen):
            return None, str(MSG_CHOICE)
    return value, error


def _parse_raw(question: QuestionLike, raw: list[str],
               language: str = "") -> tuple[Value, str | None]:
    """Parse non-empty submitted strings by the question's type."""
    if question.qtype == "multi":
        return _parse_multi(question, raw)
    text = raw[-1] if question.qtype == "text" else raw[0]
    if len(raw) > 1 and question.qtype != "text":
        return None, str(MSG_CHOICE)
    if text in MISSING and question.qtype in ("likert5", "single"):
        allowed = question.dont_know if text == DONT_KNOW else question.prefer_not
        return (text, None) if allowed else (None, str(MSG_CHOICE))
    if question.qtype in ("integer", "decimal"):
        return _parse_number(question, text, language)
    return _PARSERS[question.qtype](question, text)


def _parse_multi(question: QuestionLike, raw: list[str]) -> tuple[Value, str | None]:
    if PREFER_NOT in raw:
        if not question.prefer_not:
            return None, str(MSG_CHOICE)
        return (PREFER_NOT, None) if len(raw) == 1 else (None, str(MSG_EXCLUSIVE))
    ids = {c.id for c in question.choices}
    chosen = []
    for item in raw:
        choice_id = parse_id(item)
        if choice_id is None or choice_id not in ids:
            return None, str(MSG_CHOICE)
        if choice_id not in chosen:
            chosen.append(choice_id)
    return sorted(chosen), None


def _parse_likert(question: QuestionLike, text: str) -> tuple[Value, str | None]:
    points = {c.value for c in question.choices} or {1, 2, 3, 4, 5}
    point = parse_int(text)
    if point is not None and point in points:
        return point, None
    return None, str(MSG_CHOICE)


def _parse_single(question: QuestionLike, text: str) -> tuple[Value, str | None]:
    choice_id = parse_id(text)
    if choice_id is not None and choice_id in {c.id for c in question.choices}:
        return choice_id, None
    return None, str(MSG_CHOICE)


def _parse_number(question: QuestionLike, text: str,
                  language: str = "") -> tuple[Value, str | None]:
    number: float | None = (parse_int(text) if question.qtype == "integer"
                            else parse_decimal(text))
    if number is None:
        return None, str(MSG_NUMBER if question.qtype == "integer" else MSG_DECIMAL)
    # Integers are stored in a 32-bit column; decimals in a double, kept well inside it.
    if abs(number) > (INTEGER_LIMIT if question.qtype == "integer" else 1e12):
        return None, str(MSG_HIGH if number > 0 else MSG_LOW)
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        return None, own_text(question, "constraint_message", language) or bounds_rule(low, high)
    return number, None


def bounds_rule(low: float | None, high: float | None) -> str:
    """Say the rule a number broke, with the bounds in the page's number format."""
    if low is not None and high is not None:
        return _("Enter a number from %(low)s to %(high)s.", low=format_decimal(low),
                 high=format_decimal(high))
    if low is not None:
        return _("Enter a number of at least %(low)s.", low=format_decimal(low))
    return _("Enter a number of at most %(high)s.", high=format_decimal(high))


def own_text(question: QuestionLike, field: str, language: str) -> str:
    """Return a text in the resident's language or the survey's default, never another one.

    Unlike ``question.text`` (labels must show in some language), a hint or a constraint
    message written only in a third language would be read by no one who chose this one.
    """
    texts: dict[str, str] = getattr(question, field) or {}
    if not texts:
        return ""
    return (texts.get(language) or texts.get(question.fallback_language) or "").strip()


def _parse_date(question: QuestionLike, text: str) -> tuple[Value, str | None]:
    day = parse_date(text)
    return (day.isoformat(), None) if day is not None else (None, str(MSG_DATE))


def _parse_text(question: QuestionLike, text: str) -> tuple[Value, str | None]:
    if len(text) > TEXT_MAX:
        return None, str(MSG_TOO_LONG)
    if not storable_text(text):  # the send would fail on the database, or the export
        return None, str(MSG_CONTROL)
    return text, None


def _parse_note(question: QuestionLike, text: str) -> tuple[Value, str | None]:
    return None, None


def _parse_time(question: QuestionLike, text: str) -> tuple[Value, str | None]:
    clock = parse_time(text)
    return (clock, None) if clock is not None else (None, str(MSG_TIME))


def _parse_datetime(question: QuestionLike, text: str) -> tuple[Value, str | None]:
    moment = parse_datetime(text)
    return (moment, None) if moment is not None else (None, str(MSG_DATETIME))


def _parse_acknowledge(question: QuestionLike, text: str) -> tuple[Value, str | None]:
    return (ACKNOWLEDGED, None) if text == ACKNOWLEDGED else (None, str(MSG_CHOICE))


def _parse_range(question: QuestionLike, text: str) -> tuple[Value, str | None]:
    """A number between the range's start and end, on one of its steps."""
    number = parse_decimal(text)
    low = question.min_value if question.min_value is not None else 1.0
    high = question.max_value if question.max_value is not None else 10.0
    step = getattr(question, "step", None) or 1.0
    if number is None:
        return None, str(MSG_DECIMAL)
    if number < min(low, high) or number > max(low, high):
        return None, str(MSG_LOW if number < min(low, high) else MSG_HIGH)
    steps = (number - low) / step
    if abs(steps - round(steps)) > 1e-9:
        return None, str(MSG_STEP)
    whole = all(float(v).is_integer() for v in (low, high, step))
    return (int(round(number)) if whole else number), None


_PARSERS = {
    "likert5": _parse_likert, "single": _parse_single, "integer": _parse_number,
    "decimal": _parse_number, "date": _parse_date, "text": _parse_text, "note": _parse_note,
    "time": _parse_time, "datetime": _parse_datetime, "acknowledge": _parse_acknowledge,
    "range": _parse_range, "calculate": _parse_note,
}


def check_constraint(question: QuestionLike, value: Value, names: dict[str, object],
                     language: str) -> str | None:
    """Return the constraint message when an answered value breaks the question's constraint."""
    if not question.constraint_expr or value is None or is_missing(value):
        return None
    node = compiled(question.constraint_expr)
    if node is None or truthy(evaluate(node, names, expression_value(question, value))):
        return None
    return own_text(question, "constraint_message", language) or str(MSG_CONSTRAINT)
