"""Issue codes of the XLSForm import; the web layer translates each code into a sentence.

Every Issue is ``{"code", "row", "sheet", "params"}``; ``row`` is the row number pyxform uses
in its ``[row : N]`` messages (the sheet's header is row 1; in a CSV or Markdown form the rows
are counted from each sheet's own header).

Errors (the import returns no spec). pyxform reads the form first; what it refuses comes back
as ``pyxform_rejected`` with its own message and row. The portal then refuses, row by row,
only what it does not support:

- ``not_xlsx`` — the file is no XLSForm pyxform can read (.xlsx, .xls, .csv, .md), is corrupt,
  or is far too large.
- ``pyxform_rejected`` — pyxform refused the form (no survey sheet, a missing ``type`` column,
  a duplicate name in one group, an unknown ${reference}, a question without a label …);
  params ``message`` (pyxform's English text).
- ``survey_empty`` — the survey holds no question.
- ``refused_repeat`` — a repeat (rosters of people, which residents cannot answer for others,
  and which no aggregate can show under the disclosure threshold); params ``name``.
- ``refused_location`` — geopoint, geotrace, geoshape (gps): a location identifies; ``type``.
- ``refused_media`` — photo/image, audio, video, file: uploads that can identify; ``type``.
- ``refused_barcode`` — barcode needs the ODK Collect app's scanner; ``type``.
- ``unsupported_type`` — any other type outside the subset (rank, osm, hidden, xml-external,
  phone number …); params ``type``.
- ``file_not_attached`` — a select_one_from_file / select_multiple_from_file whose .csv was
  not attached (or is not a CSV); params ``file``.
- ``unknown_choice_list`` — a select whose list (external_choices or an attached file) holds no
  choice; params ``list``.
- ``required_expression`` — ``required`` holds an expression instead of yes/no; ``value``.
- ``typographic_quotes`` — an expression uses ‘ ’ “ ” as quotes (pyxform straightens the usual
  ones first; this catches the rest); params ``column``, ``position``.
- ``invalid_expression`` — relevant/constraint/calculation/choice_filter uses what the portal's
  evaluator cannot read (an absolute path, a syntax error …); params ``column``,
  ``reason`` (an ExpressionError code), ``position``.
- ``unsupported_function`` — an expression calls a function the portal does not evaluate
  (``today()``, ``sqrt()``, ``pulldata()`` …); params ``column``, ``function``.
- ``unsupported_regex`` — a ``regex()`` needs back-references or look-around (RE2 runs neither).
- ``unknown_reference`` — an expression reads ``${name}`` that is no kept question (a
  dropped metadata field, a question inside a refused repeat); params ``column``, ``name``.
- ``duplicate_name`` — the same name in two groups: the portal keeps one flat list of names,
  which its ${name} references read; params ``name``, ``first_row``.
- ``language_unmatched`` — a ``label::X`` whose X is no language name or code Babel knows;
  params ``column``, ``language``.
- ``invalid_portal_column`` — an ``lpn_*`` column holds a value the portal cannot use;
  params ``column``, ``value``.

Notices (the import still succeeds):

- ``language_matched_by_name`` — a language column without ``(code)`` was matched by its
  name ("English", "العربية", "Francais"); params ``language``, ``code``.
- ``default_language_unmatched`` — settings.default_language names no language Babel knows;
  params ``value``, ``code`` (English, used instead).
- ``metadata_dropped`` — metadata rows (start, end, today, deviceid, …) were left out:
  the portal never collects them; params ``rows``, ``types``.
- ``group_relevant_merged`` — a group's relevant was folded into each of its questions' relevant.
- ``column_ignored`` — a language column written with one colon (``label:English (en)``) in a
  sheet whose other language columns use ``::``: pyxform then reads it as no label column, so
  its texts are left out; params ``column``, ``fixed`` (the header to write instead).
"""

from __future__ import annotations

NOT_XLSX = "not_xlsx"
SURVEY_EMPTY = "survey_empty"
UNSUPPORTED_TYPE = "unsupported_type"
REQUIRED_EXPRESSION = "required_expression"
TYPOGRAPHIC_QUOTES = "typographic_quotes"
INVALID_EXPRESSION = "invalid_expression"
UNSUPPORTED_REGEX = "unsupported_regex"
UNKNOWN_REFERENCE = "unknown_reference"
DUPLICATE_NAME = "duplicate_name"
UNKNOWN_CHOICE_LIST = "unknown_choice_list"
LANGUAGE_UNMATCHED = "language_unmatched"
INVALID_PORTAL_COLUMN = "invalid_portal_column"
PYXFORM_REJECTED = "pyxform_rejected"
REFUSED_REPEAT = "refused_repeat"
REFUSED_LOCATION = "refused_location"
REFUSED_MEDIA = "refused_media"
REFUSED_BARCODE = "refused_barcode"
FILE_NOT_ATTACHED = "file_not_attached"
UNSUPPORTED_FUNCTION = "unsupported_function"

ERROR_CODES: frozenset[str] = frozenset({
    NOT_XLSX, SURVEY_EMPTY, UNSUPPORTED_TYPE, REQUIRED_EXPRESSION, TYPOGRAPHIC_QUOTES,
    INVALID_EXPRESSION, UNSUPPORTED_REGEX, UNKNOWN_REFERENCE, DUPLICATE_NAME,
    UNKNOWN_CHOICE_LIST, LANGUAGE_UNMATCHED, INVALID_PORTAL_COLUMN, PYXFORM_REJECTED,
    REFUSED_REPEAT, REFUSED_LOCATION, REFUSED_MEDIA, REFUSED_BARCODE, FILE_NOT_ATTACHED,
    UNSUPPORTED_FUNCTION,
})

LANGUAGE_MATCHED_BY_NAME = "language_matched_by_name"
DEFAULT_LANGUAGE_UNMATCHED = "default_language_unmatched"
METADATA_DROPPED = "metadata_dropped"
GROUP_RELEVANT_MERGED = "group_relevant_merged"
COLUMN_IGNORED = "column_ignored"

NOTICE_CODES: frozenset[str] = frozenset({
    LANGUAGE_MATCHED_BY_NAME, DEFAULT_LANGUAGE_UNMATCHED, METADATA_DROPPED, GROUP_RELEVANT_MERGED,
    COLUMN_IGNORED,
})
