"""The co-attendance layer of the map: who met at meetings and trainings, beside the ties.

The pairs are the projection of the city's attendance (portal.analysis.coattendance), kept to
the actors on the map shown (same round and filters). `reported` says whether the pair has a
working tie of any kind, in either direction, in the map's round: a pair that met at
MET_AT_LEAST events or more with `reported` False "met at 3 events but report no working tie".

Attendance is not part of the network revision (an event changes no tie), so every response
carrying the layer names the attendance itself in its ETag (`fingerprint`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from portal.analysis.coattendance import project
from portal.extensions import db
from portal.models import City, MappingRound, Tie
from portal.plan.events import MET_AT_LEAST, attendance_pairs

LISTED = 25  # "met but report no working tie" pairs listed beside the map, most events first


@dataclass(frozen=True)
class CoTie:
    """Two actors on the map (source < target) who attended `events` events together."""

    source: int
    target: int
    events: int
    reported: bool


def attendance(city: City) -> list[tuple[int, int]]:
    """Return the city's (event id, stakeholder id) pairs in a stable order."""
    return sorted(attendance_pairs(city))


def fingerprint(pairs: list[tuple[int, int]]) -> str:
    """Return a short digest of the attendance, for the ETag of anything that shows it."""
    return hashlib.sha256(repr(pairs).encode()).hexdigest()[:24]


def reported_pairs(city: City, round_: MappingRound | None) -> set[tuple[int, int]]:
    """Return (a, b), a < b, of every pair with a tie of any kind in the round."""
    if round_ is None:
        return set()
    rows = db.session.execute(select(Tie.source_id, Tie.target_id).where(
        Tie.city_id == city.id, Tie.round_id == round_.id))
    return {(min(s, t), max(s, t)) for s, t in rows}


def layer(analysis: dict[str, Any], pairs: list[tuple[int, int]],
          reported: set[tuple[int, int]]) -> list[CoTie]:
    """Return the co-attendance ties between actors of the map, most shared events first."""
    on_map = {n["id"] for n in analysis["nodes"]}
    found = [CoTie(a, b, w, (a, b) in reported) for (a, b), w in project(pairs).items()
             if a in on_map and b in on_map]
    return sorted(found, key=lambda t: (-t.events, t.source, t.target))


def unreported(ties: list[CoTie]) -> list[CoTie]:
    """Return the pairs that met at MET_AT_LEAST events or more and report no working tie."""
    return [t for t in ties if not t.reported and t.events >= MET_AT_LEAST]


def layer_data(analysis: dict[str, Any], ties: list[CoTie]) -> dict[str, Any]:
    """Return the compact JSON of the layer for the interactive map.

    Actors are named by their index in the map data (as its edges are); the sentences come
    translated per number of events, with %(a)s and %(b)s left for the page to fill.
    """
    order = {n["id"]: i for i, n in enumerate(analysis["nodes"])}
    missing = unreported(ties)
    counts = sorted({t.events for t in ties})
    keep = {"a": "%(a)s", "b": "%(b)s"}
    return {
        "title": _("Met at meetings and trainings"),
        "ties": [[order[t.source], order[t.target], t.events, int(t.reported)] for t in ties],
        "unreported": [[order[t.source], order[t.target], t.events] for t in missing[:LISTED]],
        "left_out": _left_out(len(missing)),
        "no": {str(w): ngettext(
            "%(a)s and %(b)s met at %(num)d event but report no working tie.",
            "%(a)s and %(b)s met at %(num)d events but report no working tie.", w, **keep)
            for w in counts},
        "yes": {str(w): ngettext(
            "%(a)s and %(b)s met at %(num)d event and report a working tie.",
            "%(a)s and %(b)s met at %(num)d events and report a working tie.", w, **keep)
            for w in counts},
    }


def _left_out(total: int) -> str | None:
    if total <= LISTED:
        return None
    return " ".join((
        ngettext("Only the %(num)d pair that met most often is listed.",
                 "Only the %(num)d pairs that met most often are listed.", LISTED),
        ngettext("%(num)d more pair is not shown.", "%(num)d more pairs are not shown.",
                 total - LISTED)))
