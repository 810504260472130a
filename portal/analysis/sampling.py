"""Betweenness and closeness estimated from sampled pivots, for networks too big for exact.

Brandes and Pich's pivot estimate: shortest paths are counted from k source actors ("pivots")
drawn with a fixed seed instead of from all n, and each actor's betweenness is scaled by
component size / pivots in that component. Closeness follows Eppstein and Wang: the mean
distance from the pivots stands for the mean distance to everyone. Components of up to
SMALL_COMPONENT actors are cheap and stay exact. The pivots are dealt into BATCHES groups; the
spread of the groups' estimates gives each value's standard error, and the largest standard
error (in the same normalised unit as the betweenness) is what the page and the API state.
Closeness uses the pivots of the first CLOSENESS_BATCHES groups.

Both numbers come out normalised exactly as fast.betweenness and fast.closeness (NetworkX's
conventions), so the rest of the analysis does not know which way they were computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import igraph
import numpy as np

SMALL_COMPONENT = 500
BATCHES = 10
# Closeness (a mean distance) settles with far fewer pivots than betweenness: the distances
# are taken from the first CLOSENESS_BATCHES groups only, which saves most of their cost.
CLOSENESS_BATCHES = 3
MIN_PIVOTS_PER_COMPONENT = 2 * BATCHES


@dataclass
class Estimate:
    """Sampled betweenness and closeness, in vertex order, with what was sampled."""

    betweenness: list[float]
    closeness: list[float]
    pivots: int
    standard_error: float  # the largest over all actors, normalised betweenness

    def describe(self, size: int) -> dict[str, Any]:
        """Return how the centralities were computed, for the analysis summary.

        No component was large enough to sample: every value is exact, and said so.
        """
        if self.pivots == 0:
            return exact_description(size)
        return {"method": "sampled", "pivots": self.pivots, "actors": size,
                "standard_error": round(self.standard_error, 6)}


def exact_description(size: int) -> dict[str, Any]:
    """Return the summary entry of centralities computed exactly."""
    return {"method": "exact", "pivots": None, "actors": size, "standard_error": 0.0}


def _pivots(comps: igraph.VertexClustering, pivots: int, n: int,
            rng: np.random.Generator) -> tuple[list[list[int]], dict[int, int], list[int]]:
    """Deal the pivots of every large component into BATCHES groups.

    Return the groups, each large component's pivot count (by component number), and the
    vertices of the small components (computed exactly).
    """
    groups: list[list[int]] = [[] for _ in range(BATCHES)]
    counts: dict[int, int] = {}
    small: list[int] = []
    for c, members in enumerate(comps):
        if len(members) <= SMALL_COMPONENT:
            small.extend(members)
            continue
        k = min(len(members), max(MIN_PIVOTS_PER_COMPONENT, math.ceil(pivots * len(members) / n)))
        chosen = np.sort(rng.choice(np.asarray(members), size=k, replace=False))
        for i, v in enumerate(chosen.tolist()):
            groups[i % BATCHES].append(v)
        counts[c] = k
    return groups, counts, small


def _standard_error(batch_sums: np.ndarray, batch_pivots: np.ndarray, size: float,
                    pivots: int) -> float:
    """Return the largest standard error of one component's betweenness (unnormalised).

    Each batch's sum, scaled by size / its pivots, is an estimate of its own; their spread
    over the square root of their number is the standard error of the combined estimate.
    Every actor a pivot: the values are exact.
    """
    if pivots >= size:
        return 0.0
    used = batch_pivots > 0
    if used.sum() < 2:
        return float("inf")
    estimates = batch_sums[used] * (size / batch_pivots[used][:, None])
    spread = estimates.std(axis=0, ddof=1) / math.sqrt(int(used.sum()))
    return float(spread.max(initial=0.0))


def estimate(g: igraph.Graph, pivots: int, seed: int) -> Estimate:
    """Return sampled betweenness and closeness of every vertex of g (undirected, unweighted)."""
    n = g.vcount()
    comps = g.connected_components()
    member = np.asarray(comps.membership, dtype=np.int64)
    sizes = np.asarray(comps.sizes(), dtype=float)[member]
    groups, counts, small = _pivots(comps, pivots, n, np.random.default_rng(seed))
    everyone = all(k == comps.size(c) for c, k in counts.items())  # then exact throughout
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0  # as fast.betweenness
    between = np.zeros(n)
    close = np.zeros(n)
    if small:
        between[small] = np.asarray(g.betweenness(small, directed=False, sources=small))
        raw = np.nan_to_num(np.asarray(g.closeness(small, mode="all", normalized=True),
                                       dtype=float))
        close[small] = raw
    per_batch = np.zeros((BATCHES, n))
    dist_sum = np.zeros(n)
    dist_count = np.zeros(n)
    per_comp_batch = np.zeros((BATCHES, len(comps)))
    for b, sources in enumerate(groups):
        if not sources:
            continue
        per_batch[b] = g.betweenness(directed=False, sources=sources)
        for v in sources:
            per_comp_batch[b, member[v]] += 1
        if b >= CLOSENESS_BATCHES and not everyone:
            continue
        d = np.asarray(g.distances(source=sources, mode="all"), dtype=float)
        d[~np.isfinite(d)] = 0.0
        dist_sum += d.sum(axis=0)
        dist_count += (d > 0).sum(axis=0)
    error = 0.0
    for c, k in counts.items():
        mask = member == c
        r = float(comps.size(c))
        between[mask] = per_batch[:, mask].sum(axis=0) * (r / k)
        error = max(error, _standard_error(per_batch[:, mask], per_comp_batch[:, c], r, k)
                    * scale)
        mean = np.divide(dist_sum[mask], dist_count[mask],
                         out=np.zeros(int(mask.sum())), where=dist_count[mask] > 0)
        close[mask] = np.divide(1.0, mean, out=np.zeros_like(mean), where=mean > 0)
    wf = np.where(sizes > 1, (sizes - 1) / max(n - 1, 1), 0.0)  # as fast.closeness
    total = sum(counts.values())
    return Estimate(
        betweenness=(between * scale).tolist(),
        closeness=(close * wf).tolist(),
        pivots=total,
        standard_error=error,
    )
