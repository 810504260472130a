"""Parsing and checking the answers a resident submits, into compact values. No queries.

The compact values, skip logic and constraints live in portal.surveys.answering.logic; their
names are importable from here too, as before the split.
"""

from __future__ import annotations

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
from portal.surveys.answering.logic import (
    DONT_KNOW,
    INTEGER_LIMIT,
    MISSING,
    MSG_CONSTRAINT,
    PREFER_NOT,
    TEXT_MAX,
    Value,
    by_name,
    calculated,
    check_constraint,
    compiled,
    expression_value,
    is_missing,
    is_relevant,
    next_page,
    offered,
    own_text,
    revealable,
    visible,
)
from portal.surveys.answering.pages import QuestionLike

__all__ = [
    "ACKNOWLEDGED", "DONT_KNOW", "INTEGER_LIMIT", "MISSING", "MSG_CONSTRAINT", "MSG_REQUIRED",
    "PREFER_NOT",
    "TEXT_MAX", "TamperedInput", "Value", "bounds_rule", "by_name", "calculated",
    "check_constraint", "compiled", "expression_value", "is_missing", "is_relevant",
    "next_page", "offered", "own_text", "parse_value", "revealable", "visible",
]

MSG_REQUIRED = _l("This question needs an answer.")
MSG_CHOICE = _l("Choose one of the options shown.")
MSG_NUMBER = _l("Enter a whole number.")
MSG_DECIMAL = _l("Enter a number.")
MSG_DATE = _l("Enter a date (year-month-day).")
MSG_TOO_LONG = lazy_ngettext("This answer is too long: at most %(num)d character.",
                             "This answer is too long: at most %(num)d characters.", TEXT_MAX)
MSG_LOW = _l("The number is too small.")
MSG_HIGH = _l("The number is too large.")
MSG_EXCLUSIVE = _l("Choose either options or “prefer not to answer”, not both.")
MSG_CONTROL = _l("Remove the invisible control characters from this answer.")
MSG_TIME = _l("Enter a time (hours:minutes).")
MSG_DATETIME = _l("Enter a date and a time.")
MSG_STEP = _l("Choose one of the values on the scale.")
ACKNOWLEDGED = "OK"  # what an acknowledge question stores, as ODK does


class TamperedInput(ValueError):
    """The request names a question that is not on this page: not a mistake a person makes."""



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
