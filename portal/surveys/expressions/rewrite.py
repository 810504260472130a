"""Rewrite two XLSForm spellings into the ${name} form the parser reads.

- ``../name`` (what pyxform writes for or_other: ``selected(../q, 'other')``) -> ``${name}``;
- a choice_filter's bare names are columns of the choices sheet (``area=${area}`` keeps the
  choices whose ``area`` column equals the answer to ${area}; ``name`` is the choice's name):
  they become ``${__choice__.area}``, which the answering pages fill per choice.
"""

from __future__ import annotations

import re

CHOICE_PREFIX = "__choice__."
_PARENT_REF = re.compile(r"\.\./([A-Za-z_][\w.\-]*)")
_PIECES = re.compile(
    r"""(?P<keep>'[^']*'|"[^"]*"|\$\{[^}]*\})
    |(?P<name>(?<![\w.\-$])[A-Za-z_][\w\-]*(?<!-))(?P<call>\s*\()?""",
    re.VERBOSE,
)
KEYWORDS = frozenset({"and", "or", "div", "mod"})


def absolute_refs(text: str) -> str:
    """Turn ``../name`` references into ``${name}``."""
    return _PARENT_REF.sub(lambda m: "${" + m.group(1) + "}", text)


def choice_filter_expression(text: str) -> str:
    """Return a choice_filter with its bare column names as ``${__choice__.column}``."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name is None or match.group("call") or name in KEYWORDS:
            return match.group()
        return "${" + CHOICE_PREFIX + name + "}"

    return _PIECES.sub(replace, absolute_refs(text))


def choice_columns(text: str) -> set[str]:
    """Return the choices-sheet columns a choice_filter reads."""
    return {match.group("name") for match in _PIECES.finditer(absolute_refs(text))
            if match.group("name") and not match.group("call")
            and match.group("name") not in KEYWORDS}
