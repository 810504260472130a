"""Deterministic, scalable layout: each component laid out alone, then packed on shelves.

Components with ties get igraph's Fruchterman-Reingold (with its grid approximation above
GRID_ABOVE actors) from a seeded start; each is scaled to a box whose side grows with the square
root of its size, boxes are packed largest first in rows, and actors not yet connected sit in
a tidy grid below. Coordinates are scaled uniformly into [0, 1] and rounded to 4 decimals.
"""

from __future__ import annotations

import math

import igraph
import networkx as nx
import numpy as np

from portal.analysis.fast import Net, seeded, to_net

GAP = 1.0  # space between boxes, in the unit of one not-yet-connected actor
# Measured on a 2,000-actor city: 300 iterations give the same edge-length/pair-distance ratio
# as igraph's default 500 in 60% of the time; the grid keeps mid-sized groups near-linear.
ITERATIONS = 300
GRID_ABOVE = 300


def layout(G: nx.Graph, seed: int = 42) -> dict[int, tuple[float, float]]:
    """Return {id: (x, y)} in [0, 1] for every stakeholder of G."""
    net = to_net(G)
    return dict(zip(net.ids, layout_net(net, seed), strict=True))


def layout_net(net: Net, seed: int = 42) -> list[tuple[float, float]]:
    """Return the position of every vertex, in vertex order."""
    g = net.g
    comps = sorted(g.connected_components(), key=lambda c: (-len(c), min(c)))
    groups = [list(c) for c in comps if len(c) > 1]
    singles = sorted(c[0] for c in comps if len(c) == 1)
    rng = np.random.default_rng(seed)
    pos = np.zeros((g.vcount(), 2))
    with seeded(seed):
        boxes = [_component_box(g, members, rng) for members in groups]
    width = _row_width([(float(w), float(h)) for w, h in (b.max(axis=0) for b in boxes)],
                       len(singles))
    y = _pack(groups, boxes, width, pos)
    _grid(singles, width, y, pos)
    return _normalise(pos)


def _component_box(g: igraph.Graph, members: list[int], rng: np.random.Generator) -> np.ndarray:
    """Lay out one component and scale it to a box of side ~sqrt(size), origin at 0."""
    k = len(members)
    if k == 2:
        coords = np.array([[0.0, 0.0], [1.0, 0.0]])
    else:
        sub = g.induced_subgraph(members)
        # Spread the start like igraph does: a cramped start defeats the grid speed-up.
        half = math.sqrt(k) / 2
        start = rng.uniform(-half, half, size=(k, 2)).tolist()
        fr = sub.layout_fruchterman_reingold(seed=start, niter=ITERATIONS, grid=k > GRID_ABOVE)
        coords = np.asarray(fr.coords)
    coords = coords - coords.min(axis=0)
    span = coords.max()
    side = math.sqrt(k)
    return coords * (side / span) if span > 0 else coords


def _row_width(extents: list[tuple[float, float]], singles: int) -> float:
    """Return a shelf width that makes the picture roughly square."""
    area = singles * GAP * GAP + sum((w + GAP) * (h + GAP) for w, h in extents)
    widest = max((w for w, _ in extents), default=0.0)
    return max(math.sqrt(area), widest + GAP, GAP)


def _pack(groups: list[list[int]], boxes: list[np.ndarray], width: float, pos: np.ndarray) -> float:
    """Place component boxes on shelves, largest first; return the height used."""
    x = y = shelf = 0.0
    for members, box in zip(groups, boxes, strict=True):
        w, h = box.max(axis=0)
        if x > 0 and x + w > width:
            x, y, shelf = 0.0, y + shelf + GAP, 0.0
        pos[members] = box + (x, y)
        x += w + GAP
        shelf = max(shelf, h)
    return y + shelf + GAP if groups else 0.0


def _grid(singles: list[int], width: float, top: float, pos: np.ndarray) -> None:
    """Place actors not yet connected in rows below the components, in id order."""
    per_row = max(1, int(width // GAP))
    for i, v in enumerate(singles):
        pos[v] = ((i % per_row) * GAP, top + (i // per_row) * GAP)


def _normalise(pos: np.ndarray) -> list[tuple[float, float]]:
    """Scale uniformly into [0, 1] and round to 4 decimals."""
    if len(pos) == 0:
        return []
    pos = pos - pos.min(axis=0)
    span = pos.max()
    if span == 0:
        return [(0.5, 0.5)] * len(pos)
    pos = np.clip(np.round(pos / span, 4), 0.0, 1.0)
    return [(x, y) for x, y in pos.tolist()]  # Python floats, as float() of each would give
