"""What the preview page shows: one line per row of the files, paged, and the mapping questions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from portal.stakeholders import taxonomy
from portal.stakeholders.spreadsheet.mapping import value_key
from portal.stakeholders.spreadsheet.plan import Plan

PAGE_SIZE = 50


@dataclass(frozen=True)
class Line:
    """One row of the per-row preview table."""

    table: str
    row: int
    status: str  # new, update, unchanged, merged, check (a value still to be mapped)
    what: str  # a stakeholder's name, or "from → to"
    details: list[str]
    merged_rows: tuple[int, ...] = ()
    reporter: str = ""


def _label(vocabulary: str, key: str) -> str:
    return taxonomy.label(vocabulary, key) if key else ""


def lines(result: Plan) -> list[Line]:
    """Return one line per stakeholder and tie row (edge-list names after), in file order."""
    records = result.records
    if records is None:
        return []
    out = []
    for r in records.stakeholders:
        details = [_label("sector", r.get("sector", "")), _label("level", r.get("level", "")),
                   r.get("organisation", "")]
        waiting = any(v in r and not r[v] for v in ("sector", "level"))  # still unmapped
        out.append(Line("stakeholders", r["row"], "check" if waiting else r.get("status", "check"),
                        r["name"], [d for d in details if d]))
    in_file = {id(r) for r in records.stakeholders}
    for r in result.new_stakeholders:
        if id(r) not in in_file:
            out.append(Line("stakeholders", 0, "new", r["name"], []))
    for t in records.ties:
        details = [_label("kind", t["kind"]), _label("frequency", t["frequency"])]
        if t["round"]:
            details.append(t["round"])
        status = t.get("status", "check") if t["kind"] and t["frequency"] else "check"
        out.append(Line("ties", t["row"], status, f"{t['from']} → {t['to']}",
                        [d for d in details if d], tuple(t.get("merged_rows", ())),
                        t["reporter"]))
    return out


def page(items: list[Line], number: int) -> tuple[list[Line], int]:
    """Return one page of lines (1-based, clamped) and the number of pages."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    number = min(max(number, 1), pages)
    return items[(number - 1) * PAGE_SIZE:number * PAGE_SIZE], pages


def field_name(vocabulary: str, text: str) -> str:
    """Return the form field of one foreign value (stable, whatever else is unmapped)."""
    digest = hashlib.sha256(f"{vocabulary}\x00{value_key(text)}".encode()).hexdigest()[:12]
    return f"map_{vocabulary}_{digest}"


def questions(result: Plan) -> list[dict[str, Any]]:
    """Return the mapping questions: the values still foreign, then those an earlier import's
    answers resolved (so a wrong answer can be changed): vocabulary, the file's value, rows
    using it, the answer in use ("" when none), field name."""
    out = []
    for found in (result.unmapped, result.remembered):
        for vocabulary in ("sector", "level", "kind", "frequency", "direction"):
            for text, rows in sorted(found.get(vocabulary, {}).items()):
                out.append({"vocabulary": vocabulary, "value": text, "count": len(rows),
                            "rows": rows, "field": field_name(vocabulary, text),
                            "current": result.answers.get((vocabulary, value_key(text)), "")})
    return out
