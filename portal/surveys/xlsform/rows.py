"""Classify survey-sheet rows and check their cells (types, columns, required, expressions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.surveys.expressions.parser import (
    TYPOGRAPHIC_QUOTE,
    UNSUPPORTED_REGEX,
    ExpressionError,
    Node,
    parse,
)
from portal.surveys.xlsform import codes
from portal.surveys.xlsform.spec import Issue, make_issue
from portal.surveys.xlsform.workbook import Row, as_text

SIMPLE_TYPES: dict[str, str] = {
    "text": "text", "string": "text", "integer": "integer", "int": "integer",
    "decimal": "decimal", "date": "date", "note": "note",
}
SELECT_TYPES: dict[str, str] = {"select_one": "single", "select_multiple": "multi"}
METADATA_TYPES = frozenset({
    "start", "end", "today", "deviceid", "imei", "username", "email", "subscriberid",
    "simserial", "phonenumber", "audit", "start-geopoint", "background-audio",
    "background-geopoint", "uri:deviceid", "uri:email", "uri:username",
    "uri:subscriberid", "uri:simserial", "uri:phonenumber",
})
GROUP_KEYWORDS: dict[str, str] = {
    "begin group": "begin_group", "end group": "end_group",
    "begin repeat": "begin_repeat", "end repeat": "end_repeat",
}
USED_COLUMNS = frozenset({
    "type", "name", "label", "hint", "required", "relevant", "constraint",
    "constraint_message", "appearance", "lpn_type", "lpn_subscale", "lpn_reverse",
    "lpn_dont_know", "lpn_prefer_not", "lpn_demographic",
})
REJECTED_COLUMNS = ("choice_filter", "repeat_count", "calculation", "trigger")
TRUE_WORDS = frozenset({"yes", "true", "1", "true()"})
FALSE_WORDS = frozenset({"", "no", "false", "0", "false()"})


@dataclass
class RowKind:
    """What a survey row is: a question (with portal type), group marker, metadata or
    unsupported."""

    # One of: question | begin_group | end_group | begin_repeat | end_repeat | metadata |
    # unsupported | blank
    kind: str
    qtype: str = ""
    list_name: str = ""
    raw: str = ""


def classify(type_cell: object) -> RowKind:
    """Classify a survey row by its type cell."""
    raw = " ".join(as_text(type_cell).split())
    parts = raw.split(" ")
    folded = raw.lower()
    if not raw:
        return RowKind("blank")
    if folded.replace("_", " ") in GROUP_KEYWORDS:
        return RowKind(GROUP_KEYWORDS[folded.replace("_", " ")], raw=raw)
    if folded in SIMPLE_TYPES and len(parts) == 1:
        return RowKind("question", SIMPLE_TYPES[folded], raw=raw)
    if parts[0] in SELECT_TYPES and len(parts) == 2:
        return RowKind("question", SELECT_TYPES[parts[0]], parts[1], raw)
    if folded in METADATA_TYPES:
        return RowKind("metadata", raw=raw)
    return RowKind("unsupported", raw=raw)


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

    def rejected_columns(self, number: int, row: Row, kind: RowKind) -> None:
        """Report every column the portal cannot honour on this row."""
        for column in REJECTED_COLUMNS:
            if column == "calculation" and kind.raw == "calculate":
                continue  # the calculate type itself is already the error
            if row.get(column) is not None:
                self.error(codes.UNSUPPORTED_COLUMN, number, column=column,
                           value=as_text(row[column]))

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
