"""Exact distance sums from every actor, for closeness: all breadth-first searches at once.

Closeness needs, per actor, the sum of its shortest-path lengths (ties counted, unweighted).
Instead of one search per actor, the searches of up to CHUNK sources advance together as bit
sets (one bit per source, 64 to a machine word): one step ORs the frontier bits of every
actor's neighbours in a few vectorised numpy operations, and the bits newly set at step d count
the sources at distance d. The graph is undirected, so the sources at distance d from v are
the actors v reaches at distance d: the sums are exact integers, the same as igraph's.
"""

from __future__ import annotations

import igraph
import numpy as np

CHUNK = 2048  # sources searched together (a multiple of 64); bounds memory for big regions


def distance_sums(g: igraph.Graph) -> tuple[np.ndarray, np.ndarray]:
    """Return, per vertex, (sum of distances to the vertices it reaches, how many it reaches,
    itself included), as int64 arrays."""
    n = g.vcount()
    sums = np.zeros(n, dtype=np.int64)
    reached = np.ones(n, dtype=np.int64)
    if n == 0 or g.ecount() == 0:
        return sums, reached
    edges = np.asarray(g.get_edgelist(), dtype=np.int64)
    heads = np.concatenate([edges[:, 0], edges[:, 1]])
    tails = np.concatenate([edges[:, 1], edges[:, 0]])
    order = np.argsort(heads, kind="stable")
    neighbours = tails[order]  # CSR: the neighbours of v are neighbours[starts[v]:ends[v]]
    degree = np.bincount(heads, minlength=n)
    tied = np.flatnonzero(degree > 0)
    starts = (np.cumsum(degree) - degree)[tied]
    for first in range(0, n, CHUNK):
        _advance(neighbours, tied, starts, n, first, min(CHUNK, n - first), sums, reached)
    return sums, reached


def _advance(neighbours: np.ndarray, tied: np.ndarray, starts: np.ndarray, n: int, first: int,
             count: int, sums: np.ndarray, reached: np.ndarray) -> None:
    """Run the searches from sources first … first+count-1, adding into sums and reached."""
    words = (count + 63) // 64
    bit = np.arange(count)
    frontier = np.zeros((n, words), dtype=np.uint64)
    frontier[first + bit, bit // 64] = np.left_shift(np.uint64(1), (bit % 64).astype(np.uint64))
    visited = frontier.copy()
    step = 0
    while True:
        step += 1
        found = np.zeros_like(frontier)
        found[tied] = np.bitwise_or.reduceat(frontier[neighbours], starts, axis=0)
        found &= ~visited
        new = np.bitwise_count(found).sum(axis=1, dtype=np.int64)
        if not new.any():
            return
        visited |= found
        sums += step * new
        reached += new
        frontier = found
