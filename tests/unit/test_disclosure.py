"""Disclosure control: thresholds, complementary suppression, rounding, recoverability."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.analysis.disclosure import (
    check_k,
    filtered_total,
    publishable,
    round_to_base,
    strip_reasons,
    suppress_counts,
    suppress_linked,
    suppress_table,
)

# Small counts dominate so that suppression patterns are rich.
count = st.one_of(st.integers(0, 12), st.integers(0, 60))
thresholds = st.integers(5, 12)


# --- an independent attacker: published values are known, everything else is unknown ---


def recoverable(entries: dict[Any, dict[str, Any]], sums: list[tuple[Any, list[Any]]]) -> set:
    """Return the suppressed keys whose value the published exact values determine."""
    unknown = [key for key, e in entries.items() if e["suppressed"] or e.get("rounded")]
    if not unknown:
        return set()
    col = {key: i for i, key in enumerate(unknown)}
    rows = []
    for total, members in sums:
        row = [0] * len(unknown)
        for key, coef in [(total, 1)] + [(m, -1) for m in members]:
            if key in col:
                row[col[key]] += coef
        rows.append(row)
    a = np.array(rows, dtype=float)
    base = np.linalg.matrix_rank(a)
    found = set()
    for key in unknown:
        if not entries[key]["suppressed"]:
            continue
        probe = np.zeros((1, len(unknown)))
        probe[0, col[key]] = 1
        # x_key is determined iff its unit vector lies in the row space of the system.
        if np.linalg.matrix_rank(np.vstack([a, probe])) == base:
            found.add(key)
    return found


def lone_unknowns(entries: dict[Any, dict[str, Any]], sums: list[tuple[Any, list[Any]]]) -> set:
    """Return suppressed keys that are the only unknown term of one published sum."""
    found = set()
    for total, members in sums:
        hidden = [
            key for key in [total, *members]
            if entries[key]["suppressed"] or entries[key].get("rounded")
        ]
        if len(hidden) == 1 and entries[hidden[0]]["suppressed"]:
            found.add(hidden[0])
    return found


def assert_safe(entries, truth, sums, k) -> None:
    """Check every published rule against the true values."""
    for key, e in entries.items():
        if e["suppressed"]:
            assert e["value"] is None
        elif e.get("rounded"):
            assert e["value"] % 5 == 0 and abs(e["value"] - truth[key]) <= 2
            assert e["value"] >= 5
        else:
            assert e["value"] == truth[key]
            assert truth[key] == 0 or truth[key] >= k, "published count below k"
    for total, members in sums:
        if 0 < truth[total] < k:
            assert all(entries[m]["suppressed"] for m in members), "small group shows a cell"
    assert not lone_unknowns(entries, sums)
    assert not recoverable(entries, sums)


def table_entries(result, rows, cols):
    """Flatten a suppress_table result into keyed entries and its sums."""
    entries = {("total",): result["total"]}
    for i, r in enumerate(rows):
        entries[("row", r)] = result["row_totals"][i]
        for j, c in enumerate(cols):
            entries[("cell", r, c)] = result["cells"][i][j]
    for j, c in enumerate(cols):
        entries[("col", c)] = result["col_totals"][j]
    sums = [(("row", r), [("cell", r, c) for c in cols]) for r in rows]
    sums += [(("col", c), [("cell", r, c) for r in rows]) for c in cols]
    sums += [(("total",), [("row", r) for r in rows]), (("total",), [("col", c) for c in cols])]
    return entries, sums


# --- threshold and helpers ---


@pytest.mark.parametrize("k", [4, 0, -1, 4.5, True, "10"])
def test_threshold_below_five_or_not_an_int_is_refused(k):
    with pytest.raises(ValueError):
        check_k(k)
    with pytest.raises(ValueError):
        suppress_counts({"a": 20}, k)


@pytest.mark.parametrize(
    ("n", "k", "parent", "expected"),
    [(10, 10, None, True), (9, 10, None, False), (5, 5, None, True),
     (40, 10, 45, False), (40, 10, 40, True), (40, 10, 50, True)],
)
def test_publishable_needs_n_and_its_complement_at_least_k(n, k, parent, expected):
    assert publishable(n, k, parent) is expected


def test_filtered_total_rounds_when_the_excluded_rest_is_small():
    rounded = {"value": 95, "rounded": True, "suppressed": False}
    assert filtered_total(97, 10, parent_n=100) == rounded
    exact = {"value": 90, "rounded": False, "suppressed": False}
    assert filtered_total(90, 10, parent_n=100) == exact
    assert filtered_total(7, 10)["suppressed"] is True


@pytest.mark.parametrize(("value", "rounded"), [(10, 10), (12, 10), (13, 15), (17, 15), (23, 25)])
def test_round_to_base_five_is_nearest_halves_up(value, rounded):
    assert round_to_base(value) == rounded


# --- 1-D distributions ---


def test_single_small_cell_gets_the_next_smallest_nonzero_cell_as_complement():
    out = suppress_counts({"a": 3, "b": 20, "c": 0, "d": 30}, k=10)
    cells = out["cells"]
    assert cells["a"] == {"value": None, "suppressed": True, "reason": "primary"}
    assert cells["b"] == {"value": None, "suppressed": True, "reason": "secondary"}
    # A zero is never the complement: "a + 0 = 3" would give a away.
    assert cells["c"] == {"value": 0, "suppressed": False, "reason": None}
    assert cells["d"]["value"] == 30
    assert out["total"] == {"value": 53, "rounded": False, "suppressed": False}


def test_group_below_k_hides_its_zeros_and_its_total():
    out = suppress_counts({"agree": 3, "disagree": 0, "neutral": 0}, k=10)
    assert all(c["suppressed"] for c in out["cells"].values())
    assert out["total"]["suppressed"] is True


def test_empty_group_is_published_as_zeros():
    out = suppress_counts({"a": 0, "b": 0}, k=10)
    assert [c["value"] for c in out["cells"].values()] == [0, 0]
    assert out["total"]["value"] == 0


def test_total_is_rounded_when_no_cell_can_serve_as_complement():
    # 17 people are outside the listed categories; only rounding the total protects a.
    out = suppress_counts({"a": 3, "b": 0}, k=10, total=20)
    assert out["cells"]["a"]["suppressed"] and out["cells"]["b"]["value"] == 0
    assert out["total"] == {"value": 20, "rounded": True, "suppressed": False}


def test_result_is_plain_json_and_reasons_can_be_stripped():
    out = suppress_counts({"a": 3, "b": 20, "c": 40}, k=10)
    assert json.loads(json.dumps(out))["cells"]["a"]["reason"] == "primary"
    public = strip_reasons(out)
    assert {c["reason"] for c in public["cells"].values()} == {None}
    assert public["cells"]["a"]["suppressed"] is True and out["cells"]["b"]["reason"] == "secondary"


@settings(max_examples=300, deadline=None)
@given(st.lists(count, min_size=1, max_size=8), thresholds)
def test_distribution_never_shows_small_or_recoverable_cells(values, k):
    counts = {f"c{i}": v for i, v in enumerate(values)}
    out = suppress_counts(counts, k)
    entries = {("cell", key): cell for key, cell in out["cells"].items()}
    entries[("total",)] = out["total"]
    truth = {("cell", key): v for key, v in counts.items()} | {("total",): sum(values)}
    assert_safe(entries, truth, [(("total",), [("cell", key) for key in counts])], k)


# --- 2-D tables ---


def test_bridge_between_two_suppression_cycles_is_also_protected():
    # Each row and column already holds two hidden cells after the line rule, yet the
    # pattern can still pin a cell through combined row + column equations; the
    # null-space audit must catch that, the line rule alone would not.
    rows, cols = ["r1", "r2", "r3", "r4"], ["x", "y", "z", "w"]
    grid = [[3, 4, 30, 30], [4, 3, 30, 30], [30, 30, 2, 4], [30, 30, 4, 2]]
    counts = {(r, c): grid[i][j] for i, r in enumerate(rows) for j, c in enumerate(cols)}
    result = suppress_table(rows, cols, counts, k=10)
    entries, sums = table_entries(result, rows, cols)
    truth = table_truth(rows, cols, counts)
    assert_safe(entries, truth, sums, 10)


def test_rounded_margin_that_other_margins_pin_down_does_not_protect():
    # Found by a line-rule-only variant: column c1 holds 12 and 0, so its only possible
    # complement is its margin (rounded); but C1 = G - C0 - C2, so the rounded margin is
    # known exactly and (r0, c1) with it. Only the combined null-space audit sees this.
    rows, cols = ["r0", "r1"], ["c0", "c1", "c2"]
    counts = {("r0", "c0"): 30, ("r0", "c1"): 12, ("r0", "c2"): 8,
              ("r1", "c0"): 20, ("r1", "c1"): 0, ("r1", "c2"): 20}
    result = suppress_table(rows, cols, counts, k=10)
    entries, sums = table_entries(result, rows, cols)
    assert_safe(entries, table_truth(rows, cols, counts), sums, 10)


def test_small_row_hides_its_margin_and_zeros():
    rows, cols = ["r1", "r2", "r3"], ["x", "y", "z"]
    counts = {("r1", "x"): 3, ("r1", "y"): 15, ("r1", "z"): 12, ("r2", "x"): 20,
              ("r2", "y"): 25, ("r2", "z"): 30, ("r3", "x"): 2, ("r3", "y"): 1}
    result = suppress_table(rows, cols, counts, k=10)
    assert all(c["suppressed"] for c in result["cells"][2])
    assert result["row_totals"][2]["suppressed"] is True
    entries, sums = table_entries(result, rows, cols)
    assert_safe(entries, table_truth(rows, cols, counts), sums, 10)


def table_truth(rows, cols, counts):
    """Return the true value of every cell and margin."""
    truth = {("cell", r, c): counts.get((r, c), 0) for r in rows for c in cols}
    for r in rows:
        truth[("row", r)] = sum(truth[("cell", r, c)] for c in cols)
    for c in cols:
        truth[("col", c)] = sum(truth[("cell", r, c)] for r in rows)
    truth[("total",)] = sum(truth[("row", r)] for r in rows)
    return truth


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.data(), thresholds)
def test_table_never_shows_small_or_recoverable_cells(n_rows, n_cols, data, k):
    rows = [f"r{i}" for i in range(n_rows)]
    cols = [f"c{j}" for j in range(n_cols)]
    counts = {(r, c): data.draw(count) for r in rows for c in cols}
    result = suppress_table(rows, cols, counts, k)
    entries, sums = table_entries(result, rows, cols)
    assert_safe(entries, table_truth(rows, cols, counts), sums, k)


def test_same_input_gives_the_same_output_for_pages_exports_and_api():
    rows, cols = ["a", "b", "c"], ["1", "2", "3"]
    counts = {("a", "1"): 4, ("a", "2"): 11, ("b", "2"): 7, ("c", "3"): 40, ("b", "1"): 12}
    assert suppress_table(rows, cols, counts) == suppress_table(rows, cols, dict(counts))


# --- nested groups: group total versus the sum of published subgroups ---


def test_nested_groups_protect_the_one_small_subgroup():
    values = {"all": 100, "youth": 40, "adults": 57, "elders": 3, "youth_f": 22, "youth_m": 18}
    sums = [("all", ["youth", "adults", "elders"]), ("youth", ["youth_f", "youth_m"])]
    out = suppress_linked(values, sums, k=10)
    assert out["elders"]["suppressed"] is True
    assert_safe(out, values, sums, 10)


def test_linked_sums_must_add_up():
    with pytest.raises(ValueError):
        suppress_linked({"all": 10, "a": 4, "b": 5}, [("all", ["a", "b"])], k=5)
