"""Blank import templates in one UI language: CSV per table, or one XLSX with a values sheet.

Headers are the columns' labels in that language (the reader accepts them in every language);
the workbook's third sheet lists every allowed sector, level, kind, frequency and direction with
its key and its name in that language (either may be typed). Call inside `force_locale(lang)`.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from portal.spreadsheets import XLSX_MIMETYPE
from portal.stakeholders import taxonomy
from portal.stakeholders.spreadsheet import headers
from portal.stakeholders.spreadsheet.export import to_csv, to_xlsx
from portal.stakeholders.spreadsheet.mapping import DIRECTIONS

FILES = {
    "stakeholders.csv": "text/csv; charset=utf-8",
    "ties.csv": "text/csv; charset=utf-8",
    "map.xlsx": XLSX_MIMETYPE,
}


def header(locale: str, kind: str) -> list[str]:
    """Return a table's header row in one language."""
    return [headers.label_in(locale, kind, c) for c in headers.TEMPLATE_COLUMNS[kind]]


def values_table(locale: str) -> list[list[Any]]:
    """Return the allowed values: column, key, name in the current language."""
    rows: list[list[Any]] = [[_("Column"), _("Value"), _("Name")]]
    for vocabulary, kind in (("sector", "stakeholders"), ("level", "stakeholders"),
                             ("kind", "ties"), ("frequency", "ties")):
        column = headers.label_in(locale, kind, vocabulary)
        rows += [[column, key, str(label)] for key, label in taxonomy.choices(vocabulary)]
    column = headers.label_in(locale, "ties", "direction")
    rows += [[column, DIRECTIONS[0], _("Directed: reported by the “from” stakeholder")],
             [column, DIRECTIONS[1], _("Undirected: no reporter")]]
    return rows


def template_bytes(locale: str, what: str) -> bytes:
    """Return one template file of `FILES` in one language."""
    if what == "stakeholders.csv":
        return to_csv([header(locale, "stakeholders")])
    if what == "ties.csv":
        return to_csv([header(locale, "ties")])
    return to_xlsx({_("Stakeholders"): [header(locale, "stakeholders")],
                    _("Ties"): [header(locale, "ties")],
                    _("Allowed values"): values_table(locale)})
