"""Issue codes of the XLSForm import; the web layer translates each code into a sentence.

Every Issue is ``{"code", "row", "sheet", "params"}``; ``row`` is the Excel row number
(header = 1, the numbering pyxform uses in its ``[row : N]`` messages).

Errors (the import returns no spec):

- ``not_xlsx`` — the file is not a readable .xlsx workbook (an .xls, a CSV, a corrupt file).
- ``no_survey_sheet`` — the workbook has no sheet named ``survey``.
- ``missing_column`` — a required column is absent; params ``column``.
- ``survey_empty`` — the survey sheet holds no question.
- ``unsupported_type`` — a row's type is outside the portal's subset (repeat, calculate,
  geopoint, image, range, select_one_from_file, …); params ``type``.
- ``unsupported_column`` — a row uses a column the portal cannot honour (choice_filter,
  repeat_count, calculation, trigger); params ``column``, ``value``.
- ``required_expression`` — ``required`` holds an expression instead of yes/no; params ``value``.
- ``typographic_quotes`` — an expression uses ‘ ’ “ ” as quotes; params ``column``,
  ``position``. Rejected rather than normalised: a silent rewrite could change the meaning.
- ``invalid_expression`` — relevant/constraint does not parse; params ``column``,
  ``reason`` (an ExpressionError code), ``position``.
- ``unsupported_regex`` — a ``regex()`` pattern needs backtracking (back-references,
  look-around), which the portal's engine (RE2, linear time) does not run; params ``column``.
- ``unknown_reference`` — an expression reads ``${name}`` that no kept question defines;
  params ``column``, ``name``.
- ``missing_name`` — a question or group row has no name.
- ``duplicate_name`` — a name is used twice; params ``name``, ``first_row``.
- ``unknown_choice_list`` — a select names a list absent from the choices sheet; params ``list``.
- ``missing_choice_name`` — a choices row has a list name but no choice name (sheet choices).
- ``duplicate_choice`` — a list has the same choice name twice; params ``list``, ``name``.
- ``unbalanced_group`` — an ``end group`` without its ``begin group`` or the reverse.
- ``language_unmatched`` — a ``label::X`` column whose X is neither ``Name (code)`` nor a
  language name Babel knows; params ``column``, ``language``.
- ``invalid_portal_column`` — an ``lpn_*`` column holds a value the portal cannot use;
  params ``column``, ``value``.
- ``pyxform_rejected`` — pyxform refused the form; params ``message`` (pyxform's English text).

Notices (the import still succeeds):

- ``language_matched_by_name`` — a language column without ``(code)`` was matched by its
  name; params ``language`` (the name as written), ``code``.
- ``language_assumed`` — label columns carry no language; params ``code`` (the fallback used).
- ``default_language_unmatched`` — settings.default_language names no language of the form;
  params ``value``, ``code`` (the default used instead).
- ``metadata_dropped`` — metadata rows (start, end, today, deviceid, …) were left out:
  the portal never collects them; params ``rows``, ``types``.
- ``column_ignored`` — a column the portal does not use holds values; params ``column``, ``rows``.
- ``sheet_ignored`` — a sheet other than survey/choices/settings was skipped; params ``name``.
- ``group_relevant_merged`` — a group's relevant was folded into each of its questions' relevant.
"""

from __future__ import annotations

NOT_XLSX = "not_xlsx"
NO_SURVEY_SHEET = "no_survey_sheet"
MISSING_COLUMN = "missing_column"
SURVEY_EMPTY = "survey_empty"
UNSUPPORTED_TYPE = "unsupported_type"
UNSUPPORTED_COLUMN = "unsupported_column"
REQUIRED_EXPRESSION = "required_expression"
TYPOGRAPHIC_QUOTES = "typographic_quotes"
INVALID_EXPRESSION = "invalid_expression"
UNSUPPORTED_REGEX = "unsupported_regex"
UNKNOWN_REFERENCE = "unknown_reference"
MISSING_NAME = "missing_name"
DUPLICATE_NAME = "duplicate_name"
UNKNOWN_CHOICE_LIST = "unknown_choice_list"
MISSING_CHOICE_NAME = "missing_choice_name"
DUPLICATE_CHOICE = "duplicate_choice"
UNBALANCED_GROUP = "unbalanced_group"
LANGUAGE_UNMATCHED = "language_unmatched"
INVALID_PORTAL_COLUMN = "invalid_portal_column"
PYXFORM_REJECTED = "pyxform_rejected"
REFUSED_REPEAT = "refused_repeat"
REFUSED_LOCATION = "refused_location"
REFUSED_MEDIA = "refused_media"
REFUSED_BARCODE = "refused_barcode"
FILE_NOT_ATTACHED = "file_not_attached"

ERROR_CODES: frozenset[str] = frozenset({
    NOT_XLSX, NO_SURVEY_SHEET, MISSING_COLUMN, SURVEY_EMPTY, UNSUPPORTED_TYPE,
    UNSUPPORTED_COLUMN, REQUIRED_EXPRESSION, TYPOGRAPHIC_QUOTES, INVALID_EXPRESSION,
    UNKNOWN_REFERENCE, MISSING_NAME, DUPLICATE_NAME, UNKNOWN_CHOICE_LIST, MISSING_CHOICE_NAME,
    DUPLICATE_CHOICE, UNBALANCED_GROUP, LANGUAGE_UNMATCHED, INVALID_PORTAL_COLUMN,
    PYXFORM_REJECTED, UNSUPPORTED_REGEX, REFUSED_REPEAT, REFUSED_LOCATION, REFUSED_MEDIA,
    REFUSED_BARCODE, FILE_NOT_ATTACHED,
})

LANGUAGE_MATCHED_BY_NAME = "language_matched_by_name"
LANGUAGE_ASSUMED = "language_assumed"
DEFAULT_LANGUAGE_UNMATCHED = "default_language_unmatched"
METADATA_DROPPED = "metadata_dropped"
COLUMN_IGNORED = "column_ignored"
SHEET_IGNORED = "sheet_ignored"
GROUP_RELEVANT_MERGED = "group_relevant_merged"

NOTICE_CODES: frozenset[str] = frozenset({
    LANGUAGE_MATCHED_BY_NAME, LANGUAGE_ASSUMED, DEFAULT_LANGUAGE_UNMATCHED, METADATA_DROPPED,
    COLUMN_IGNORED, SHEET_IGNORED, GROUP_RELEVANT_MERGED,
})
