"""Import an XLSForm (.xlsx) into the portal's survey spec, with coded errors and notices."""

from __future__ import annotations

import io
import os
import re
import warnings
from pathlib import Path

from portal.surveys.xlsform import codes
from portal.surveys.xlsform.builder import SurveyBuilder
from portal.surveys.xlsform.language_columns import Languages, resolve_languages
from portal.surveys.xlsform.spec import Choice, ImportResult, Issue, Survey, make_issue
from portal.surveys.xlsform.workbook import Row, Sheet, Workbook, as_text, read_workbook

_PYXFORM_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
CHOICE_COLUMNS = frozenset({"list_name", "name", "label"})


def _load(source: str | os.PathLike[str] | bytes) -> tuple[bytes, str | None]:
    """Return the file's bytes and, for a path, its stem (pyxform's fallback form id)."""
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), None
    path = Path(source)
    return path.read_bytes(), path.stem


def _settings(book: Workbook) -> Row:
    """Return the first data row of the settings sheet."""
    sheet = book.sheets.get("settings")
    return sheet.rows[0][1] if sheet and sheet.rows else {}


def _read_choices(sheet: Sheet | None, langs: Languages, errors: list[Issue],
                  notices: list[Issue]) -> dict[str, list[Choice]]:
    """Read every choice list; numeric names (1, 2) become the strings '1', '2'."""
    lists: dict[str, list[Choice]] = {}
    if sheet is None:
        return lists
    for number, row in sheet.rows:
        list_name = as_text(row.get("list_name"))
        name = as_text(row.get("name"))
        if not list_name:
            continue
        if not name:
            errors.append(make_issue(codes.MISSING_CHOICE_NAME, number, "choices", list=list_name))
            continue
        choices = lists.setdefault(list_name, [])
        if any(choice["name"] == name for choice in choices):
            errors.append(make_issue(codes.DUPLICATE_CHOICE, number, "choices",
                                     list=list_name, name=name))
            continue
        choices.append({"name": name, "label": langs.text(row, "label")})
    for header in sheet.headers:
        if header and header.partition("::")[0] not in CHOICE_COLUMNS:
            rows = [number for number, row in sheet.rows if row.get(header) is not None]
            if rows:
                notices.append(make_issue(codes.COLUMN_IGNORED, None, "choices",
                                          column=header, rows=rows))
    return lists


def _pyxform_check(data: bytes, errors: list[Issue]) -> None:
    """Run pyxform on the workbook (validate=False) and report a refusal."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            convert(xlsform=io.BytesIO(data), file_type=".xlsx", validate=False, warnings=[])
    except (PyXFormError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        message = str(exc)
        found = _PYXFORM_ROW.search(message)
        errors.append(make_issue(codes.PYXFORM_REJECTED, int(found.group(1)) if found else None,
                                 "survey" if found else None, message=message))


def _structure_errors(book: Workbook) -> list[Issue]:
    """Report a missing survey sheet or its missing type/name columns."""
    survey = book.sheets.get("survey")
    if survey is None:
        return [make_issue(codes.NO_SURVEY_SHEET)]
    missing = [column for column in ("type", "name") if column not in survey.headers]
    if missing:
        return [make_issue(codes.MISSING_COLUMN, 1, "survey", column=c) for c in missing]
    if not survey.rows:
        return [make_issue(codes.SURVEY_EMPTY, None, "survey")]
    return []


def _title(settings: Row, langs: Languages) -> dict[str, str]:
    """Return the form title per language: lpn_title::… columns, then form_title."""
    title = langs.text(settings, "lpn_title")
    plain = as_text(settings.get("form_title"))
    if plain and langs.default not in title:
        title[langs.default] = plain
    return title


def import_xlsform(source: str | os.PathLike[str] | bytes, *,
                   fallback_language: str = "en") -> ImportResult:
    """Import an XLSForm from a path or bytes into a survey spec, or coded errors."""
    data, stem = _load(source)
    book = read_workbook(data)
    if book is None:
        return ImportResult(None, [make_issue(codes.NOT_XLSX)], [])
    errors = _structure_errors(book)
    if errors:
        return ImportResult(None, errors, [])
    notices = [make_issue(codes.SHEET_IGNORED, None, None, name=n) for n in book.ignored]
    settings = _settings(book)
    sheets = [book.sheets[n] for n in ("survey", "choices", "settings") if n in book.sheets]
    langs = resolve_languages(sheets, as_text(settings.get("default_language")),
                              fallback_language, errors, notices)
    lists = _read_choices(book.sheets.get("choices"), langs, errors, notices)
    questions = SurveyBuilder(langs, lists, errors, notices).build(book.sheets["survey"])
    if not errors:
        _pyxform_check(data, errors)
    if errors:
        return ImportResult(None, errors, notices)
    title = _title(settings, langs)
    consent = langs.text(settings, "lpn_consent")
    form_id = as_text(settings.get("form_id")) or stem or "survey"
    spec: Survey = {
        "form_id": form_id, "title": title or {langs.default: form_id}, "consent": consent,
        "default_language": langs.default, "languages": langs.codes,
        "questions": questions, "notices": notices,
    }
    return ImportResult(spec, errors, notices)
