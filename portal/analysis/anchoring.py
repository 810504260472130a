"""A layout that keeps every actor of the previous round where it was.

Across mapping rounds a reader compares two pictures; if the layout is recomputed from
scratch the same actor jumps around and the comparison is lost. So an actor already placed
in the previous round keeps that position exactly (except an actor that was not yet connected
then and has partners now: its place in the waiting grid meant nothing, so it moves next to
them, like a newcomer); an actor new in this round is placed
next to its partners already on the map (their centre, nudged along a golden-angle spiral so
two newcomers never coincide), and one with no placed partner in a free cell of a grid over
the unit square, scanning from the bottom row up (rows are added below if the square is full).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Collection, Mapping

from portal.analysis.fast import Net
from portal.analysis.layout import layout_net

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
NUDGE = 0.035  # how far a newcomer sits from its partners' centre, in map units


def anchored_layout(net: Net, seed: int = 42,
                    previous: Mapping[int, tuple[float, float]] | None = None,
                    unconnected_before: Collection[int] = ()) -> list[tuple[float, float]]:
    """Return positions in vertex order, keeping the positions of `previous` (id → (x, y)).

    `unconnected_before` names the ids that had no tie in the previous round.
    """
    if not previous:
        return layout_net(net, seed)
    adj = net.g.get_adjlist()
    kept = {v: previous[sid] for v, sid in enumerate(net.ids)
            if previous and sid in previous and not (sid in unconnected_before and adj[v])}
    if not kept:
        return layout_net(net, seed)
    pos: dict[int, tuple[float, float]] = dict(kept)
    _place_near_partners(adj, pos)
    _place_in_free_cells([v for v in range(len(adj)) if v not in pos], pos)
    return [(round(pos[v][0], 4), round(pos[v][1], 4)) for v in range(len(adj))]


def _place_near_partners(adj: list[list[int]], pos: dict[int, tuple[float, float]]) -> None:
    """Place newcomers reachable from placed actors, nearest first (breadth first, by id)."""
    queue = deque(sorted({w for v in pos for w in adj[v] if w not in pos}))
    k = 0
    while queue:
        v = queue.popleft()
        if v in pos:
            continue
        placed = [pos[w] for w in adj[v] if w in pos]
        cx = sum(x for x, _ in placed) / len(placed)
        cy = sum(y for _, y in placed) / len(placed)
        k += 1
        angle = k * GOLDEN_ANGLE
        pos[v] = (_clamp(cx + NUDGE * math.cos(angle)), max(0.0, cy + NUDGE * math.sin(angle)))
        queue.extend(sorted(w for w in adj[v] if w not in pos))


def _place_in_free_cells(todo: list[int], pos: dict[int, tuple[float, float]]) -> None:
    """Place the remaining newcomers in empty grid cells, bottom row first, in vertex order."""
    if not todo:
        return
    side = max(4, math.ceil(math.sqrt(len(pos) + len(todo)) * 1.5))
    step = 1.0 / side
    taken = {(min(int(x / step), side - 1), min(int(y / step), side - 1) if y <= 1 else
              int(y / step)) for x, y in pos.values()}
    bottom = max((cell[1] for cell in taken), default=0)
    cells = [(i, j) for j in range(bottom, -1, -1) for i in range(side) if (i, j) not in taken]
    extra = bottom + 1
    while len(cells) < len(todo):  # the square is full: open rows below it
        cells.extend((i, extra) for i in range(side))
        extra += 1
    for v, (i, j) in zip(todo, cells, strict=False):
        pos[v] = ((i + 0.5) * step, (j + 0.5) * step)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
