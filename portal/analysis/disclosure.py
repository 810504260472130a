"""Statistical disclosure control for published counts: threshold, complements, rounding."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np

K_DEFAULT = 10
K_MIN = 5
ROUND_BASE = 5

# Rules (the same function feeds pages, CSV/XLSX exports and the JSON API):
# 1. A count 0 < v < k is suppressed ("primary"); so is a total 0 < t < k.
# 2. A zero is published -- except inside a line (distribution, row, column) whose total
#    is 0 < t < k: there every cell, zeros included, is suppressed ("primary"), because
#    "0" beside the one hidden cell of a small group says that everybody in it gave
#    that one answer.
# 3. Each total is an equation: total = sum(members). Treating every suppressed or
#    rounded value as unknown, no suppressed value may be determined by the system of
#    equations (row, column and margin equations combined: a null-space test, not only
#    "one unknown per line"). While one is, the next smallest published entry of its
#    equation with the fewest unknowns becomes a complement: a non-zero cell first
#    (suppressed, "secondary"), else a total (published rounded to base 5, nearest,
#    halves up; the rounded total is unknown to the exact test), else a zero cell.
# 4. Totals are never shown below k; a rounded total is >= 5 because k >= 5.
# "reason" tells primary from secondary for audit; public surfaces may drop it with
# strip_reasons(), since "secondary" says that a hidden value is 0 or at least k.


def check_k(k: int) -> int:
    """Return k if it is an allowed disclosure threshold, else raise ValueError."""
    if isinstance(k, bool) or not isinstance(k, int) or k < K_MIN:
        raise ValueError(f"disclosure threshold k must be an integer >= {K_MIN}, got {k!r}")
    return k


def publishable(n: int, k: int = K_DEFAULT, parent_n: int | None = None) -> bool:
    """Tell whether a statistic of a group of n may be shown (n >= k, complement 0 or >= k)."""
    check_k(k)
    if n < k:
        return False
    # A filtered group and its parent differ by a group that must be >= k as well, or
    # the two published statistics give away the statistic of the excluded few.
    return parent_n is None or parent_n - n == 0 or parent_n - n >= k


def round_to_base(value: int, base: int = ROUND_BASE) -> int:
    """Round a count to the nearest multiple of base, halves up."""
    return base * ((value + base // 2) // base)


def filtered_total(
    n: int, k: int = K_DEFAULT, parent_n: int | None = None
) -> dict[str, Any]:
    """Return a filtered view's total: suppressed below k, rounded if its complement is small."""
    check_k(k)
    if 0 < n < k:
        return {"value": None, "rounded": False, "suppressed": True}
    if parent_n is not None and 0 < parent_n - n < k:
        return {"value": round_to_base(n), "rounded": True, "suppressed": False}
    return {"value": n, "rounded": False, "suppressed": False}


def suppress_counts(
    counts: Mapping[str, int], k: int = K_DEFAULT, total: int | None = None
) -> dict[str, Any]:
    """Protect a 1-D distribution whose total (sum, or the given larger n) is published."""
    keys = list(counts)
    grand = sum(counts.values()) if total is None else total
    if grand < sum(counts.values()):
        raise ValueError("total is smaller than the sum of the counts")
    # A given total larger than the sum holds a remainder (e.g. missing answers) that is
    # assumed to be known elsewhere, so it adds a constant, not an unknown, to the equation.
    values: dict[Hashable, int] = {("cell", key): counts[key] for key in keys}
    values[("total",)] = grand
    status = protect(values, [(("total",), [("cell", key) for key in keys])], k)
    return {
        "k": k,
        "cells": {key: _cell(counts[key], status[("cell", key)]) for key in keys},
        "total": _total(grand, status[("total",)]),
    }


def suppress_table(
    rows: Sequence[str],
    cols: Sequence[str],
    counts: Mapping[tuple[str, str], int],
    k: int = K_DEFAULT,
) -> dict[str, Any]:
    """Protect a 2-D table published with row totals, column totals and a grand total."""
    values: dict[Hashable, int] = {}
    for r in rows:
        for c in cols:
            values[("cell", r, c)] = counts.get((r, c), 0)
    for r in rows:
        values[("row", r)] = sum(values[("cell", r, c)] for c in cols)
    for c in cols:
        values[("col", c)] = sum(values[("cell", r, c)] for r in rows)
    values[("total",)] = sum(values[("row", r)] for r in rows)
    sums: list[tuple[Hashable, list[Hashable]]] = []
    sums += [(("row", r), [("cell", r, c) for c in cols]) for r in rows]
    sums += [(("col", c), [("cell", r, c) for r in rows]) for c in cols]
    sums.append((("total",), [("row", r) for r in rows]))
    sums.append((("total",), [("col", c) for c in cols]))
    st = protect(values, sums, k)
    return {
        "k": k,
        "rows": list(rows),
        "cols": list(cols),
        "cells": [[_cell(values[("cell", r, c)], st[("cell", r, c)]) for c in cols] for r in rows],
        "row_totals": [_total(values[("row", r)], st[("row", r)]) for r in rows],
        "col_totals": [_total(values[("col", c)], st[("col", c)]) for c in cols],
        "total": _total(values[("total",)], st[("total",)]),
    }


def suppress_linked(
    values: Mapping[str, int], sums: Sequence[tuple[str, Sequence[str]]], k: int = K_DEFAULT
) -> dict[str, dict[str, Any]]:
    """Protect named counts tied by published sums (total, members), e.g. nested groups."""
    totals = {t for t, _ in sums}
    for t, members in sums:
        if values[t] != sum(values[m] for m in members):
            raise ValueError(f"{t!r} is not the sum of its members")
    st = protect(dict(values.items()), [(t, list(ms)) for t, ms in sums], k)
    return {
        key: (_total if key in totals else _cell)(values[key], st[key]) for key in values
    }


def strip_reasons(result: Any) -> Any:
    """Return a copy of a result with every cell's reason set to None, for public surfaces."""
    if isinstance(result, dict):
        out = {key: strip_reasons(val) for key, val in result.items()}
        if "reason" in out:
            out["reason"] = None
        return out
    if isinstance(result, list):
        return [strip_reasons(item) for item in result]
    return result


def _cell(value: int, status: str) -> dict[str, Any]:
    """Render one cell as plain JSON-able data."""
    if status in ("primary", "secondary"):
        return {"value": None, "suppressed": True, "reason": status}
    return {"value": value, "suppressed": False, "reason": None}


def _total(value: int, status: str) -> dict[str, Any]:
    """Render one total as plain JSON-able data."""
    if status in ("primary", "secondary"):
        return {"value": None, "rounded": False, "suppressed": True}
    if status == "rounded":
        return {"value": round_to_base(value), "rounded": True, "suppressed": False}
    return {"value": value, "rounded": False, "suppressed": False}


def protect(
    values: dict[Hashable, int],
    sums: list[tuple[Hashable, list[Hashable]]],
    k: int,
) -> dict[Hashable, str]:
    """Return each key's status: published, primary, secondary or rounded."""
    check_k(k)
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in values.values()):
        raise ValueError("counts must be non-negative integers")
    status = {key: "primary" if 0 < v < k else "published" for key, v in values.items()}
    for total, members in sums:
        if 0 < values[total] < k:
            for member in members:
                status[member] = "primary"
    totals = {t for t, _ in sums}
    order = {key: i for i, key in enumerate(values)}
    while True:
        unknown = [key for key in values if status[key] != "published"]
        exposed = [
            key
            for key in _determined(unknown, sums)
            if status[key] in ("primary", "secondary")
        ]
        if not exposed:
            return status
        target = min(exposed, key=lambda key: (key in totals, order[key]))
        extra = _complement(target, values, sums, status, totals, order)
        if extra in totals and values[extra] > 0:
            status[extra] = "rounded"
        else:
            status[extra] = "secondary"


def _complement(
    target: Hashable,
    values: Mapping[Hashable, int],
    sums: list[tuple[Hashable, list[Hashable]]],
    status: Mapping[Hashable, str],
    totals: set[Hashable],
    order: Mapping[Hashable, int],
) -> Hashable:
    """Pick the entry to hide next so that target stops being determined."""

    def rank(key: Hashable) -> tuple[bool, bool, int, int]:
        return (values[key] == 0, key in totals, values[key], order[key])

    lines = [[t, *ms] for t, ms in sums if target == t or target in ms]
    lines.sort(key=lambda line: sum(status[key] != "published" for key in line))
    for line in lines:
        shown = [key for key in line if status[key] == "published"]
        if shown:
            return min(shown, key=rank)
    # Determined only through a longer chain of equations: widen to anything shown.
    return min((key for key in values if status[key] == "published"), key=rank)


def _determined(
    unknown: list[Hashable], sums: list[tuple[Hashable, list[Hashable]]]
) -> list[Hashable]:
    """Return the unknowns whose value the published sums pin down exactly."""
    if not unknown:
        return []
    index = {key: i for i, key in enumerate(unknown)}
    rows = []
    for total, members in sums:
        row = np.zeros(len(unknown))
        for key, coef in [(total, 1.0), *((m, -1.0) for m in members)]:
            if key in index:
                row[index[key]] += coef
        if row.any():
            rows.append(row)
    if not rows:
        return []
    matrix = np.array(rows)
    _, sing, vh = np.linalg.svd(matrix)
    rank = int((sing > 1e-9 * max(1.0, sing[0])).sum())
    # An unknown is determined iff every direction of the null space leaves it fixed.
    null = vh[rank:]
    return [key for key, i in index.items() if np.abs(null[:, i]).max(initial=0.0) < 1e-9]
