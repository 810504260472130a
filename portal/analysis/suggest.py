"""Greedy tie suggestions: each one is applied to a working copy before the next is chosen.

Reasons take turns (joins_components, shortens_national_path,
removes_single_point_of_failure, connects_sectors) so a short list covers several kinds of
gap; a reason with nothing left to do is skipped. Partners are the best-connected actors
(most ties, then smallest id) of the part being linked, which is easy to explain.

Each effect is measured from the map as it is now, with that one tie added: a reader acts on
any suggestion alone, so "4 → 3" must not assume the earlier suggestions were followed.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import igraph

from portal.analysis.fast import Net
from portal.analysis.structure import (
    CutStructure,
    PathEnds,
    cut_structure,
    national_path,
    path_ends,
)

REASONS: tuple[str, ...] = (
    "joins_components",
    "shortens_national_path",
    "removes_single_point_of_failure",
    "connects_sectors",
)
# A path through one intermediary is close enough; longer ones are worth shortening.
LONGEST_ACCEPTABLE_PATH = 2

Candidate = tuple[int, int, dict[str, Any]]


@dataclass
class State:
    """What the working graph looks like between two suggestions."""

    membership: list[int]
    sizes: list[int]
    degree: list[int]
    adj: list[list[int]]
    cuts: CutStructure
    path: list[int]
    status: str
    missing: list[tuple[str, str]]
    mapped_cut_points: frozenset[int]
    used: frozenset[int] = frozenset()


def measure(g: igraph.Graph, net: Net, missing: list[tuple[str, str]],
            mapped_cut_points: frozenset[int] | None = None,
            known: tuple[list[list[int]], CutStructure] | None = None,
            adj: list[list[int]] | None = None, ends: PathEnds | None = None) -> State:
    """Measure the working graph; `known` is its adjacency and cut structure if the caller
    has them already (the analysis of today's map does), `adj` its adjacency alone (sorted
    neighbour lists, as igraph's), `ends` the national path's ends."""
    comps = g.connected_components()
    cuts = None
    if known is not None:
        adj, cuts = known
    elif adj is None:
        adj = g.get_adjlist()
    status, path = national_path(adj, net.sectors, net.levels, ends)
    if cuts is None:
        cuts = cut_structure(adj)
    if mapped_cut_points is None:
        mapped_cut_points = frozenset(cuts.cut_off)
    return State(comps.membership, comps.sizes(), g.degree(), adj, cuts, path, status, missing,
                 mapped_cut_points)


def with_tie(adj: list[list[int]], u: int, v: int) -> list[list[int]]:
    """Return a copy of the adjacency lists with the tie u–v added, neighbours kept sorted
    (what igraph's get_adjlist() gives for the graph plus that tie, without asking igraph
    for every actor's neighbours again)."""
    out = adj.copy()
    out[u] = adj[u].copy()
    out[v] = adj[v].copy()
    insort(out[u], v)
    insort(out[v], u)
    return out


def best(vertices: Iterable[int], st: State, net: Net) -> int | None:
    """Return the best-connected vertex: most ties, then smallest id.

    Actors already in an earlier suggestion come last, so the list does not pile every new
    tie onto one hub (which would make it the next single point of failure).
    """
    return min(vertices, key=lambda v: (v in st.used, -st.degree[v], net.ids[v]), default=None)


def _main(st: State) -> int:
    """Return the index of the largest component (ties: the first found)."""
    return max(range(len(st.sizes)), key=lambda c: (st.sizes[c], -c))


def _partner(pool: list[int], u: int, st: State, net: Net) -> int | None:
    """Prefer a partner from a sector u's sector never meets, then any other sector."""
    unmet = {b if a == net.sectors[u] else a for a, b in st.missing if net.sectors[u] in (a, b)}
    for wanted in (lambda s: s in unmet, lambda s: s != net.sectors[u], lambda s: True):
        choice = best((w for w in pool if wanted(net.sectors[w])), st, net)
        if choice is not None:
            return choice
    return None


def joins_components(st: State, net: Net) -> Candidate | None:
    """Link the largest group outside the main component to the main component."""
    if len(st.sizes) < 2:
        return None
    main = _main(st)
    others = [c for c in range(len(st.sizes)) if c != main]
    if not others:
        return None
    members: dict[int, list[int]] = {c: [] for c in [main, *others]}
    for vertex, c in enumerate(st.membership):
        members[c].append(vertex)
    target = min(others, key=lambda c: (-st.sizes[c], net.ids[members[c][0]]))
    u = best(members[target], st, net)
    v = _partner(members[main], u, st, net) if u is not None else None
    return None if u is None or v is None else (u, v, {"component_size": st.sizes[target]})


def shortens_national_path(st: State, net: Net) -> Candidate | None:
    """Link the municipality to the national level, or shorten a long route to it."""
    if st.status == "path" and len(st.path) - 1 > LONGEST_ACCEPTABLE_PATH:
        return st.path[0], st.path[-1], {}
    if st.status != "no_path":
        return None
    main = _main(st)
    municipal = [v for v in range(len(st.adj))
                 if net.sectors[v] == "municipality" and net.levels[v] == "local"]
    u = best([v for v in municipal if st.membership[v] == main] or municipal, st, net)
    v = best((w for w in range(len(st.adj)) if net.levels[w] == "national"), st, net)
    return None if u is None or v is None else (u, v, {})


def removes_single_point_of_failure(st: State, net: Net) -> Candidate | None:
    """Give the actors behind the most critical articulation point a second route.

    Only points of failure already on the map count: one created by an earlier suggestion
    (a newly linked actor hangs on its single new tie) is not worth a suggestion of its own.
    """
    mapped = [v for v in st.cuts.cut_off if v in st.mapped_cut_points]
    if not mapped:
        return None
    ap = min(mapped, key=lambda v: (-st.cuts.cut_off[v], net.ids[v]))
    pieces = _pieces_without(ap, st.adj)
    pieces.sort(key=lambda p: (-len(p), all(v in st.used for v in p), min(net.ids[v] for v in p)))
    u, v = best(pieces[1], st, net), best(pieces[0], st, net)
    extra = {"single_point_of_failure": net.ids[ap], "cut_off_before": st.cuts.cut_off[ap]}
    return None if u is None or v is None else (u, v, extra)


def _pieces_without(ap: int, adj: list[list[int]]) -> list[list[int]]:
    """Return the groups ap's component falls into when ap drops out."""
    seen = {ap}
    pieces = []
    for start in adj[ap]:
        if start in seen:
            continue
        piece = [start]
        seen.add(start)
        for v in piece:
            for w in adj[v]:
                if w not in seen:
                    seen.add(w)
                    piece.append(w)
        pieces.append(piece)
    return pieces


def connects_sectors(st: State, net: Net) -> Candidate | None:
    """Link the best-connected actors of the sector pair most expected to meet."""
    if not st.missing:
        return None
    a, b = st.missing[0]
    u = best((v for v in range(len(st.adj)) if net.sectors[v] == a), st, net)
    v = best((w for w in range(len(st.adj)) if net.sectors[w] == b), st, net)
    return None if u is None or v is None else (u, v, {})


FINDERS: dict[str, Callable[[State, Net], Candidate | None]] = {
    "joins_components": joins_components,
    "shortens_national_path": shortens_national_path,
    "removes_single_point_of_failure": removes_single_point_of_failure,
    "connects_sectors": connects_sectors,
}


def suggest(net: Net, missing_pairs: list[dict[str, Any]], max_suggestions: int = 5,
            known: tuple[list[list[int]], CutStructure] | None = None) -> list[dict]:
    """Return up to max_suggestions new ties, chosen greedily on a working copy.

    `known`: today's adjacency lists and cut structure, when the caller has computed them.
    """
    g = net.g.copy()
    ends = path_ends(net.sectors, net.levels)
    st = measure(g, net, [(p["a"], p["b"]) for p in missing_pairs], known=known, ends=ends)
    now = st
    out: list[dict[str, Any]] = []
    turn = 0
    while len(out) < max_suggestions:
        picked = _next(st, net, g, turn)
        if picked is None:
            break
        reason, (u, v, extra) = picked
        g.add_edge(u, v)
        if st is not now and len(out) + 1 == max_suggestions:
            # The last one: the working copy is not measured again, as nothing follows.
            out.append(_record(reason, (u, v, extra), now, _alone(net, now, u, v, ends), net))
            break
        meets = {net.sectors[u], net.sectors[v]}
        after = measure(g, net, [p for p in st.missing if set(p) != meets], st.mapped_cut_points,
                        adj=with_tie(st.adj, u, v), ends=ends)
        # The first suggestion's working copy is today's map plus that one tie: measured once.
        alone = after if st is now else _alone(net, now, u, v, ends)
        out.append(_record(reason, (u, v, extra), now, alone, net))
        after.used = st.used | {u, v}
        st = after
        turn = REASONS.index(reason) + 1
    return out


def _next(st: State, net: Net, g: igraph.Graph, turn: int) -> tuple[str, Candidate] | None:
    """Return the first reason, from this turn on, that has a valid candidate."""
    for k in range(len(REASONS)):
        reason = REASONS[(turn + k) % len(REASONS)]
        found = FINDERS[reason](st, net)
        # Never an existing tie, never a self-tie.
        if found is not None and found[0] != found[1] and not g.are_adjacent(*found[:2]):
            return reason, found
    return None


def _alone(net: Net, now: State, u: int, v: int, ends: PathEnds | None = None) -> State:
    """Measure today's map with only the tie u–v added."""
    g = net.g.copy()
    g.add_edge(u, v)
    meets = {net.sectors[u], net.sectors[v]}
    return measure(g, net, [p for p in now.missing if set(p) != meets], now.mapped_cut_points,
                   adj=with_tie(now.adj, u, v), ends=ends)


def _record(reason: str, found: Candidate, st: State, after: State, net: Net) -> dict:
    """Describe one suggestion with its effect on the current map (st: now, after: plus it)."""
    u, v, extra = found
    effect: dict[str, Any] = {
        "sectors": [net.sectors[u], net.sectors[v]],
        "components_before": len(st.sizes),
        "components_after": len(after.sizes),
        "single_points_of_failure_before": len(st.cuts.cut_off),
        "single_points_of_failure_after": len(after.cuts.cut_off),
        "missing_sector_pairs_before": len(st.missing),
        "missing_sector_pairs_after": len(after.missing),
        "national_path_length_before": len(st.path) - 1 if st.path else None,
        "national_path_length_after": len(after.path) - 1 if after.path else None,
        **extra,
    }
    if "single_point_of_failure" in extra:
        ap = net.ids.index(extra["single_point_of_failure"])
        effect["cut_off_before"] = st.cuts.cut_off.get(ap, extra["cut_off_before"])
        effect["cut_off_after"] = after.cuts.cut_off.get(ap, 0)
    return {"source": net.ids[u], "target": net.ids[v], "reason": reason, "effect": effect}
