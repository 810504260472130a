"""The answering logic: compact answers, skip logic, calculations and constraints. No queries.

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

from flask_babel import lazy_gettext as _l

from portal.strict import storable_text
from portal.surveys.answering.pages import NOT_ASKED, ChoiceLike, Page, QuestionLike, SurveyLike
from portal.surveys.expressions import ExpressionError, Node, evaluate, parse, references, truthy
from portal.surveys.expressions.rewrite import CHOICE_PREFIX, choice_filter_expression

DONT_KNOW, PREFER_NOT = "dk", "pn"
MISSING = {DONT_KNOW: "dont_know", PREFER_NOT: "prefer_not"}
TEXT_MAX = 500  # characters; longer answers are refused (the cookie must stay small)
INTEGER_LIMIT = 2**31 - 1  # survey_answer.value_int is a 32-bit INTEGER on PostgreSQL
Value = Any  # one compact answer

MSG_CONSTRAINT = _l("This answer is not accepted. Check it and try again.")


def is_missing(value: Value) -> bool:
    """Return True for the "don't know" / "prefer not" markers."""
    return isinstance(value, str) and value in MISSING



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



def own_text(question: QuestionLike, field: str, language: str) -> str:
    """Return a text in the resident's language or the survey's default, never another one.

    Unlike ``question.text`` (labels must show in some language), a hint or a constraint
    message written only in a third language would be read by no one who chose this one.
    """
    texts: dict[str, str] = getattr(question, field) or {}
    if not texts:
        return ""
    return (texts.get(language) or texts.get(question.fallback_language) or "").strip()



def check_constraint(question: QuestionLike, value: Value, names: dict[str, object],
                     language: str) -> str | None:
    """Return the constraint message when an answered value breaks the question's constraint."""
    if not question.constraint_expr or value is None or is_missing(value):
        return None
    node = compiled(question.constraint_expr)
    if node is None or truthy(evaluate(node, names, expression_value(question, value))):
        return None
    return own_text(question, "constraint_message", language) or str(MSG_CONSTRAINT)
