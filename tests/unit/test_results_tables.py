"""Results tables: every published count is 0 or >= k, and no hidden count or mean can be
recomputed."""

from __future__ import annotations

import numpy as np
import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.results.counts import group_key
from portal.results.tables import _breakdown, _distribution, _residual_safe, weekly_table

counts = st.lists(st.one_of(st.integers(0, 12), st.integers(0, 80)), min_size=1, max_size=6)
thresholds = st.integers(5, 12)


@pytest.fixture(scope="module")
def ctx():
    """Labels are lazily translated: give them a request."""
    app = Flask(__name__)
    from flask_babel import Babel

    Babel(app)
    with app.test_request_context():
        yield


def recoverable(hidden: list[str], values: dict[str, int]) -> set[str]:
    """Hidden keys determined by 'total = sum(cells)' when the total is published."""
    return {hidden[0]} if len(hidden) == 1 and values[hidden[0]] else set()


@settings(max_examples=200, deadline=None)
@given(values=counts, k=thresholds, missing=st.integers(0, 15))
def test_distribution_publishes_nothing_below_k_and_hides_no_lone_cell(ctx, values, k, missing):
    keys = [(f"c{i}", f"choice {i}") for i in range(len(values))]
    data = dict(zip([key for key, _ in keys], values, strict=True))
    n_total = sum(values) + missing
    out = _distribution(keys, data, n_total, k)
    truth = {**data, "no_answer": missing}
    hidden = [row["key"] for row in out["rows"] if row["count"]["suppressed"]]
    for row in out["rows"]:
        value = row["count"]["value"]
        assert value is None or value == 0 or value >= k
        assert value is None or value == truth[row["key"]]
    if not out["total"]["suppressed"]:
        assert out["total"]["value"] == n_total
        assert not recoverable(hidden, truth)
    else:
        assert all(row["count"]["value"] in (None, 0) for row in out["rows"])


def _moments(groups: dict[int | None, int]) -> dict[str, tuple[int, float, float]]:
    """Fake moments of one breakdown as the aggregates keep them (group id as text, "" for
    not stated), every respondent scoring 3.0."""
    return {group_key(gid): (n, 3.0 * n, 9.0 * n) for gid, n in groups.items()}


@settings(max_examples=200, deadline=None)
@given(sizes=counts, unstated=st.integers(0, 14), k=thresholds)
def test_breakdown_hides_small_groups_and_their_remainder(ctx, sizes, unstated, k):
    choices = [(str(i + 1), f"g{i}", f"Group {i}") for i in range(len(sizes))]
    groups = {i + 1: n for i, n in enumerate(sizes)} | {None: unstated}
    total = sum(groups.values())
    out = _breakdown("gender", _moments(groups), choices, total, k)
    truth = {f"g{i}": n for i, n in enumerate(sizes)} | {"not_stated": unstated}
    hidden = 0
    for group in out["groups"]:
        cell, summary = group["n"], group["summary"]
        if cell["suppressed"]:
            hidden += truth[group["key"]]
            assert summary["mean"] is None and summary["n"] is None
        else:
            assert cell["value"] == truth[group["key"]]
            assert cell["value"] == 0 or cell["value"] >= k
            assert summary["mean"] is None or summary["n"] >= k
    # The overall mean and the shown groups give the hidden groups' pooled mean: >= k people.
    assert hidden == 0 or hidden >= k or total < k  # below k the overall is hidden too


def test_residual_rule_hides_one_more_group_when_the_hidden_few_are_below_k():
    cells = {"a": {"value": None, "suppressed": True, "reason": "primary"},
             "b": {"value": None, "suppressed": True, "reason": "secondary"},
             "c": {"value": 40, "suppressed": False, "reason": None},
             "d": {"value": 12, "suppressed": False, "reason": None}}
    _residual_safe(cells, {"a": 2, "b": 3, "c": 40, "d": 12}, 10)
    assert cells["d"]["suppressed"] is True
    assert cells["c"]["suppressed"] is False


def test_weekly_table_accepts_dates_and_strings_and_sorts_by_week():
    out = weekly_table([("2025-03-10", 12), ("2025-03-03", 15)], 10)
    assert [w["key"] for w in out["weeks"]] == ["2025-W11", "2025-W10"]
    assert out["total"]["value"] == 27
    assert weekly_table([], 10)["total"]["value"] == 0


def test_shares_are_of_everyone_in_the_distribution(ctx):
    out = _distribution([("yes", "Yes"), ("no", "No")], {"yes": 30, "no": 10}, 60, 10)
    shares = {row["key"]: row["share"] for row in out["rows"]}
    assert shares["yes"] == pytest.approx(0.5)
    assert shares["no_answer"] == pytest.approx(20 / 60)
    assert np.isclose(sum(shares.values()), 1.0)


def test_no_share_is_shown_when_the_total_is_hidden(ctx):
    out = _distribution([("yes", "Yes")], {"yes": 4}, 4, 10)
    assert all(row["share"] is None for row in out["rows"])
