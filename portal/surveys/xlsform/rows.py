"""Check the cells of survey rows (required, expressions, portal flags), collecting issues."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from portal.surveys.expressions.parser import (
    TYPOGRAPHIC_QUOTE,
    UNKNOWN_FUNCTION,
    UNSUPPORTED_REGEX,
    ExpressionError,
    Node,
    parse,
)
from portal.surveys.xlsform import codes
from portal.surveys.xlsform.spec import Issue, make_issue
from portal.surveys.xlsform.workbook import Row, as_text

TRUE_WORDS = frozenset({"yes", "true", "1", "true()"})
FALSE_WORDS = frozenset({"", "no", "false", "0", "false()"})
_GENERATED_ROW = re.compile(r"^generated_(?:note_name|table_list_label)_(\d+)$")


def parse_flag(value: object) -> bool | None:
    """Read yes/no, true/false, 1/0 (text, number or boolean); None for anything else."""
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


@dataclass
class RowChecker:
    """Collects errors for survey rows and remembers parsed expressions for later checks."""

    errors: list[Issue]
    parsed: list[tuple[int, str, Node]] = field(default_factory=list)

    def error(self, code: str, row: int, **params: object) -> None:
        """Record an error on the survey sheet."""
        self.errors.append(make_issue(code, row, "survey", **params))

    def required(self, number: int, row: Row) -> bool:
        """Return the required flag, reporting an expression given instead of yes/no."""
        flag = parse_flag(row.get("required"))
        if flag is None:
            self.error(codes.REQUIRED_EXPRESSION, number, value=as_text(row.get("required")))
            return False
        return flag

    def expression(self, number: int, row: Row, column: str) -> str | None:
        """Return a relevant/constraint text after checking that it parses."""
        text = as_text(row.get(column))
        if not text:
            return None
        try:
            node = parse(text)
        except ExpressionError as exc:
            if exc.code == TYPOGRAPHIC_QUOTE:
                self.error(codes.TYPOGRAPHIC_QUOTES, number, column=column, position=exc.position)
            elif exc.code == UNSUPPORTED_REGEX:
                self.error(codes.UNSUPPORTED_REGEX, number, column=column)
            elif exc.code == UNKNOWN_FUNCTION:
                name = re.match(r"[\w\-:]*", text[exc.position:])
                self.error(codes.UNSUPPORTED_FUNCTION, number, column=column,
                           function=name.group() if name else "")
            else:
                self.error(codes.INVALID_EXPRESSION, number, column=column,
                           reason=exc.code, position=exc.position)
            return None
        self.parsed.append((number, column, node))
        return text

    def portal_flag(self, number: int, row: Row, column: str) -> bool:
        """Read an lpn_* yes/no column."""
        flag = parse_flag(row.get(column))
        if flag is None:
            self.error(codes.INVALID_PORTAL_COLUMN, number, column=column,
                       value=as_text(row.get(column)))
            return False
        return flag


def _raw_name(row: dict[str, Any]) -> str:
    """Return a raw row's name cell, whatever the case of its header (NAME, Name)."""
    for key, value in row.items():
        if str(key).strip().lower() == "name" and value is not None:
            return str(value).strip()
    return ""


class RowFinder:
    """Finds the Excel row of each element of the tree, walking the raw rows in order."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.named = [(index + 2, name) for index, row in enumerate(rows)
                      if (name := _raw_name(row))]
        self.position = 0

    def find(self, name: str) -> int | None:
        """Return the row of the next raw row with this name (None for pyxform's own)."""
        generated = _GENERATED_ROW.match(name)
        if generated:
            return int(generated.group(1))
        for offset, (row, raw) in enumerate(self.named[self.position:]):
            if raw == name:
                self.position += offset + 1
                return row
        return None
