"""Properties of analyse() on random stakeholder maps (hypothesis)."""

from __future__ import annotations

import json

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.analysis.graph import FREQUENCY_WEIGHT, build_graph
from portal.analysis.network import analyse
from portal.models.network import LEVELS, TIE_KINDS

SECTOR_CHOICES = ["education", "religious", "youth", "municipality", "police",
                  "national_government", None]
SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def maps(draw: st.DrawFn) -> tuple[list[dict], list[dict]]:
    """Draw a small stakeholder map, with stray ties to unknown ids and self-ties."""
    ids = draw(st.lists(st.integers(1, 60), unique=True, max_size=22))
    people = [
        {"id": i, "name": f"actor {i}", "sector": draw(st.sampled_from(SECTOR_CHOICES)),
         "level": draw(st.sampled_from(LEVELS))}
        for i in ids
    ]
    ends = st.sampled_from([*ids, 999]) if ids else st.just(999)
    tie = st.fixed_dictionaries({
        "source": ends, "target": ends, "kind": st.sampled_from(TIE_KINDS),
        "frequency": st.sampled_from(sorted(FREQUENCY_WEIGHT)), "reporter": st.none(),
    })
    return people, draw(st.lists(tie, max_size=45))


@SETTINGS
@given(maps())
def test_result_is_plain_json(data: tuple[list[dict], list[dict]]) -> None:
    result = analyse(*data)
    assert json.loads(json.dumps(result, allow_nan=False)) == result


@SETTINGS
@given(maps())
def test_two_runs_and_any_input_order_give_identical_results(data: tuple) -> None:
    people, ties = data
    first = analyse(people, ties)
    assert analyse(people, ties) == first
    assert analyse(people[::-1], ties[::-1]) == first


@SETTINGS
@given(maps(), st.integers(0, 6))
def test_suggestions_are_new_ties_that_never_add_components(data: tuple, k: int) -> None:
    people, ties = data
    result = analyse(people, ties, max_suggestions=k)
    G = build_graph(people, ties)
    before = nx.number_connected_components(G)
    suggestions = result["suggestions"]
    assert len(suggestions) <= k
    for s in suggestions:
        assert s["source"] != s["target"] and not G.has_edge(s["source"], s["target"])
        assert s["effect"]["components_after"] <= s["effect"]["components_before"]
        # Each effect is stated from the current map, with only this one tie added.
        assert s["effect"]["components_before"] == before
        alone = G.copy()
        alone.add_edge(s["source"], s["target"])
        assert s["effect"]["components_after"] == nx.number_connected_components(alone)
        assert s["effect"]["single_points_of_failure_before"] == len(
            list(nx.articulation_points(G)))
        assert s["effect"]["single_points_of_failure_after"] == len(
            list(nx.articulation_points(alone)))
    chained = G.copy()
    chained.add_edges_from((s["source"], s["target"]) for s in suggestions)
    assert nx.number_connected_components(chained) <= before


@SETTINGS
@given(maps())
def test_gaps_agree_with_metrics_and_summary(data: tuple) -> None:
    result = analyse(*data)
    nodes, summary = result["nodes"], result["summary"]

    def gap_ids(kind: str) -> list[int]:
        return [g["stakeholder"] for g in result["gaps"] if g["type"] == kind]

    assert gap_ids("not_connected") == [n["id"] for n in nodes if n["metrics"]["degree"] == 0]
    assert gap_ids("connected_once") == [n["id"] for n in nodes if n["metrics"]["degree"] == 1]
    assert gap_ids("single_point_of_failure_actor") == [
        n["id"] for n in nodes if n["metrics"]["articulation_point"]]
    assert gap_ids("within_sector_only") == [
        n["id"] for n in nodes if n["flags"]["within_sector_only"]]
    tie_gaps = [[g["source"], g["target"]] for g in result["gaps"]
                if g["type"] == "single_point_of_failure_tie"]
    assert tie_gaps == summary["bridges"]
    pairs = [g["sectors"] for g in result["gaps"] if g["type"] == "sector_pair_never_meets"]
    assert pairs == [[p["a"], p["b"]] for p in summary["missing_sector_pairs"]]
    groups = [c for c in summary["components"] if c["size"] > 1]
    assert ("fragmented" in [g["type"] for g in result["gaps"]]) == (len(groups) > 1)
    no_path = [g for g in result["gaps"] if g["type"] == "no_national_path"]
    assert bool(no_path) == (summary["national_path"]["status"] != "path")


@SETTINGS
@given(maps())
def test_metrics_flags_and_summary_are_consistent(data: tuple) -> None:
    people, ties = data
    result = analyse(people, ties)
    G = build_graph(people, ties)
    summary = result["summary"]
    assert summary["size"] == G.number_of_nodes() and summary["ties"] == G.number_of_edges()
    assert sum(c["size"] for c in summary["components"]) == summary["size"]
    for node in result["nodes"]:
        m, f = node["metrics"], node["flags"]
        assert m["degree"] == G.degree(node["id"])
        assert m["weighted_degree"] == G.degree(node["id"], weight="weight")
        assert (m["constraint"] is None) == (m["degree"] == 0)
        if f["within_sector_only"]:
            assert m["cross_sector_ties"] == 0 and m["degree"] > 0
        assert 0.0 <= node["x"] <= 1.0 and 0.0 <= node["y"] <= 1.0
    matrix = summary["sector_matrix"]
    k = len(matrix["sectors"])
    observed = sum(matrix["observed"][i][j] for i in range(k) for j in range(i, k))
    expected = sum(matrix["expected"][i][j] for i in range(k) for j in range(i, k))
    assert abs(observed - expected) < 1e-3 * max(1, k * k)
