"""Check every row of the read tables: clean records and row errors (no database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.models.network import NAME_MAX
from portal.names import name_key
from portal.stakeholders import taxonomy
from portal.stakeholders.spreadsheet.reading import Table

YES = {"yes", "y", "true", "1", "x", "да", "po", "evet", "نعم", "ja", "e", "va"}
NO = {"", "no", "n", "false", "0", "не", "jo", "hayır", "hayir", "لا", "na", "nane"}


@dataclass(frozen=True)
class RowError:
    """One bad row: which table, which spreadsheet row, a reason code and the offending value."""

    table: str
    row: int
    code: str
    value: str = ""


@dataclass
class Records:
    """The clean records of a file pair, and the errors found while reading them."""

    stakeholders: list[dict[str, Any]] = field(default_factory=list)
    ties: list[dict[str, Any]] = field(default_factory=list)
    stakeholder_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)  # table → codec of its CSV file

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict (for the server-side preview draft)."""
        return {"stakeholders": self.stakeholders, "ties": self.ties,
                "stakeholder_columns": self.stakeholder_columns}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Records:
        """Rebuild records from `to_json`."""
        return cls(data["stakeholders"], data["ties"], data["stakeholder_columns"])


def fold(name: str) -> str:
    """Return the matching key of a stakeholder name (spaces collapsed, case folded)."""
    return name_key(name)


def _vocab(errors: list[RowError], table: str, row: int, vocabulary: str, text: str,
           default: str | None) -> str:
    if not text and default is not None:
        return default
    key = taxonomy.parse(vocabulary, text)
    if key is None:
        errors.append(RowError(table, row, f"unknown_{vocabulary}", text))
        return default or ""
    return key


def _stakeholder(row: int, cells: dict[str, str], errors: list[RowError]) -> dict[str, Any]:
    name = " ".join(cells.get("name", "").split())
    if not name:
        errors.append(RowError("stakeholders", row, "empty_name"))
    elif len(name) > NAME_MAX:
        errors.append(RowError("stakeholders", row, "too_long", name[:40]))
    record: dict[str, Any] = {"row": row, "name": name, "key": fold(name)}
    for column in ("organisation", "notes", "contact_person", "contact_email", "contact_phone",
                   "area"):
        if column in cells:
            record[column] = cells[column][:NAME_MAX] if column != "notes" else cells[column]
    if "sector" in cells:
        record["sector"] = _vocab(errors, "stakeholders", row, "sector", cells["sector"], "other")
    if "level" in cells:
        record["level"] = _vocab(errors, "stakeholders", row, "level", cells["level"], "local")
    if "team_member" in cells:
        flag = cells["team_member"].casefold()
        if flag not in YES | NO:
            errors.append(RowError("stakeholders", row, "bad_yes_no", cells["team_member"]))
        record["is_team_member"] = flag in YES
    return record


def _tie(row: int, cells: dict[str, str], errors: list[RowError]) -> dict[str, Any]:
    ends = [" ".join(cells.get(c, "").split()) for c in ("from", "to")]
    if not all(ends):
        errors.append(RowError("ties", row, "empty_end"))
    elif fold(ends[0]) == fold(ends[1]):
        errors.append(RowError("ties", row, "self_tie", ends[0]))
    reporter = " ".join(cells.get("reporter", "").split())
    if reporter and fold(reporter) not in {fold(e) for e in ends}:
        errors.append(RowError("ties", row, "reporter_not_end", reporter))
    return {
        "row": row, "from": ends[0], "to": ends[1], "reporter": reporter,
        "kind": _vocab(errors, "ties", row, "kind", cells.get("kind", ""), None),
        "frequency": _vocab(errors, "ties", row, "frequency", cells.get("frequency", ""), None),
        "round": " ".join(cells.get("round", "").split())[:100],
        "notes": cells.get("notes", ""),
    }


def _require(table: Table | None, kind: str, columns: tuple[str, ...],
             errors: list[RowError]) -> None:
    if table is None:
        return
    for column in columns:
        if column not in table.columns:
            errors.append(RowError(kind, 1, "missing_column", column))


def parse(stakeholders: Table | None, ties: Table | None) -> Records:
    """Check every row of both tables and return clean records with all row errors."""
    records = Records()
    errors = records.errors
    _require(stakeholders, "stakeholders", ("name",), errors)
    _require(ties, "ties", ("from", "to", "kind", "frequency"), errors)
    if errors:
        return records
    seen: dict[str, int] = {}
    for row, cells in stakeholders.rows if stakeholders else []:
        record = _stakeholder(row, cells, errors)
        if record["key"] and record["key"] in seen:
            errors.append(RowError("stakeholders", row, "duplicate", record["name"]))
        seen.setdefault(record["key"], row)
        records.stakeholders.append(record)
    records.stakeholder_columns = sorted(stakeholders.columns) if stakeholders else []
    pairs: set[tuple[str, str, str, str]] = set()
    for row, cells in ties.rows if ties else []:
        record = _tie(row, cells, errors)
        low, high = sorted((fold(record["from"]), fold(record["to"])))
        key = (fold(record["round"]), low, high, record["kind"] or "")
        if key in pairs:
            errors.append(RowError("ties", row, "duplicate", f"{record['from']} – {record['to']}"))
        pairs.add(key)
        records.ties.append(record)
    return records
