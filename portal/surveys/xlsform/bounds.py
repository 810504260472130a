"""Split leading ``. >= a and . <= b`` bounds off a number question's constraint."""

from __future__ import annotations

from portal.surveys.expressions.parser import Node, conjuncts, parse


def _number(node: Node) -> int | float | None:
    """Return a (possibly negated) number literal's value, as int when whole; else None."""
    if node.kind == "neg":
        inner = _number(node.children[0])
        return None if inner is None else -inner
    if node.kind != "num":
        return None
    value = float(node.value)  # type: ignore[arg-type]
    return int(value) if value.is_integer() else value


def _bound(node: Node) -> tuple[str, int | float] | None:
    """Recognise ``. >= n`` (a minimum) and ``. <= n`` (a maximum)."""
    if node.kind != "bin" or node.value not in (">=", "<="):
        return None
    left, right = node.children
    value = _number(right)
    if left.kind != "cur" or value is None:
        return None
    return ("min" if node.value == ">=" else "max", value)


def _strip_parens(text: str) -> str:
    """Remove one pair of parentheses wrapping the whole text."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth, quote = 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "()":
            depth += 1 if char == "(" else -1
            if depth == 0 and index < len(text) - 1:
                return text
    return text[1:-1].strip()


def split_bounds(text: str) -> tuple[int | float | None, int | float | None, str | None]:
    """Split leading ``. >= a and . <= b`` off a constraint: (min, max, remaining constraint)."""
    parts = conjuncts(parse(text))
    bounds: dict[str, int | float] = {}
    index = 0
    while index < len(parts):
        found = _bound(parts[index])
        if found is None or found[0] in bounds:
            break
        bounds[found[0]] = found[1]
        index += 1
    rest = parts[index:]
    remaining = _strip_parens(text[rest[0].start:rest[-1].end].strip()) if rest else None
    return bounds.get("min"), bounds.get("max"), remaining
