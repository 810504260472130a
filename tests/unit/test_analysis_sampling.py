"""Sampled betweenness and closeness: exact when every actor is a pivot, close when sampled,
stated with its error, and used by analyse() only above the exact limit."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from portal.analysis import fast, sampling
from portal.analysis.fast import to_net
from portal.analysis.network import analyse

TOL = 1e-9


def big_and_small(n: int, seed: int) -> nx.Graph:
    """A scale-free component of n actors, a small group of four and one actor alone."""
    G = nx.barabasi_albert_graph(n, 3, seed=seed)
    G.add_edges_from([(n, n + 1), (n + 1, n + 2), (n + 2, n + 3)])
    G.add_node(n + 4)
    return G


def records(G: nx.Graph) -> tuple[list[dict], list[dict]]:
    """Return analyse()'s stakeholders and ties for a graph of integer nodes."""
    sectors = ("education", "youth", "police", "health")
    stakeholders = [{"id": v + 1, "name": f"actor {v}", "sector": sectors[v % 4],
                     "level": "local"} for v in G.nodes]
    ties = [{"source": u + 1, "target": v + 1, "kind": "referral", "frequency": "monthly"}
            for u, v in G.edges]
    return stakeholders, ties


@pytest.fixture
def small_components(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sample components from 50 actors up, so small test graphs take the sampled path."""
    monkeypatch.setattr(sampling, "SMALL_COMPONENT", 50)


def test_every_actor_a_pivot_gives_the_exact_values(small_components: None) -> None:
    g = to_net(big_and_small(300, seed=3)).g
    found = sampling.estimate(g, pivots=10_000, seed=1)
    assert found.pivots == 300  # the big component's actors; the small ones are exact anyway
    assert found.standard_error == 0.0
    assert np.allclose(found.betweenness, fast.betweenness(g), atol=TOL)
    assert np.allclose(found.closeness, fast.closeness(g), atol=TOL)


def test_sampled_values_are_close_and_the_stated_error_is_honest(small_components: None) -> None:
    g = to_net(big_and_small(3_000, seed=5)).g
    exact = np.asarray(fast.betweenness(g))
    found = sampling.estimate(g, pivots=400, seed=42)
    got = np.asarray(found.betweenness)
    assert 380 <= found.pivots <= 420
    assert 0 < found.standard_error < exact.max() / 10
    # The largest error stays within a few stated standard errors...
    assert np.abs(got - exact).max() <= 4 * found.standard_error
    # ...and the ranking of the top actors holds.
    top = set(np.argsort(-exact)[:20].tolist())
    assert len(top & set(np.argsort(-got)[:20].tolist())) >= 17
    close = np.asarray(fast.closeness(g))
    assert np.abs(np.asarray(found.closeness) - close).max() < 0.02
    # The small group and the actor alone are computed exactly.
    assert np.allclose(got[-5:], exact[-5:], atol=TOL)
    assert np.allclose(found.closeness[-5:], close[-5:], atol=TOL)


def test_a_fixed_seed_gives_the_same_estimate(small_components: None) -> None:
    g = to_net(big_and_small(500, seed=7)).g
    first, second = sampling.estimate(g, 100, seed=42), sampling.estimate(g, 100, seed=42)
    assert first.betweenness == second.betweenness and first.closeness == second.closeness
    assert sampling.estimate(g, 100, seed=43).betweenness != first.betweenness


def test_analyse_is_exact_up_to_the_limit_and_sampled_above(small_components: None) -> None:
    stakeholders, ties = records(big_and_small(400, seed=11))
    size = len(stakeholders)
    exact = analyse(stakeholders, ties, exact_up_to=size, pivots=100)
    assert exact["summary"]["centrality"] == {"method": "exact", "pivots": None,
                                              "actors": size, "standard_error": 0.0}
    sampled = analyse(stakeholders, ties, exact_up_to=size - 1, pivots=100)
    about = sampled["summary"]["centrality"]
    assert about["method"] == "sampled" and about["actors"] == size
    assert 95 <= about["pivots"] <= 100 and about["standard_error"] > 0
    by_id = {n["id"]: n["metrics"]["betweenness"] for n in exact["nodes"]}
    assert any(n["metrics"]["betweenness"] != by_id[n["id"]] for n in sampled["nodes"])
    # Everything but the two centralities is the same either way.
    for a, b in zip(exact["nodes"], sampled["nodes"], strict=True):
        assert {**a["metrics"], "betweenness": 0, "closeness": 0} == {
            **b["metrics"], "betweenness": 0, "closeness": 0}
        assert (a["x"], a["y"], a["flags"]) == (b["x"], b["y"], b["flags"])
    assert analyse(stakeholders, ties)["summary"]["centrality"]["method"] == "exact"


def test_no_component_large_enough_to_sample_is_stated_as_exact() -> None:
    stakeholders, ties = records(big_and_small(40, seed=2))  # below SMALL_COMPONENT
    result = analyse(stakeholders, ties, exact_up_to=10, pivots=5)
    assert result["summary"]["centrality"]["method"] == "exact"
