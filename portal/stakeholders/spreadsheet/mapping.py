"""Turn the file's own values into the portal's: sectors, levels, kinds, frequencies, directions.

A value the portal knows (a key or a label in any UI language, see `taxonomy`) needs nothing.
Any other value, and an empty kind or frequency, is *foreign*: the preview asks once what it
means (one choice per distinct value, not per row) and the answer is remembered per city in
`import_mapping` for the next import. An empty sector is "other", an empty level "local", an
empty direction "undirected", as before.

Directions: "directed" makes the tie's `from` its reporter (Gephi's Directed, a matrix row),
"undirected" leaves it without one. When a file holds A→B and B→A of one kind in one round
(two organisations both reporting their tie), they become ONE tie reported by both: stored
without a single reporter (undirected), at the more frequent of the two frequencies, notes
joined. The same pair twice in the same order is still a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from portal import audit
from portal.extensions import db
from portal.models import City, ImportMapping, User
from portal.models.base import utcnow
from portal.models.network import FREQUENCIES
from portal.names import name_key
from portal.stakeholders import taxonomy
from portal.stakeholders.spreadsheet.rows import Records, RowError, fold

VOCABULARIES = ("sector", "level", "kind", "frequency", "direction")
DIRECTIONS = ("directed", "undirected")
DIRECTION_WORDS = {
    "directed": "directed", "direct": "directed", "true": "directed", "yes": "directed",
    "1": "directed", "->": "directed", "→": "directed", "one-way": "directed",
    "undirected": "undirected", "false": "undirected", "no": "undirected", "0": "undirected",
    "mutual": "undirected", "both": "undirected", "<->": "undirected", "two-way": "undirected",
    "mixed": "undirected", "": "undirected",
}
# Empty cells that have a default; an empty kind or frequency is asked for instead.
EMPTY_DEFAULTS = {"sector": "other", "level": "local", "direction": "undirected"}
KEYS = {"direction": DIRECTIONS, **{v: taxonomy.VOCABULARIES[v][0] for v in
                                   ("sector", "level", "kind", "frequency")}}
Mapping = dict[tuple[str, str], str]


@dataclass
class Resolved:
    """Records in the portal's terms; `unmapped` lists each foreign value and its rows,
    `remembered` the foreign values the city's earlier answers resolved."""

    records: Records
    unmapped: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    merged: int = 0
    remembered: dict[str, dict[str, list[int]]] = field(default_factory=dict)


def value_key(text: str) -> str:
    """Return the folded form a foreign value is remembered under."""
    return name_key(text)[:200]


def known(vocabulary: str, text: str) -> str | None:
    """Return the portal's key of a value it knows without being told, else None."""
    if vocabulary == "direction":
        return DIRECTION_WORDS.get(" ".join(text.split()).casefold())
    if not text:
        return EMPTY_DEFAULTS.get(vocabulary)
    return taxonomy.parse(vocabulary, text)


def city_mapping(city: City) -> Mapping:
    """Return the city's remembered answers, {(vocabulary, value key): portal key}."""
    rows = db.session.execute(select(ImportMapping.vocabulary, ImportMapping.value_key,
                                     ImportMapping.target).where(ImportMapping.city_id == city.id))
    return {(v, k): t for v, k, t in rows}


def remember(city: City, answers: Mapping, *, actor: User | None) -> None:
    """Store the city's answers (valid keys only), replacing earlier ones for the same value."""
    current = {(m.vocabulary, m.value_key): m for m in db.session.scalars(
        select(ImportMapping).where(ImportMapping.city_id == city.id))}
    changed = []
    for (vocabulary, key), target in answers.items():
        if vocabulary not in KEYS or target not in KEYS[vocabulary]:
            continue
        row = current.get((vocabulary, key))
        if row is None:
            db.session.add(ImportMapping(city_id=city.id, vocabulary=vocabulary,
                                         value_key=key, target=target))
        elif row.target != target:
            row.target, row.updated_at = target, utcnow()
        else:
            continue
        changed.append(f"{vocabulary}:{key or '(empty)'}={target}")
    if changed:
        db.session.flush()
        audit.record("stakeholders.import_mapping", actor=actor, city=city,
                     details=" ".join(changed)[:1000])


class _Lookup:
    """Look up each distinct value once; note which were foreign and which were remembered.

    `plain[vocabulary]` holds the values known without the city's answers (nothing to note
    per row): the hot loops read it first and call the lookup only for the rest."""

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.unmapped: dict[str, dict[str, list[int]]] = {}
        self.remembered: dict[str, dict[str, list[int]]] = {}
        self.memo: dict[tuple[str, str], tuple[str | None, bool]] = {}
        self.plain: dict[str, dict[str, str]] = {v: {} for v in VOCABULARIES}

    def __call__(self, vocabulary: str, text: str, row: int) -> str:
        try:
            key, from_city = self.memo[(vocabulary, text)]
        except KeyError:  # a file repeats a few values many times
            key, from_city = known(vocabulary, text), False
            if key is None:
                key = self.mapping.get((vocabulary, value_key(text)))
                from_city = key is not None
            self.memo[(vocabulary, text)] = key, from_city
            if key and not from_city:
                self.plain[vocabulary][text] = key
        if key is None or from_city:
            found = self.unmapped if key is None else self.remembered
            found.setdefault(vocabulary, {}).setdefault(text, []).append(row)
        return key or ""


def _merge(ties: list[dict[str, Any]], errors: list[RowError]) -> tuple[list[dict[str, Any]], int]:
    """Fold A→B + B→A of one kind and round into one tie reported by both; refuse repeats."""
    kept: dict[tuple[str, ...], dict[str, Any]] = {}
    out, merged = [], 0
    for tie in ties:
        ends = source, target = fold(tie["from"]), fold(tie["to"])
        key = ((fold(tie["round"]), source, target, tie["kind"]) if source < target
               else (fold(tie["round"]), target, source, tie["kind"]))
        first = kept.get(key)
        if first is None:
            kept[key] = tie
            out.append(tie)
        elif (fold(first["from"]), fold(first["to"])) == ends[::-1] and not first.get("both"):
            first["both"], first["reporter"] = True, ""
            first["merged_rows"] = [tie["row"]]
            if tie["frequency"] and (not first["frequency"] or FREQUENCIES.index(
                    tie["frequency"]) < FREQUENCIES.index(first["frequency"])):
                first["frequency"] = tie["frequency"]
            if tie["notes"] and tie["notes"] != first["notes"]:
                first["notes"] = "\n".join(n for n in (first["notes"], tie["notes"]) if n)
            merged += 1
        else:
            errors.append(RowError("ties", tie["row"], "duplicate",
                                   f"{tie['from']} – {tie['to']}"))
    return out, merged


def _resolve_ties(records: list[dict[str, Any]], lookup: _Lookup) -> list[dict[str, Any]]:
    """Return copies of the ties in the portal's keys; "directed" makes `from` the reporter."""
    kinds, frequencies, directions = (lookup.plain[v] for v in ("kind", "frequency", "direction"))
    ties = []
    for record in records:
        copy = dict(record)
        row, kind, frequency = copy["row"], copy["kind"], copy["frequency"]
        copy["kind"] = kinds.get(kind) or lookup("kind", kind, row)
        copy["frequency"] = frequencies.get(frequency) or lookup("frequency", frequency, row)
        direction = copy.pop("direction")
        direction = directions.get(direction) or lookup("direction", direction, row)
        if not copy["reporter"] and direction == "directed":
            copy["reporter"] = copy["from"]
        ties.append(copy)
    return ties


def resolve(records: Records, mapping: Mapping) -> Resolved:
    """Return the records in the portal's keys, the foreign values left, and merged pairs."""
    lookup = _Lookup(mapping)
    people = []
    for record in records.stakeholders:
        copy = dict(record)
        for vocabulary in ("sector", "level"):
            if vocabulary in copy:
                copy[vocabulary] = lookup(vocabulary, copy[vocabulary], copy["row"])
        people.append(copy)
    ties = _resolve_ties(records.ties, lookup)
    errors = list(records.errors)
    ties, merged = _merge(ties, errors) if not lookup.unmapped else (ties, 0)
    out = Records(people, ties, records.stakeholder_columns, records.tie_columns, errors,
                  records.encodings, records.has_stakeholders, records.renamed, records.ignored,
                  records.layouts, records.file_date)
    return Resolved(out, lookup.unmapped, merged, lookup.remembered)


def choices(vocabulary: str) -> list[tuple[str, object]]:
    """Return (key, label) pairs a foreign value of `vocabulary` may be mapped to."""
    if vocabulary == "direction":
        from flask_babel import lazy_gettext as _l

        return [("directed", _l("Directed: reported by the “from” stakeholder")),
                ("undirected", _l("Undirected: no reporter"))]
    return taxonomy.choices(vocabulary)
