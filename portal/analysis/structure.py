"""Single points of failure and the path to the national level, on adjacency lists."""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from dataclasses import dataclass, field

MUNICIPAL_SECTOR = "municipality"


@dataclass
class CutStructure:
    """Articulation points (with how many actors each would cut off) and bridges."""

    cut_off: dict[int, int] = field(default_factory=dict)
    bridges: list[tuple[int, int]] = field(default_factory=list)


def _dfs(root: int, adj: list[list[int]], st: list[list[int]], clock: int,
         pieces: dict[int, list[int]], bridges: list[tuple[int, int]]) -> int:
    """Run one iterative DFS from root; return the advanced clock."""
    disc, low, size = st
    disc[root] = low[root] = clock
    clock += 1
    stack = [(root, -1, iter(adj[root]))]
    while stack:
        v, parent, it = stack[-1]
        for w in it:
            if disc[w] < 0:
                disc[w] = low[w] = clock
                clock += 1
                stack.append((w, v, iter(adj[w])))
                break
            if w != parent and disc[w] < low[v]:
                low[v] = disc[w]
        else:
            stack.pop()
            if parent < 0:
                continue
            # Propagate the finished v to its parent (Tarjan's low-link rule), inline: this
            # runs once per actor, for the analysis and for every suggestion measured.
            size[parent] += size[v]
            low_v, disc_parent = low[v], disc[parent]
            if low_v < low[parent]:
                low[parent] = low_v
            if low_v >= disc_parent:
                pieces.setdefault(parent, []).append(size[v])
                if low_v > disc_parent:
                    bridges.append((parent, v) if parent < v else (v, parent))
    return clock


def cut_structure(adj: list[list[int]]) -> CutStructure:
    """Find articulation points and bridges of a simple undirected graph.

    cut_off[v] counts the actors that lose their route to the largest remaining part
    of v's component when v drops out.
    """
    n = len(adj)
    st = [[-1] * n, [0] * n, [1] * n]
    pieces: dict[int, list[int]] = {}
    result = CutStructure()
    starts: list[int] = []
    sizes: list[int] = []
    clock = 0
    for root in range(n):
        if st[0][root] >= 0:
            continue
        starts.append(clock)
        clock = _dfs(root, adj, st, clock, pieces, result.bridges)
        sizes.append(st[2][root])
        root_pieces = pieces.pop(root, [])
        if len(root_pieces) >= 2:
            result.cut_off[root] = sizes[-1] - 1 - max(root_pieces)
    for v, parts in pieces.items():
        # Discovery times of one DFS tree are contiguous, so they locate v's component.
        whole = sizes[bisect_right(starts, st[0][v]) - 1]
        rest = whole - 1 - sum(parts)
        result.cut_off[v] = whole - 1 - max(max(parts), rest)
    result.bridges.sort()
    result.cut_off = dict(sorted(result.cut_off.items()))
    return result


PathEnds = tuple[list[int], set[int]]


def path_ends(sectors: list[str | None], levels: list[str]) -> PathEnds:
    """Return the national path's sources (local municipal actors) and targets (national)."""
    sources = [v for v, (sector, level) in enumerate(zip(sectors, levels, strict=True))
               if sector == MUNICIPAL_SECTOR and level == "local"]
    return sources, {v for v, level in enumerate(levels) if level == "national"}


def national_path(adj: list[list[int]], sectors: list[str | None], levels: list[str],
                  ends: PathEnds | None = None) -> tuple[str, list[int]]:
    """Return (status, path): the shortest route from a local municipal actor to national level.

    `ends`: path_ends(sectors, levels), when the caller measures the same actors many times.
    """
    sources, targets = ends if ends is not None else path_ends(sectors, levels)
    if not sources:
        return "no_municipal", []
    if not targets:
        return "no_national", []
    parent = dict.fromkeys(sources, -1)
    queue = deque(sources)
    while queue:
        v = queue.popleft()
        if v in targets:
            path = [v]
            while parent[path[-1]] >= 0:
                path.append(parent[path[-1]])
            return "path", path[::-1]
        for w in adj[v]:
            if w not in parent:
                parent[w] = v
                queue.append(w)
    return "no_path", []
