"""Check every row of the read tables: records as written and row errors (no database).

`parse` checks the structure (columns, names, ends, ids) and keeps the vocabulary cells as
written; `mapping.resolve` later turns them into the portal's keys with the city's answers.
Nodes are matched by an id column when the stakeholder table has one (Gephi, Kumu, GraphML,
GEXF), by name otherwise. Two rows with one name and different ids stay two stakeholders: the
later is named "name (id)" and the preview lists the rename.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from portal.models.network import NAME_MAX
from portal.names import name_key
from portal.stakeholders.spreadsheet.reading import Table
from portal.strict import parse_date

YES = {"yes", "y", "true", "1", "x", "да", "po", "evet", "نعم", "ja", "e", "va"}
NO = {"", "no", "n", "false", "0", "не", "jo", "hayır", "hayir", "لا", "na", "nane"}
VOCABULARY_COLUMNS = {"stakeholders": ("sector", "level"),
                      "ties": ("kind", "frequency", "direction")}


@dataclass(frozen=True)
class RowError:
    """One bad row: which table, which spreadsheet row, a reason code and the offending value."""

    table: str
    row: int
    code: str
    value: str = ""


@dataclass
class Records:
    """The records of a file pair as written, and the errors found while reading them."""

    stakeholders: list[dict[str, Any]] = field(default_factory=list)
    ties: list[dict[str, Any]] = field(default_factory=list)
    stakeholder_columns: list[str] = field(default_factory=list)
    tie_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)  # table → codec of its CSV file
    has_stakeholders: bool = False  # False: names only in ties become new stakeholders
    renamed: list[list[Any]] = field(default_factory=list)  # [row, name in file, name given]
    ignored: dict[str, list[str]] = field(default_factory=dict)  # table → headers not read
    layouts: dict[str, str] = field(default_factory=dict)  # table → table/edgelist/matrix/…
    file_date: str = ""  # ISO date the file carries (GEXF meta, workbook properties)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict (for the server-side preview draft)."""
        return {"stakeholders": self.stakeholders, "ties": self.ties,
                "stakeholder_columns": self.stakeholder_columns, "tie_columns": self.tie_columns,
                "encodings": self.encodings, "has_stakeholders": self.has_stakeholders,
                "renamed": self.renamed, "ignored": self.ignored, "layouts": self.layouts,
                "file_date": self.file_date}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Records:
        """Rebuild records from `to_json`."""
        return cls(data["stakeholders"], data["ties"], data["stakeholder_columns"],
                   data.get("tie_columns", []), [], data.get("encodings", {}),
                   data.get("has_stakeholders", True), data.get("renamed", []),
                   data.get("ignored", {}), data.get("layouts", {}), data.get("file_date", ""))


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Return the matching key of a stakeholder name (spaces collapsed, case folded); cached,
    as an import folds each name once per tie end."""
    return name_key(name)


@lru_cache(maxsize=1 << 16)
def _text(value: str) -> str:
    """Return the value with runs of white space made one space (cached: an import sees the
    same names and vocabulary values on many rows)."""
    return " ".join(value.split()) if value else value


def _stakeholder(row: int, cells: dict[str, str], errors: list[RowError],
                 named: bool) -> dict[str, Any]:
    name = _text(cells.get("name", "")) or _text(cells.get("id", ""))
    if not name and named:
        errors.append(RowError("stakeholders", row, "empty_name"))
    elif len(name) > NAME_MAX:
        errors.append(RowError("stakeholders", row, "too_long", name[:40]))
    record: dict[str, Any] = {"row": row, "name": name, "key": fold(name)}
    if cells.get("id"):
        record["id_in_file"] = _text(cells["id"])
    for column in ("organisation", "notes", "contact_person", "contact_email", "contact_phone",
                   "area"):
        if column in cells:
            record[column] = cells[column][:NAME_MAX] if column != "notes" else cells[column]
    for column in VOCABULARY_COLUMNS["stakeholders"]:
        if column in cells:
            record[column] = _text(cells[column])
    if "team_member" in cells:
        flag = cells["team_member"].casefold()
        if flag not in YES | NO:
            errors.append(RowError("stakeholders", row, "bad_yes_no", cells["team_member"]))
        record["is_team_member"] = flag in YES
    return record


def _tie(row: int, cells: dict[str, str], errors: list[RowError],
         ids: dict[str, str], target: str) -> dict[str, Any]:
    """Check one tie (one target of its row); called once per tie end pair, so kept lean."""
    get = cells.get
    source, target = _text(get("from", "")), _text(target)
    if ids:
        source, target = ids.get(source, source), ids.get(target, target)
    if not (source and target):
        errors.append(RowError("ties", row, "empty_end"))
    elif fold(source) == fold(target):
        errors.append(RowError("ties", row, "self_tie", source))
    reporter = _text(get("reporter", ""))
    if reporter:
        reporter = ids.get(reporter, reporter)
        if fold(reporter) not in (fold(source), fold(target)):
            errors.append(RowError("ties", row, "reporter_not_end", reporter))
    record = {"row": row, "from": source, "to": target, "reporter": reporter,
              "round": _text(get("round", ""))[:100], "notes": get("notes", ""),
              "kind": _text(get("kind", "")), "frequency": _text(get("frequency", "")),
              "direction": _text(get("direction", ""))}
    written = _text(get("round_date", ""))
    if written:  # the portal's export writes the round's date on every tie row
        day = parse_date(written[:10])
        if day is None:
            errors.append(RowError("ties", row, "bad_round_date", written))
        else:
            record["round_date"] = day.isoformat()
    return record


def _missing(table: Table | None, kind: str, needed: tuple[tuple[str, ...], ...],
             errors: list[RowError]) -> None:
    """Report each needed column (any one of a group will do) the table lacks."""
    if table is None:
        return
    for group in needed:
        if not table.columns & set(group):
            errors.append(RowError(kind, 1, "missing_column", group[0]))


def _people(table: Table, records: Records) -> dict[str, str]:
    """Check the stakeholder rows; return {id in file: name} for matching ties by id."""
    errors = records.errors
    seen: dict[str, dict[str, Any]] = {}
    ids: dict[str, str] = {}
    named = bool(table.columns & {"name", "id"})
    for row, cells in table.rows:
        record = _stakeholder(row, cells, errors, named)
        own_id = record.get("id_in_file", "")
        if own_id and own_id in ids:
            errors.append(RowError("stakeholders", row, "duplicate_id", own_id))
        elif record["key"] and record["key"] in seen:
            other = seen[record["key"]]
            if own_id and other.get("id_in_file") and len(f"{record['name']} ({own_id})") <= (
                    NAME_MAX):
                given = f"{record['name']} ({own_id})"
                records.renamed.append([row, record["name"], given])
                record["name"], record["key"] = given, fold(given)
            else:
                errors.append(RowError("stakeholders", row, "duplicate", record["name"]))
        seen.setdefault(record["key"], record)
        if own_id:
            ids.setdefault(own_id, record["name"])
        records.stakeholders.append(record)
    records.stakeholder_columns = sorted(table.columns - {"id"})
    return ids


DIRECTION_VALUES = {"directed", "undirected", "mutual"}


def _kind_or_direction(ties: list[dict[str, Any]], table: Table) -> None:
    """Gephi's edge "Type" says Directed/Undirected: read it as the direction, not the kind."""
    values = {t["kind"].casefold() for t in ties if t["kind"]}
    if "direction" not in table.columns and values and values <= DIRECTION_VALUES:
        for tie in ties:
            tie["direction"], tie["kind"] = tie["kind"], ""
        table.columns = (table.columns - {"kind"}) | {"direction"}


def parse(stakeholders: Table | None, ties: Table | None) -> Records:
    """Check every row of both tables, in one pass, and return the records with all errors."""
    records = Records(has_stakeholders=stakeholders is not None)
    _missing(stakeholders, "stakeholders", (("name", "id"),), records.errors)
    _missing(ties, "ties", (("from",), ("to",)), records.errors)
    ids = _people(stakeholders, records) if stakeholders is not None else {}
    append, errors = records.ties.append, records.errors
    for row, cells in ties.rows if ties else []:
        targets = cells.get("to", "")
        if "|" not in targets:
            append(_tie(row, cells, errors, ids, targets))
            continue
        # Kumu: "A | B | C" in To draws a connection to each of them.
        for target in targets.split("|"):
            append(_tie(row, cells, errors, ids, target))
    if ties is not None:
        _kind_or_direction(records.ties, ties)
        records.tie_columns = sorted(ties.columns)
    for kind, table in (("stakeholders", stakeholders), ("ties", ties)):
        if table is not None:
            records.layouts[kind] = table.layout
            if table.ignored:
                records.ignored[kind] = list(table.ignored)
            if table.file_date and not records.file_date:
                records.file_date = table.file_date.isoformat()
    return records
