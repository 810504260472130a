"""Let pyxform read an XLSForm (.xlsx, .xls, .csv, .md) into its normalised form tree.

pyxform understands every alias and legacy spelling of the format (``label:English`` with one
colon, ``list name``, ``select one from X``, ``select all that apply``, ``acknowledge``,
settings aliases …), so the portal does not parse the sheets by hand. What it keeps beside the
tree: the raw survey rows (their index + 2 is the Excel row number pyxform reports in its
``[row : N]`` messages), the raw choices rows of a list (their extra columns are the
``choice_filter`` columns), the settings row and the external_choices sheet.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from portal.surveys.xlsform import codes
from portal.surveys.xlsform.spec import Issue, make_issue
from portal.surveys.xlsform.workbook import read_workbook

_PYXFORM_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_SHEET_ROW = re.compile(r"'(survey|choices|settings)'[^\n]*?row\s*'?(\d+)", re.IGNORECASE)
MAX_BYTES = 16 * 1024 * 1024  # a form is kilobytes; refuse anything far larger unread
FILE_TYPES = (".xlsx", ".xls", ".csv", ".md")
PYXFORM_ERRORS: tuple[type[Exception], ...] = (ValueError, KeyError, TypeError, AttributeError,
                                               IndexError)


@dataclass
class Form:
    """pyxform's reading of a form: the tree plus the raw rows it was built from."""

    tree: dict[str, Any]
    survey_rows: list[dict[str, Any]]
    settings: dict[str, Any]
    external_choices: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    settings_headers: list[str] = field(default_factory=list)
    sheet_headers: dict[str, list[str]] = field(default_factory=dict)  # survey's and choices'


def file_type_of(data: bytes, name: str | None) -> str | None:
    """Return the pyxform file type from the name's suffix, else from the bytes."""
    if name:
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix in FILE_TYPES:
            return suffix
    if data[:4] == b"PK\x03\x04":
        return ".xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return ".xls"
    return None


def _rejected(exc: Exception) -> Issue:
    """Turn pyxform's refusal into a coded issue, keeping its row when it names one."""
    message = str(exc)
    found = _PYXFORM_ROW.search(message)
    if found:
        return make_issue(codes.PYXFORM_REJECTED, int(found.group(1)), "survey", message=message)
    found_sheet = _SHEET_ROW.search(message)
    if found_sheet:
        return make_issue(codes.PYXFORM_REJECTED, int(found_sheet.group(2)),
                          found_sheet.group(1).lower(), message=message)
    return make_issue(codes.PYXFORM_REJECTED, None, None, message=message)


def read_form(data: bytes, *, name: str | None = None) -> Form | Issue:
    """Read a form with pyxform; return the Form or the one issue that stopped it."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    file_type = file_type_of(data, name)
    if len(data) > MAX_BYTES:
        return make_issue(codes.NOT_XLSX)
    # pyxform loads the whole workbook: the streamed reader refuses a zip bomb or a sheet
    # of a million filled rows first (a declared-but-empty million rows is fine).
    if file_type in (".xlsx", None) and data[:4] == b"PK\x03\x04" and read_workbook(data) is None:
        return make_issue(codes.NOT_XLSX)
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] if name else None
    found: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = get_xlsform(io.BytesIO(data), file_type=file_type)
            tree = workbook_to_json(workbook_dict=book, form_name=None,
                                    fallback_form_name=stem or "survey",
                                    default_language=None, warnings=found)
    except PyXFormError as exc:
        if "not recognized as a supported type" in str(exc) or "Error reading" in str(exc):
            return make_issue(codes.NOT_XLSX)
        return _rejected(exc)
    except PYXFORM_ERRORS as exc:
        return _rejected(exc)
    settings = book.settings[0] if book.settings else {}
    headers = [str(h) for h in (book.settings_header or [{}])[0] or {}]
    sheet_headers = {sheet: [str(h) for h in (getattr(book, f"{sheet}_header", None)
                                              or [{}])[0] or {}]
                     for sheet in ("survey", "choices")}
    return Form(tree, list(book.survey or []), dict(settings),
                list(book.external_choices or []), found, headers, sheet_headers)


def conversion_problem(form: Form) -> Issue | None:
    """Return pyxform's refusal to build the XForm (a question without a label …), or None."""
    from pyxform.builder import create_survey_element_from_dict
    from pyxform.errors import PyXFormError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            create_survey_element_from_dict(form.tree).to_xml(validate=False, warnings=[])
    except (PyXFormError, *PYXFORM_ERRORS) as exc:
        return _rejected(exc)
    return None
