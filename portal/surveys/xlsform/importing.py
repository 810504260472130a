"""Import an XLSForm into the portal's survey spec: pyxform reads it, the portal maps it.

pyxform (``reading.read_form``) reads .xlsx, .xls and .csv XLSForms with every alias and
legacy spelling it accepts; ``mapping.Mapper`` maps its tree onto the spec and refuses, in
one row-numbered list, only what the portal does not support.
"""

from __future__ import annotations

import os
from pathlib import Path

from portal.surveys.xlsform.mapping import Mapper
from portal.surveys.xlsform.reading import Form, conversion_problem, read_form
from portal.surveys.xlsform.spec import ImportResult, Survey
from portal.surveys.xlsform.texts import Languages, ignored_columns, resolve


def _load(source: str | os.PathLike[str] | bytes,
          name: str | None) -> tuple[bytes, str | None]:
    """Return the file's bytes and its name (pyxform's file type and fallback form id)."""
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), name
    path = Path(source)
    return path.read_bytes(), name or path.name


def _title(form: Form, langs: Languages) -> dict[str, str]:
    """Return the form title per language: lpn_title::… columns, then the form's title."""
    title = langs.column(form.settings, "lpn_title")
    plain = str(form.tree.get("title") or "").strip()
    if plain and langs.default not in title:
        title[langs.default] = plain
    return title


def import_xlsform(source: str | os.PathLike[str] | bytes, *, name: str | None = None,
                   attachments: dict[str, bytes] | None = None) -> ImportResult:
    """Import an XLSForm from a path or bytes into a survey spec, or coded errors.

    ``name`` is the uploaded file's name (its suffix tells .xls and .csv apart; its stem is
    the form id when the settings give none); ``attachments`` are the form's media files by
    name (the CSV of a ``select_one_from_file``).
    """
    data, file_name = _load(source, name)
    form = read_form(data, name=file_name)
    if not isinstance(form, Form):
        return ImportResult(None, [form], [])
    errors: list = []
    notices: list = []
    langs = resolve(form.tree, errors, notices, form.settings_headers)
    notices += ignored_columns(form.sheet_headers)
    questions = Mapper(form, langs, attachments or {}, errors, notices).run()
    problem = None if errors else conversion_problem(form)
    if problem is not None:
        errors.append(problem)
    if errors:
        errors.sort(key=lambda issue: (issue["sheet"] != "survey", issue["row"] or 0))
        return ImportResult(None, errors, notices)
    form_id = str(form.tree.get("id_string") or "survey")
    spec: Survey = {
        "form_id": form_id, "title": _title(form, langs) or {langs.default: form_id},
        "consent": langs.column(form.settings, "lpn_consent"),
        "default_language": langs.default, "languages": langs.codes,
        "questions": questions, "notices": notices,
    }
    return ImportResult(spec, errors, notices)
