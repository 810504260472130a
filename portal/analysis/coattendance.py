"""Attendance as a two-mode network (stakeholders × events) and its one-mode projection.

PURE: receives (event, stakeholder) pairs, returns plain data. Checked against NetworkX's
`bipartite.weighted_projected_graph` on Davis's Southern Women (tests/unit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from itertools import combinations
from typing import TypeVar

E = TypeVar("E", bound=Hashable)
S = TypeVar("S", bound=Hashable)


def by_event(pairs: Iterable[tuple[E, S]]) -> dict[E, set[S]]:
    """Return each event's attendees (duplicates counted once)."""
    out: dict[E, set[S]] = defaultdict(set)
    for event, who in pairs:
        out[event].add(who)
    return dict(out)


def attendance_counts(pairs: Iterable[tuple[E, S]]) -> dict[S, int]:
    """Return how many distinct events each stakeholder attended."""
    counts: dict[S, int] = defaultdict(int)
    for who in (w for members in by_event(pairs).values() for w in members):
        counts[who] += 1
    return dict(counts)


def project(pairs: Iterable[tuple[E, S]]) -> dict[tuple[S, S], int]:
    """Return the co-attendance ties: (a, b) with a < b → the number of events both attended.

    Stakeholder keys must be orderable (ids); pairs that never met are absent.
    """
    weights: dict[tuple[S, S], int] = defaultdict(int)
    for members in by_event(pairs).values():
        for a, b in combinations(sorted(members), 2):  # type: ignore[type-var]
            weights[(a, b)] += 1
    return dict(weights)
