"""Translated reasons for refused changes and bad import rows."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.stakeholders.spreadsheet.rows import RowError

MAP_ERRORS = {
    "name_empty": _l("Enter a name."),
    "name_taken": _l("A stakeholder with this name exists already in this city."),
    "area_unknown": _l("Choose an area from the list."),
    "area_name": _l("Enter an area name of at most 100 characters."),
    "area_taken": _l("This area exists already."),
    "round_name": _l("Enter a round name of at most 100 characters."),
    "round_taken": _l("A round with this name exists already."),
    "round_unknown": _l("Choose a round from the list."),
    "self_tie": _l("A stakeholder cannot have a tie with itself."),
    "unknown_partner": _l("One of the chosen stakeholders is not in this city."),
    "bad_value": _l("Choose a kind and a frequency for every tie."),
}

ROW_REASONS = {
    "unknown_sector": _l("unknown sector “%(value)s”"),
    "unknown_level": _l("unknown level “%(value)s”"),
    "unknown_kind": _l("unknown kind of tie “%(value)s”"),
    "unknown_frequency": _l("bad frequency “%(value)s”"),
    "unknown_stakeholder": _l("tie to an unknown stakeholder “%(value)s”"),
    "self_tie": _l("self-tie: “%(value)s” is at both ends"),
    "duplicate": _l("duplicate of an earlier row: “%(value)s”"),
    "empty_name": _l("empty name"),
    "empty_end": _l("a tie needs a stakeholder at both ends"),
    "too_long": _l("name longer than 200 characters: “%(value)s…”"),
    "bad_yes_no": _l("write yes or no, not “%(value)s”"),
    "bad_round_date": _l("write the round date as YYYY-MM-DD, not “%(value)s”"),
    "reporter_not_end": _l("the reporter “%(value)s” is not one of the two ends"),
    "missing_column": _l("the column “%(value)s” is missing"),
    "too_large": _l("the file is too large"),
    "too_many_rows": _l("the file has too many rows"),
    "too_wide": _l("too many filled columns in this row (at most %(value)s)"),
    "not_spreadsheet": _l("this is not a spreadsheet (CSV or XLSX)"),
    "not_network": _l("this XML file is neither GraphML nor GEXF, or it is damaged"),
    "duplicate_id": _l("the id “%(value)s” is used by an earlier row"),
    "no_file": _l("choose a file to import"),
}
TABLES = {"stakeholders": _l("Stakeholders"), "ties": _l("Ties")}
VOCABULARY_NAMES = {"sector": _l("Sector"), "level": _l("Level"), "kind": _l("Kind of tie"),
                    "frequency": _l("Frequency"), "direction": _l("Direction")}


def map_error(code: str) -> str:
    """Return the translated message of a refused change."""
    return str(MAP_ERRORS.get(code, MAP_ERRORS["bad_value"]))


def row_reason(error: RowError) -> str:
    """Return the translated reason of a bad row."""
    reason = ROW_REASONS.get(error.code)
    if reason is None:
        return error.code
    return _(reason._args[0], value=error.value)
