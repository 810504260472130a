"""Evaluate parsed XLSForm expressions with XPath-like semantics.

Values: answers are str / int / float / list[str] (multi) / None. An *empty* value is None,
'' or []. Comparisons with an empty side are false, except ``=`` between two empty sides
(so ``${q} = ''`` is true for an unanswered q) and ``!=`` against the literal ''
(so ``${q} != ''`` is true for an answered q). Two numeric sides (numbers or numeric
strings) compare as numbers, otherwise as strings; a multi answer reads as its choice names
joined by spaces. Arithmetic on a non-number gives NaN, and NaN compares false.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from typing import Any

from portal.strict import parse_decimal
from portal.surveys.expressions.parser import Node, compile_regex

MAX_REGEX_INPUT = 2000  # longer answers never match, bounding regex backtracking time

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def evaluate(node: Node, answers: Mapping[str, object], current: object = None) -> object:
    """Compute an expression against answers (by question name) and the current value."""
    kind = node.kind
    if kind in ("num", "str"):
        return node.value
    if kind == "ref":
        return answers.get(str(node.value))
    if kind == "cur":
        return current
    if kind == "neg":
        return -to_number(evaluate(node.children[0], answers, current))
    if kind == "call":
        return _call(node, answers, current)
    return _binary(node, answers, current)


def _binary(node: Node, answers: Mapping[str, object], current: object) -> object:
    """Evaluate a binary operator node, short-circuiting and/or."""
    op = str(node.value)
    left_node, right_node = node.children
    if op == "and":
        return truthy(evaluate(left_node, answers, current)) and truthy(
            evaluate(right_node, answers, current))
    if op == "or":
        return truthy(evaluate(left_node, answers, current)) or truthy(
            evaluate(right_node, answers, current))
    left = evaluate(left_node, answers, current)
    right = evaluate(right_node, answers, current)
    if op in _COMPARE:
        blank = any(c.kind == "str" and c.value == "" for c in node.children)
        return compare(op, left, right, blank_literal=blank)
    return _arithmetic(op, to_number(left), to_number(right))


def _arithmetic(op: str, a: float, b: float) -> float:
    """Apply + - * div mod with XPath's IEEE behaviour (no exceptions)."""
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0 or math.isnan(b):
        if op == "mod" or math.isnan(a) or a == 0 or math.isnan(b):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    if op == "div":
        return a / b
    return math.nan if math.isinf(a) else math.fmod(a, b)


def is_empty(value: object) -> bool:
    """Return True for an unanswered value."""
    return value is None or value == "" or value == []


def compare(op: str, left: object, right: object, blank_literal: bool = False) -> bool:
    """Compare as numbers when both sides are numeric, else as strings; empty sides are false.

    ``blank_literal`` says one side is the literal '', so ``${q} != ''`` is true once q
    is answered, while ``${q} != 'x'`` stays false until q is answered.
    """
    if is_empty(left) or is_empty(right):
        if is_empty(left) and is_empty(right):
            return op == "="
        return op == "!=" and blank_literal
    a, b = _numeric(left), _numeric(right)
    if a is not None and b is not None:
        return _COMPARE[op](a, b)
    if op in ("=", "!="):
        return _COMPARE[op](to_string(left), to_string(right))
    if a is not None or b is not None:
        return False  # a number against a non-numeric string is NaN in XPath
    return _COMPARE[op](to_string(left), to_string(right))


def _numeric(value: object) -> float | None:
    """Return the value as a float when it is a number or a numeric string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, str):
        return parse_decimal(value.strip())  # XPath number(): plain decimals only
    return None


def to_number(value: object) -> float:
    """Convert like XPath number(): booleans to 1/0, non-numbers to NaN."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    number = _numeric(value)
    return math.nan if number is None else number


def to_string(value: object) -> str:
    """Convert like XPath string(): lists join with spaces, whole floats lose '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return " ".join(to_string(item) for item in value)
    return str(value)


def truthy(value: object) -> bool:
    """Convert like XPath boolean()."""
    if isinstance(value, float):
        return not math.isnan(value) and value != 0
    if isinstance(value, (bool, int)):
        return bool(value)
    return not is_empty(value)


def _selected_names(value: object) -> list[str]:
    """Return the choice names held by a (multi or single) answer."""
    if isinstance(value, (list, tuple)):
        return [to_string(item) for item in value]
    return to_string(value).split()


def _round(args: list[object]) -> object:
    """XPath round(number, digits) as ODK computes it (half away from zero)."""
    number, digits = to_number(args[0]), to_number(args[1])
    if math.isnan(number) or math.isnan(digits) or abs(digits) > 15:
        return math.nan
    scale = 10 ** int(digits)
    return math.copysign(math.floor(abs(number) * scale + 0.5), number) / scale


def _int(args: list[object]) -> object:
    """XPath int(): truncate towards zero (NaN stays NaN)."""
    number = to_number(args[0])
    return number if math.isnan(number) or math.isinf(number) else float(math.trunc(number))


_CALC: dict[str, Callable[[list[object]], object]] = {
    "coalesce": lambda args: args[1] if is_empty(args[0]) else args[0],
    "int": _int,
    "number": lambda args: to_number(args[0]),
    "string": lambda args: to_string(args[0]),
    "round": _round,
    "concat": lambda args: "".join(to_string(arg) for arg in args),
    "normalize-space": lambda args: " ".join(to_string(args[0]).split()),
}


def _call(node: Node, answers: Mapping[str, object], current: object) -> object:
    """Evaluate one of the supported functions."""
    name = node.value
    if name == "if":  # only the branch taken is evaluated
        test, then, other = node.children
        chosen = then if truthy(evaluate(test, answers, current)) else other
        return evaluate(chosen, answers, current)
    args = [evaluate(child, answers, current) for child in node.children]
    if name in _CALC:
        return _CALC[str(name)](args)
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "not":
        return not truthy(args[0])
    if name == "selected":
        return to_string(args[1]).strip() in _selected_names(args[0])
    if name == "count-selected":
        return float(len(_selected_names(args[0])))
    if name == "string-length":
        return float(len(to_string(args[0])))
    text = to_string(args[0])  # regex
    if len(text) > MAX_REGEX_INPUT:
        return False
    return compile_regex(to_string(args[1])).search(text) is not None
