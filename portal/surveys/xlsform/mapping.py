"""Map pyxform's normalised form tree onto the portal's survey spec, refusing by row.

pyxform has already read the sheets (aliases, legacy spellings, languages, or_other,
settings). This walk keeps what a resident survey can use, drops device metadata with a
notice, and refuses, naming each row, what the portal really does not support.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.surveys.expressions.parser import references
from portal.surveys.expressions.rewrite import (
    CHOICE_PREFIX,
    absolute_refs,
    choice_filter_expression,
)
from portal.surveys.xlsform import codes
from portal.surveys.xlsform.bounds import split_bounds
from portal.surveys.xlsform.choice_files import external_list, file_list
from portal.surveys.xlsform.reading import Form
from portal.surveys.xlsform.rows import RowChecker, RowFinder, parse_flag
from portal.surveys.xlsform.spec import (
    DEMOGRAPHIC_KEYS,
    Choice,
    Issue,
    Question,
    Translated,
    make_issue,
    new_question,
)
from portal.surveys.xlsform.texts import Languages
from portal.surveys.xlsform.vocabulary import (
    BARCODE_TYPES,
    CHOICE_KEYS,
    LOCATION_TYPES,
    MEDIA_TYPES,
    METADATA_TYPES,
    PORTAL_FLAGS,
    SELECT_TYPES,
    SIMPLE_TYPES,
)


@dataclass
class _Group:
    """An open group: its section key, label and relevant."""

    name: str
    key: str
    label: Translated
    relevant: str | None
    one_page: bool = True


@dataclass
class Mapper:
    """One walk over the tree, building questions and collecting issues."""

    form: Form
    langs: Languages
    attachments: dict[str, bytes]
    errors: list[Issue]
    notices: list[Issue]
    questions: list[Question] = field(default_factory=list)
    names: dict[str, int | None] = field(default_factory=dict)
    metadata: list[tuple[int | None, str]] = field(default_factory=list)
    sections: dict[str, int] = field(default_factory=dict)
    stack: list[_Group] = field(default_factory=list)
    merged: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        """Share the error list with the row checker and start the row finder."""
        self.check = RowChecker(self.errors)
        self.rows = RowFinder(self.form.survey_rows)
        self.lists: dict[str, list[Choice]] = {}

    def run(self) -> list[Question]:
        """Walk the form's children; report metadata and an empty survey."""
        for child in self.form.tree.get("children") or []:
            self._element(child, in_repeat=False)
        self._references()
        if self.metadata:
            self.notices.append(make_issue(
                codes.METADATA_DROPPED, None, "survey", rows=[r for r, _ in self.metadata if r],
                types=sorted({t for _, t in self.metadata})))
        if not self.questions and not self.errors:
            self.errors.append(make_issue(codes.SURVEY_EMPTY, None, "survey"))
        return self.questions

    def _references(self) -> None:
        """Report ${name} references to names that are not questions of the survey."""
        kept = {q["name"] for q in self.questions}
        for row, column, node in self.check.parsed:
            for name in sorted(references(node)):
                if name not in kept and not name.startswith(CHOICE_PREFIX):
                    self.check.error(codes.UNKNOWN_REFERENCE, row, column=column, name=name)

    def _element(self, element: dict[str, Any], in_repeat: bool) -> None:
        """Dispatch one element of the tree."""
        kind = str(element.get("type", ""))
        name = str(element.get("name", ""))
        if kind == "group" and name == "meta" and (element.get("control") or {}).get("bodyless"):
            return  # pyxform's own instanceID
        row = self.rows.find(name)
        if kind == "repeat":
            self.check.error(codes.REFUSED_REPEAT, row or 0, name=name)
            for child in element.get("children") or []:
                self._element(child, in_repeat=True)
        elif kind == "group":
            self._group(element, row, in_repeat)
        elif kind in METADATA_TYPES:
            self.metadata.append((row, kind))
        elif kind in LOCATION_TYPES:
            self.check.error(codes.REFUSED_LOCATION, row or 0, type=kind)
        elif kind in MEDIA_TYPES:
            self.check.error(codes.REFUSED_MEDIA, row or 0, type=kind)
        elif kind in BARCODE_TYPES:
            self.check.error(codes.REFUSED_BARCODE, row or 0, type=kind)
        elif kind not in SIMPLE_TYPES and kind not in SELECT_TYPES:
            self.check.error(codes.UNSUPPORTED_TYPE, row or 0, type=kind)
        elif not in_repeat:
            self._question(element, kind, row)

    def _group(self, element: dict[str, Any], row: int | None, in_repeat: bool) -> None:
        """Open a group as a section (re-entered sections get a suffix), walk, close it."""
        name = str(element.get("name", ""))
        relevant = None
        if not in_repeat:
            self._claim(name, row)
            relevant = self._expression(row, (element.get("bind") or {}).get("relevant"),
                                        "relevant")
        appearance = str((element.get("control") or {}).get("appearance") or "")
        self.stack.append(_Group(name, self._fresh(name, row),
                                 self.langs.text(element.get("label")), relevant,
                                 "field-list" in appearance.split()))
        for child in element.get("children") or []:
            self._element(child, in_repeat)
        self.stack.pop()
        if self.stack:  # what follows a nested group continues its parent, in a new section
            self.stack[-1].key = self._fresh(self.stack[-1].name, row)

    def _fresh(self, name: str, row: int | None) -> str:
        """Return an unused section key for a group: its name, else name_2, name_3 …"""
        key, suffix = name, 2
        while key in self.sections:
            key, suffix = f"{name}_{suffix}", suffix + 1
        self.sections[key] = row or 0
        return key

    def _claim(self, name: str, row: int | None) -> None:
        """Record a name; the portal keeps one flat list of names (its ${name}s)."""
        if name in self.names:
            self.check.error(codes.DUPLICATE_NAME, row or 0, name=name,
                             first_row=self.names[name] or "?")
        else:
            self.names[name] = row

    def _expression(self, row: int | None, value: object, column: str) -> str | None:
        """Return a checked expression with ``../name`` written as ``${name}``."""
        if not isinstance(value, str) or not value.strip():
            return None
        text = absolute_refs(value.strip())
        return self.check.expression(row or 0, {column: text}, column)

    def _question(self, element: dict[str, Any], kind: str, row: int | None) -> None:
        """Build one question from its element."""
        name = str(element.get("name", ""))
        self._claim(name, row)
        qtype = SIMPLE_TYPES.get(kind) or SELECT_TYPES[kind]
        bind = element.get("bind") or {}
        question = new_question(name, qtype)  # type: ignore[arg-type]
        question["label"] = self.langs.text(element.get("label"))
        question["hint"] = self.langs.text(element.get("hint"))
        question["constraint_message"] = self.langs.text(bind.get("jr:constraintMsg"))
        if qtype not in ("note", "calculate"):
            question["required"] = self._required(row, bind.get("required"))
        question["relevant"] = self._relevant(self._expression(row, bind.get("relevant"),
                                                               "relevant"))
        question["constraint"] = self._expression(row, bind.get("constraint"), "constraint")
        if self.stack:
            question["section"] = self.stack[-1].key
            question["section_label"] = self.stack[-1].label
            question["section_one_page"] = self.stack[-1].one_page
        if qtype == "calculate":
            question["calculation"] = self._expression(row, bind.get("calculate"),
                                                       "calculation")
        if qtype in ("single", "multi"):
            self._choices(element, row, question)
        if qtype == "range":
            self._range(element, question)
        self._portal_columns(row, element, question)
        if question["type"] in ("integer", "decimal") and question["constraint"]:
            low, high, rest = split_bounds(question["constraint"])
            question["min"], question["max"], question["constraint"] = low, high, rest
        self.questions.append(question)

    def _required(self, row: int | None, value: object) -> bool:
        """Read required; an expression (required only sometimes) is refused."""
        flag = parse_flag(value)
        if flag is None:
            self.check.error(codes.REQUIRED_EXPRESSION, row or 0, value=str(value))
            return False
        return flag

    def _relevant(self, own: str | None) -> str | None:
        """Fold the relevant of the enclosing groups into a question's relevant."""
        parts = [g.relevant for g in self.stack if g.relevant] + ([own] if own else [])
        for group in self.stack:
            if group.relevant and group.name not in self.merged:
                self.merged.add(group.name)
                self.notices.append(make_issue(codes.GROUP_RELEVANT_MERGED, None, "survey",
                                               name=group.name))
        if len(parts) <= 1:
            return parts[0] if parts else None
        return " and ".join(f"({part})" for part in parts)

    def _choices(self, element: dict[str, Any], row: int | None, question: Question) -> None:
        """Take the choices: from the choices sheet, external_choices, or an attached file."""
        itemset = str(element.get("itemset") or element.get("list_name") or "")
        found: list[Choice] | None
        if "choices" in element:
            found = [self._choice(choice) for choice in element["choices"]]
        elif element.get("type") == "select one external":
            found = external_list(self.form.external_choices, itemset, self.langs)
        else:
            found = file_list(itemset, self.attachments, self.langs)
            if found is None:
                self.check.error(codes.FILE_NOT_ATTACHED, row or 0, file=itemset)
                return
        question["choices"] = found or []
        if not found:
            self.check.error(codes.UNKNOWN_CHOICE_LIST, row or 0, list=itemset)
        raw_filter = element.get("choice_filter")
        if isinstance(raw_filter, str) and raw_filter.strip():
            text = absolute_refs(raw_filter.strip())
            if self.check.expression(row or 0, {"choice_filter": choice_filter_expression(text)},
                                     "choice_filter"):
                question["choice_filter"] = text

    def _choice(self, choice: dict[str, Any]) -> Choice:
        """Map one pyxform choice, keeping its filter columns."""
        item: Choice = {"name": str(choice.get("name", "")),
                        "label": self.langs.text(choice.get("label"))}
        filters = {str(k): str(v) for k, v in choice.items()
                   if k not in CHOICE_KEYS and isinstance(v, (str, int, float))}
        if filters:
            item["filters"] = filters
        return item

    def _range(self, element: dict[str, Any], question: Question) -> None:
        """Read a range's start, end and step (ODK's defaults 1, 10, 1)."""
        parameters = element.get("parameters") or {}
        values = []
        for key, default in (("start", 1), ("end", 10), ("step", 1)):
            try:
                number = float(parameters.get(key, default))
            except (TypeError, ValueError):
                number = float(default)
            values.append(int(number) if number.is_integer() else number)
        question["min"], question["max"], question["step"] = values

    def _portal_columns(self, row: int | None, element: dict[str, Any],
                        question: Question) -> None:
        """Read the portal's own lpn_* columns (pyxform passes unknown columns through)."""
        marker = str(element.get("lpn_type") or "").strip()
        if marker == "likert5" and question["type"] == "single":
            question["type"] = "likert5"
        elif marker:
            self.check.error(codes.INVALID_PORTAL_COLUMN, row or 0, column="lpn_type",
                             value=marker)
        question["subscale"] = str(element.get("lpn_subscale") or "").strip() or None
        for key, column in PORTAL_FLAGS.items():
            flag = parse_flag(element.get(column))
            if flag is None:
                self.check.error(codes.INVALID_PORTAL_COLUMN, row or 0, column=column,
                                 value=str(element.get(column)))
            question[key] = bool(flag)  # type: ignore[literal-required]
        demographic = str(element.get("lpn_demographic") or "").strip()
        if demographic in DEMOGRAPHIC_KEYS:
            question["demographic"] = demographic
        elif demographic:
            self.check.error(codes.INVALID_PORTAL_COLUMN, row or 0, column="lpn_demographic",
                             value=demographic)
