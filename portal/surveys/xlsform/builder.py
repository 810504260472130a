"""Turn the rows of an XLSForm survey sheet into portal questions, collecting coded issues."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from portal.surveys.expressions.parser import Node, conjuncts, parse, references
from portal.surveys.xlsform import codes
from portal.surveys.xlsform.language_columns import Languages
from portal.surveys.xlsform.rows import (
    REJECTED_COLUMNS,
    USED_COLUMNS,
    RowChecker,
    RowKind,
    classify,
)
from portal.surveys.xlsform.spec import (
    DEMOGRAPHIC_KEYS,
    Choice,
    Issue,
    Question,
    Translated,
    make_issue,
    new_question,
)
from portal.surveys.xlsform.workbook import Row, Sheet, as_text

PORTAL_FLAGS = {"reverse": "lpn_reverse", "dont_know": "lpn_dont_know",
                "prefer_not": "lpn_prefer_not"}


@dataclass
class _Group:
    """An open begin group / begin repeat."""

    name: str
    label: Translated
    relevant: str | None
    repeat: bool
    row: int


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


@dataclass
class SurveyBuilder:
    """Walks the survey rows once, building questions and issues."""

    langs: Languages
    lists: dict[str, list[Choice]]
    errors: list[Issue]
    notices: list[Issue]
    questions: list[Question] = field(default_factory=list)
    stack: list[_Group] = field(default_factory=list)
    names: dict[str, int] = field(default_factory=dict)
    metadata: list[tuple[int, str, str]] = field(default_factory=list)
    merged_groups: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        """Create the row checker sharing the error list."""
        self.check = RowChecker(self.errors)

    def build(self, sheet: Sheet) -> list[Question]:
        """Process every row, then the checks that need the whole sheet."""
        for number, row in sheet.rows:
            kind = classify(row.get("type"))
            if kind.kind == "blank":
                continue
            self.check.rejected_columns(number, row, kind)
            self._dispatch(number, row, kind)
        for group in self.stack:
            self.check.error(codes.UNBALANCED_GROUP, group.row, name=group.name)
        self._after(sheet)
        return self.questions

    def _dispatch(self, number: int, row: Row, kind: RowKind) -> None:
        """Handle one classified row."""
        if kind.kind == "question":
            self._question(number, row, kind)
        elif kind.kind in ("begin_group", "begin_repeat"):
            if kind.kind == "begin_repeat":
                self.check.error(codes.UNSUPPORTED_TYPE, number, type="begin repeat",
                                 value=kind.raw)
            self._begin(number, row, repeat=kind.kind == "begin_repeat")
        elif kind.kind in ("end_group", "end_repeat"):
            if not self.stack or self.stack[-1].repeat != (kind.kind == "end_repeat"):
                self.check.error(codes.UNBALANCED_GROUP, number)
            else:
                self.stack.pop()
        elif kind.kind == "metadata":
            self.metadata.append((number, kind.raw, as_text(row.get("name"))))
        else:
            self.check.error(codes.UNSUPPORTED_TYPE, number, type=kind.raw.split(" ")[0],
                             value=kind.raw)

    def _claim(self, number: int, row: Row) -> str:
        """Return the row's name, reporting a missing or duplicate one."""
        name = as_text(row.get("name"))
        if not name:
            self.check.error(codes.MISSING_NAME, number)
        elif name in self.names:
            self.check.error(codes.DUPLICATE_NAME, number, name=name, first_row=self.names[name])
        else:
            self.names[name] = number
        return name

    def _begin(self, number: int, row: Row, repeat: bool) -> None:
        """Open a group (or a rejected repeat, so that its end still balances)."""
        name = self._claim(number, row)
        relevant = None if repeat else self.check.expression(number, row, "relevant")
        self.stack.append(_Group(name, self.langs.text(row, "label"), relevant, repeat, number))

    def _question(self, number: int, row: Row, kind: RowKind) -> None:
        """Build one question from its row."""
        question = new_question(self._claim(number, row), kind.qtype)  # type: ignore[arg-type]
        for column in ("label", "hint", "constraint_message"):
            question[column] = self.langs.text(row, column)
        if kind.qtype != "note":
            question["required"] = self.check.required(number, row)
        question["relevant"] = self._relevant(self.check.expression(number, row, "relevant"))
        question["constraint"] = self.check.expression(number, row, "constraint")
        groups = [group for group in self.stack if not group.repeat]
        if groups:
            question["section"], question["section_label"] = groups[-1].name, groups[-1].label
        if kind.list_name:
            question["choices"] = self._choices(number, kind.list_name)
        self._portal_columns(number, row, question)
        if question["type"] in ("integer", "decimal") and question["constraint"]:
            low, high, rest = split_bounds(question["constraint"])
            question["min"], question["max"], question["constraint"] = low, high, rest
        self.questions.append(question)

    def _relevant(self, own: str | None) -> str | None:
        """Fold the relevant of the enclosing groups into a question's relevant."""
        parts = [g.relevant for g in self.stack if g.relevant] + ([own] if own else [])
        for group in self.stack:
            if group.relevant and group.name not in self.merged_groups:
                self.merged_groups.add(group.name)
                self.notices.append(make_issue(codes.GROUP_RELEVANT_MERGED, None, "survey",
                                               name=group.name))
        if len(parts) <= 1:
            return parts[0] if parts else None
        return " and ".join(f"({part})" for part in parts)

    def _choices(self, number: int, list_name: str) -> list[Choice]:
        """Return a copy of a choice list, reporting an unknown list."""
        if list_name not in self.lists:
            self.check.error(codes.UNKNOWN_CHOICE_LIST, number, list=list_name)
            return []
        return copy.deepcopy(self.lists[list_name])

    def _portal_columns(self, number: int, row: Row, question: Question) -> None:
        """Read the portal's own lpn_* columns (ignored by pyxform)."""
        marker = as_text(row.get("lpn_type"))
        if marker == "likert5" and question["type"] == "single":
            question["type"] = "likert5"
        elif marker:
            self.check.error(codes.INVALID_PORTAL_COLUMN, number, column="lpn_type", value=marker)
        question["subscale"] = as_text(row.get("lpn_subscale")) or None
        for key, column in PORTAL_FLAGS.items():
            question[key] = self.check.portal_flag(number, row, column)  # type: ignore[literal-required]
        demographic = as_text(row.get("lpn_demographic"))
        if demographic in DEMOGRAPHIC_KEYS:
            question["demographic"] = demographic
        elif demographic:
            self.check.error(codes.INVALID_PORTAL_COLUMN, number, column="lpn_demographic",
                             value=demographic)

    def _after(self, sheet: Sheet) -> None:
        """Report metadata, unknown references, ignored columns and an empty survey."""
        if self.metadata:
            self.notices.append(make_issue(
                codes.METADATA_DROPPED, None, "survey", rows=[m[0] for m in self.metadata],
                types=sorted({m[1] for m in self.metadata})))
        self._references(sheet)
        self._ignored_columns(sheet)
        if not self.questions and not self.errors:
            self.errors.append(make_issue(codes.SURVEY_EMPTY, None, "survey"))

    def _references(self, sheet: Sheet) -> None:
        """Report ${name} references to names absent from the sheet or dropped as metadata."""
        defined = {as_text(row.get("name")) for _, row in sheet.rows}
        dropped = {m[2] for m in self.metadata}
        for number, column, node in self.check.parsed:
            for name in sorted(references(node)):
                if name not in defined or name in dropped:
                    self.check.error(codes.UNKNOWN_REFERENCE, number, column=column, name=name)

    def _ignored_columns(self, sheet: Sheet) -> None:
        """Notice every unused column that holds values."""
        for header in sheet.headers:
            base = header.partition("::")[0]
            if not header or base in USED_COLUMNS or base in REJECTED_COLUMNS:
                continue
            rows = [number for number, row in sheet.rows if row.get(header) is not None]
            if rows:
                self.notices.append(make_issue(codes.COLUMN_IGNORED, None, "survey",
                                               column=header, rows=rows))
