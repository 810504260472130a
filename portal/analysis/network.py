"""analyse(): the whole coordination-gap report for one network, as plain JSON-ready data."""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import networkx as nx

from portal.analysis.anchoring import anchored_layout
from portal.analysis.fast import Net, to_net
from portal.analysis.gaps import network_gaps, stakeholder_gaps
from portal.analysis.graph import Record, build_graph
from portal.analysis.metrics import node_flags, node_metrics, sector_neighbours, summarise
from portal.analysis.sampling import Estimate, estimate, exact_description
from portal.analysis.structure import CutStructure, cut_structure
from portal.analysis.suggest import suggest

DEFAULT_PIVOTS = 3000  # sampled actors above the exact limit (as ANALYSIS_PIVOTS)


def analyse(
    stakeholders: Iterable[Record],
    ties: Iterable[Record],
    *,
    sector_order: Sequence[str] = (),
    max_suggestions: int = 5,
    seed: int = 42,
    previous_positions: Mapping[int, tuple[float, float]] | None = None,
    unconnected_before: Collection[int] = (),
    exact_up_to: int | None = None,
    pivots: int = DEFAULT_PIVOTS,
) -> dict[str, Any]:
    """Return nodes (metrics, flags, position), summary, gaps, suggestions and edges.

    `sector_order` is the caller's vocabulary of sectors: the sector matrix lists the sectors
    present in that order, any others after them by name. `previous_positions` (id → (x, y),
    e.g. the previous round's layout) keeps those actors where they were, except those of
    `unconnected_before` (no tie then) that have a partner now. Above `exact_up_to` actors
    (None: never), betweenness and closeness are estimated from `pivots` sampled actors with
    the seed; summary["centrality"] says which, and the estimate's standard error.
    """
    with no_collection_pauses():
        return analyse_graph(build_graph(stakeholders, ties), sector_order=sector_order,
                             max_suggestions=max_suggestions, seed=seed,
                             previous_positions=previous_positions,
                             unconnected_before=unconnected_before,
                             exact_up_to=exact_up_to, pivots=pivots)


@contextmanager
def no_collection_pauses() -> Iterator[None]:
    """Hold Python's cyclic garbage collector off while a report is built.

    The report allocates a few objects per actor and tie, none of them in reference cycles;
    each allocation burst would trigger collections that walk the whole heap (7% of a
    2,000-actor city's analysis). The collector is switched back on afterwards (unless it was
    off already), and its next run collects as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def analyse_graph(G: nx.Graph, *, sector_order: Sequence[str] = (), max_suggestions: int = 5,
                  seed: int = 42,
                  previous_positions: Mapping[int, tuple[float, float]] | None = None,
                  unconnected_before: Collection[int] = (),
                  exact_up_to: int | None = None,
                  pivots: int = DEFAULT_PIVOTS) -> dict[str, Any]:
    """Return the report for a graph made by build_graph()."""
    with no_collection_pauses():
        return _report(G, sector_order, max_suggestions, seed, previous_positions,
                       unconnected_before, exact_up_to, pivots)


def _report(G: nx.Graph, sector_order: Sequence[str], max_suggestions: int, seed: int,
            previous_positions: Mapping[int, tuple[float, float]] | None,
            unconnected_before: Collection[int], exact_up_to: int | None,
            pivots: int) -> dict[str, Any]:
    net = to_net(G)
    adj = net.g.get_adjlist()
    cuts = cut_structure(adj)
    positions = anchored_layout(net, seed, previous_positions, unconnected_before)
    size = net.g.vcount()
    sampled = (estimate(net.g, pivots, seed)
               if exact_up_to is not None and size > exact_up_to else None)
    nodes = _nodes(G, net, adj, cuts, seed, positions, sampled)
    summary = summarise(G, net, adj, cuts, sector_order)
    summary["centrality"] = sampled.describe(size) if sampled else exact_description(size)
    gaps: list[dict[str, Any]] = []
    for v, node in enumerate(nodes):
        partner = net.ids[adj[v][0]] if len(adj[v]) == 1 else None
        gaps.extend(stakeholder_gaps(node, cuts.cut_off.get(v), partner))
    gaps.extend(network_gaps(summary))
    return {
        "nodes": nodes,
        "edges": _edges(G),
        "summary": summary,
        "gaps": gaps,
        "suggestions": suggest(net, summary["missing_sector_pairs"], max_suggestions,
                               known=(adj, cuts)),
    }


def _nodes(
    G: nx.Graph, net: Net, adj: list[list[int]], cuts: CutStructure, seed: int,
    positions: list[tuple[float, float]], sampled: Estimate | None = None,
) -> list[dict[str, Any]]:
    """Return one record per stakeholder, in id order."""
    mix = sector_neighbours(adj, net.sectors)
    metrics = node_metrics(net, mix, cuts, seed, sampled)
    out = []
    for v, sid in enumerate(net.ids):
        attrs = G.nodes[sid]
        out.append({
            "id": sid,
            "name": attrs.get("name", ""),
            "sector": attrs.get("sector"),
            "level": attrs.get("level"),
            "metrics": metrics[v],
            "flags": node_flags(metrics[v], mix[v][1]),
            "x": positions[v][0],
            "y": positions[v][1],
        })
    return out


def _edges(G: nx.Graph) -> list[dict[str, Any]]:
    """Return the ties of the simple graph, one per pair, smaller id first."""
    pairs = sorted((u, v, d) if u < v else (v, u, d) for u, v, d in G.edges(data=True))
    return [{"source": u, "target": v, "weight": d["weight"], "kinds": d["kinds"]}
            for u, v, d in pairs]
