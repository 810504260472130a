"""Export a survey spec as an XLSForm workbook (bytes) that pyxform and Kobo/ODK accept.

Portal-only facts travel in extra columns that pyxform ignores: ``lpn_type`` (``likert5``),
``lpn_subscale``, ``lpn_reverse``, ``lpn_dont_know``, ``lpn_prefer_not``, ``lpn_demographic``
(age_band / gender / area) on the survey sheet and ``lpn_title::<language>`` and
``lpn_consent::<language>`` on the settings sheet. Integer/decimal bounds are written into
the constraint (``. >= a and . <= b`` then ``and (<own constraint>)``) so Kobo/ODK enforce
them too; the import splits those leading bounds off again.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from portal.spreadsheets import xml_text
from portal.surveys.xlsform.languages import declaration
from portal.surveys.xlsform.spec import Choice, Question, Survey

TRANSLATED = ("label", "hint", "constraint_message")
PORTAL_COLUMNS = ("lpn_type", "lpn_subscale", "lpn_reverse", "lpn_dont_know", "lpn_prefer_not",
                  "lpn_demographic")
SELECT = {"likert5": "select_one", "single": "select_one", "multi": "select_multiple"}
XLSFORM_TYPES = {"datetime": "dateTime"}  # the portal's name -> the XLSForm type


def _number(value: float) -> str:
    """Write a bound without a trailing '.0'."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def constraint_text(question: Question) -> str | None:
    """Combine min/max bounds and the question's own constraint into one expression."""
    parts = []
    if question["type"] == "range":  # a range's bounds are its parameters
        return question["constraint"] or None
    if question["min"] is not None:
        parts.append(f". >= {_number(question['min'])}")
    if question["max"] is not None:
        parts.append(f". <= {_number(question['max'])}")
    own = question["constraint"]
    if own:
        parts.append(f"({own})" if parts else own)
    return " and ".join(parts) or None


class _Lists:
    """Assigns choice-list names, sharing one list between identical choice sets."""

    def __init__(self) -> None:
        self.by_content: dict[str, str] = {}
        self.lists: dict[str, list[Choice]] = {}

    def name_for(self, question: Question) -> str:
        """Return the list name for a question's choices (``likert5`` for likert items)."""
        key = repr([(c["name"], sorted(c["label"].items()), sorted(c.get("filters", {}).items()))
                    for c in question["choices"]])
        key = ("likert5" if question["type"] == "likert5" else "select") + key
        if key in self.by_content:
            return self.by_content[key]
        base = "likert5" if question["type"] == "likert5" else question["name"]
        name, suffix = base, 2
        while name in self.lists:
            name, suffix = f"{base}_{suffix}", suffix + 1
        self.by_content[key] = name
        self.lists[name] = question["choices"]
        return name


def _question_row(question: Question, lists: _Lists, langs: list[str]) -> list[Any]:
    """Return the survey-sheet cells of one question."""
    qtype = question["type"]
    cell_type = (f"{SELECT[qtype]} {lists.name_for(question)}" if qtype in SELECT
                 else XLSFORM_TYPES.get(qtype, qtype))
    cells: list[Any] = [cell_type, question["name"]]
    for column in TRANSLATED[:2]:
        cells += [question[column].get(lang) for lang in langs]  # type: ignore[literal-required]
    cells += ["yes" if question["required"] else None, question["relevant"],
              constraint_text(question)]
    cells += [question["constraint_message"].get(lang) for lang in langs]
    flags = [question["reverse"], question["dont_know"], question["prefer_not"]]
    cells += ["likert5" if qtype == "likert5" else None, question["subscale"]]
    cells += ["yes" if flag else None for flag in flags]
    cells.append(question.get("demographic"))
    cells += [question.get("calculation"), question.get("choice_filter"), _parameters(question),
              None]
    return cells


def _parameters(question: Question) -> str | None:
    """Return a range's parameters cell (``start=1 end=10 step=1``)."""
    if question["type"] != "range":
        return None
    values = zip(("start", "end", "step"), (question["min"], question["max"],
                                            question.get("step")), strict=True)
    return " ".join(f"{key}={_number(value)}" for key, value in values if value is not None)


def _group_row(kind: str, question: Question | None, langs: list[str], width: int) -> list[Any]:
    """Return a begin/end group row padded to the sheet width."""
    if question is None:
        return [kind] + [None] * (width - 1)
    labels = [question["section_label"].get(lang) for lang in langs]
    row = [kind, question["section"], *labels] + [None] * (width - 2 - len(labels))
    row[-1] = "field-list" if question.get("section_one_page", True) else None  # appearance
    return row


def _survey_rows(spec: Survey, lists: _Lists) -> list[list[Any]]:
    """Return the survey sheet: header, then questions wrapped in their section groups."""
    langs = spec["languages"]
    header = ["type", "name"]
    for column in TRANSLATED[:2]:
        header += [f"{column}::{declaration(lang)}" for lang in langs]
    header += ["required", "relevant", "constraint"]
    header += [f"constraint_message::{declaration(lang)}" for lang in langs]
    header += list(PORTAL_COLUMNS)
    header += ["calculation", "choice_filter", "parameters", "appearance"]
    rows: list[list[Any]] = [header]
    section: str | None = None
    closed: set[str] = set()
    for question in spec["questions"]:
        if question["section"] != section:
            if question["section"] in closed:
                raise ValueError(f"section {question['section']!r} is not contiguous")
            if section is not None:
                closed.add(section)
            if section is not None:
                rows.append(_group_row("end group", None, langs, len(header)))
            if question["section"] is not None:
                rows.append(_group_row("begin group", question, langs, len(header)))
            section = question["section"]
        rows.append(_question_row(question, lists, langs))
    if section is not None:
        rows.append(_group_row("end group", None, langs, len(header)))
    return rows


def _choice_rows(lists: _Lists, langs: list[str]) -> list[list[Any]]:
    """Return the choices sheet."""
    filters = list(dict.fromkeys(key for choices in lists.lists.values() for choice in choices
                                 for key in choice.get("filters", {})))
    rows: list[list[Any]] = [
        ["list_name", "name"] + [f"label::{declaration(lang)}" for lang in langs] + filters]
    for list_name, choices in lists.lists.items():
        for choice in choices:
            kept = choice.get("filters", {})
            rows.append([list_name, choice["name"], *(choice["label"].get(lang) for lang in langs),
                         *(kept.get(key) for key in filters)])
    return rows


def _settings_rows(spec: Survey) -> list[list[Any]]:
    """Return the settings sheet: every title and consent translation in lpn_* columns."""
    langs = spec["languages"]
    default = spec["default_language"]
    consent = spec.get("consent") or {}
    header = ["form_title", "form_id", "default_language"]
    header += [f"lpn_title::{declaration(lang)}" for lang in langs]
    values = [spec["title"].get(default), spec["form_id"], declaration(default)]
    values += [spec["title"].get(lang) for lang in langs]
    if any(consent.get(lang) for lang in langs):
        header += [f"lpn_consent::{declaration(lang)}" for lang in langs]
        values += [consent.get(lang) for lang in langs]
    if any(len({c["name"] for c in q["choices"]}) < len(q["choices"]) for q in spec["questions"]):
        header.append("allow_choice_duplicates")  # the form had it: pyxform needs it again
        values.append("yes")
    return [header, values]


def _append(sheet: Any, row: list[Any]) -> None:
    """Append a row, storing text that starts with '=' as text, never as a formula.

    Characters an .xlsx cannot hold are left out (`xml_text`), so the file always opens. An
    XLSForm keeps its own text as written (pyxform reads values, not a guarded copy).
    """
    sheet.append([xml_text(cell) for cell in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def export_xlsform(spec: Survey) -> bytes:
    """Write a survey spec as an .xlsx XLSForm and return its bytes.

    Raises ValueError when a section's questions are not contiguous (a group can't reopen).
    """
    lists = _Lists()
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    for row in _survey_rows(spec, lists):
        _append(survey, row)
    for title, rows in (("choices", _choice_rows(lists, spec["languages"])),
                        ("settings", _settings_rows(spec))):
        sheet = book.create_sheet(title)
        for row in rows:
            _append(sheet, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
