"""Sector mixing: which sectors work together, and which never meet.

Expected ties follow the configuration model (ties placed at random, keeping every
stakeholder's number of ties): with D_a the summed degree of sector a and m the ties
among stakeholders with a known sector,

    expected[a][b] = D_a * D_b / (2m)   for a != b  (ties between a and b, counted once)
    expected[a][a] = D_a ** 2 / (4m)    (ties inside a)

so the upper triangle (diagonal included) sums to m, exactly like the observed counts.
Stakeholders without a sector are left out of the matrix and of sector-pair gaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def sector_order(sectors: Iterable[str | None], order: Sequence[str] = ()) -> list[str]:
    """Return the sectors present: those of `order` in its order, then any others sorted."""
    present = {s for s in sectors if s}
    return [s for s in order if s in present] + sorted(present - set(order))


def sector_matrix(
    edges: Sequence[tuple[int, int]], sectors: Sequence[str | None], order: Sequence[str] = ()
) -> dict[str, Any]:
    """Return the observed and expected tie counts between every pair of present sectors."""
    names = sector_order(sectors, order)
    pos = {s: i for i, s in enumerate(names)}
    k = len(names)
    observed = [[0] * k for _ in range(k)]
    strength = [0] * k
    for u, v in edges:
        a, b = pos.get(sectors[u]), pos.get(sectors[v])  # type: ignore[arg-type]
        if a is None or b is None:
            continue
        observed[a][b] += 1
        if a != b:
            observed[b][a] += 1
        strength[a] += 1
        strength[b] += 1
    m = sum(strength) / 2
    expected = [
        [_expected(strength[i], strength[j], m, i == j) for j in range(k)] for i in range(k)
    ]
    return {"sectors": names, "observed": observed, "expected": expected}


def _expected(d_a: int, d_b: int, m: float, same: bool) -> float:
    """Return the configuration-model expectation for one cell."""
    if m == 0:
        return 0.0
    return round(d_a * d_b / (4 * m if same else 2 * m), 4)


def missing_sector_pairs(matrix: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the pairs of present sectors with no tie at all, most expected first."""
    names = matrix["sectors"]
    pairs = [
        {"a": names[i], "b": names[j], "expected": matrix["expected"][i][j]}
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if matrix["observed"][i][j] == 0
    ]
    return sorted(pairs, key=lambda p: -p["expected"])
