"""analyse(): known values on classic networks and the edge cases of a city's map."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from portal.analysis.graph import to_records
from portal.analysis.network import analyse
from portal.models.network import SECTORS


def by_name(result: dict) -> dict[str, dict]:
    """Index a result's nodes by name."""
    return {n["name"]: n for n in result["nodes"]}


def gap_types(result: dict) -> list[str]:
    """Return the gap types of a result."""
    return [g["type"] for g in result["gaps"]]


def test_karate_club_has_one_broker_and_one_bridge() -> None:
    result = analyse(*to_records(nx.karate_club_graph()))
    nodes = by_name(result)
    expected = nx.betweenness_centrality(nx.karate_club_graph())
    for name, node in nodes.items():
        assert node["metrics"]["betweenness"] == pytest.approx(expected[int(name)], abs=1e-6)
    top = max(result["nodes"], key=lambda n: n["metrics"]["betweenness"])
    assert top["name"] == "0"
    assert [n["name"] for n in result["nodes"] if n["flags"]["single_point_of_failure"]] == ["0"]
    assert result["summary"]["bridges"] == [[nodes["0"]["id"], nodes["11"]["id"]]]


def test_florentine_families_medici_are_the_broker() -> None:
    result = analyse(*to_records(nx.florentine_families_graph()))
    nodes = by_name(result)
    top = max(result["nodes"], key=lambda n: n["metrics"]["betweenness"])
    assert top["name"] == "Medici"
    assert top["metrics"]["betweenness"] == pytest.approx(0.521978, abs=1e-6)
    cut = sorted(n["name"] for n in result["nodes"] if n["metrics"]["articulation_point"])
    assert cut == ["Albizzi", "Guadagni", "Medici", "Salviati"]
    assert len(result["summary"]["bridges"]) == 5
    assert nodes["Pazzi"]["flags"]["connected_once"]


def test_krackhardt_kite_heather_is_the_single_point_of_failure() -> None:
    result = analyse(*to_records(nx.krackhardt_kite_graph()))
    spof = [g["stakeholder"] for g in result["gaps"]
            if g["type"] == "single_point_of_failure_actor"]
    assert spof == [8, 9]  # nodes 7 and 8, as ids 8 and 9
    assert result["summary"]["bridges"] == [[8, 9], [9, 10]]
    assert result["summary"]["components"] == [{"size": 10, "members": list(range(1, 11))}]
    assert by_name(result)["7"]["metrics"]["betweenness"] == pytest.approx(0.388889, abs=1e-6)


def test_empty_network_gives_an_empty_report() -> None:
    result = analyse([], [])
    assert result["nodes"] == [] and result["suggestions"] == []
    assert result["summary"]["size"] == 0 and result["summary"]["components"] == []
    assert result["summary"]["national_path"] == {"status": "no_municipal", "path": [],
                                                  "length": None}
    assert gap_types(result) == ["no_national_path"]
    json.dumps(result, allow_nan=False)


def test_one_stakeholder_is_not_yet_connected() -> None:
    result = analyse([{"id": 7, "name": "Mayor", "sector": "municipality", "level": "local"}], [])
    node = result["nodes"][0]
    assert node["flags"]["not_connected"] and node["metrics"]["constraint"] is None
    assert node["metrics"]["effective_size"] is None
    assert (node["x"], node["y"]) == (0.5, 0.5)
    assert result["summary"]["national_path"]["status"] == "no_national"
    assert "not_connected" in gap_types(result)


def test_ties_within_one_sector_flag_every_actor_and_no_sector_pair() -> None:
    people = [{"id": i, "name": f"s{i}", "sector": "education", "level": "local"}
              for i in (1, 2, 3)]
    ties = [{"source": 1, "target": 2, "kind": "referral", "frequency": "weekly"},
            {"source": 2, "target": 3, "kind": "referral", "frequency": "weekly"}]
    result = analyse(people, ties)
    assert all(n["flags"]["within_sector_only"] for n in result["nodes"])
    assert all(n["metrics"]["cross_sector_ties"] == 0 for n in result["nodes"])
    assert result["summary"]["missing_sector_pairs"] == []
    assert result["summary"]["sector_matrix"]["observed"] == [[2]]
    assert result["summary"]["sector_matrix"]["expected"] == [[2.0]]


def test_stakeholder_without_sector_is_left_out_of_sector_measures() -> None:
    people = [{"id": 1, "name": "a", "sector": None, "level": "local"},
              {"id": 2, "name": "b", "sector": "police", "level": "local"}]
    result = analyse(people, [{"source": 1, "target": 2, "kind": "information",
                               "frequency": "monthly"}])
    assert result["summary"]["sector_matrix"]["sectors"] == ["police"]
    assert [n["flags"]["within_sector_only"] for n in result["nodes"]] == [False, False]
    assert [n["metrics"]["cross_sector_ties"] for n in result["nodes"]] == [0, 0]


def test_ties_to_unknown_stakeholders_are_ignored() -> None:
    people = [{"id": 1, "name": "a", "sector": "youth", "level": "local"}]
    stray = {"source": 1, "target": 42, "kind": "funding", "frequency": "yearly"}
    result = analyse(people, [stray])
    assert result["summary"]["ties"] == 0 and result["edges"] == []


def test_sector_pair_that_never_meets_is_a_gap_with_its_expectation() -> None:
    people = [{"id": i, "name": str(i), "sector": s, "level": "local"}
              for i, s in enumerate(["police", "police", "youth", "youth", "health"], start=1)]
    ties = [{"source": a, "target": b, "kind": "information", "frequency": "monthly"}
            for a, b in [(1, 2), (3, 4), (2, 5), (4, 5)]]
    result = analyse(people, ties, sector_order=SECTORS)
    missing = result["summary"]["missing_sector_pairs"]
    assert [(p["a"], p["b"]) for p in missing] == [("youth", "police")]
    # D_police = D_youth = 3, m = 4: expected = 3 * 3 / 8
    assert missing[0]["expected"] == 1.125
    assert {"type": "sector_pair_never_meets", "sectors": ["youth", "police"],
            "expected": 1.125} in result["gaps"]


def test_national_path_runs_from_local_municipality_to_national_level() -> None:
    people = [{"id": 1, "name": "City hall", "sector": "municipality", "level": "local"},
              {"id": 2, "name": "School", "sector": "education", "level": "local"},
              {"id": 3, "name": "Ministry", "sector": "national_government", "level": "national"},
              {"id": 4, "name": "Agency", "sector": "other", "level": "national"}]
    ties = [{"source": 1, "target": 2, "kind": "information", "frequency": "monthly"},
            {"source": 2, "target": 3, "kind": "information", "frequency": "monthly"}]
    path = analyse(people, ties)["summary"]["national_path"]
    assert path == {"status": "path", "path": [1, 2, 3], "length": 2}
    cut = analyse(people, ties[:1])
    assert cut["summary"]["national_path"]["status"] == "no_path"
    assert {"type": "no_national_path", "status": "no_path"} in cut["gaps"]
    first = cut["suggestions"][0]
    assert first["reason"] == "joins_components"
    assert (first["source"], first["target"]) == (3, 1)
    assert first["effect"]["national_path_length_before"] is None
    assert first["effect"]["national_path_length_after"] == 1


def test_long_national_path_gets_a_shortcut() -> None:
    people = [{"id": i, "name": str(i), "sector": s, "level": lv} for i, s, lv in
              [(1, "municipality", "local"), (2, "youth", "local"), (3, "police", "local"),
               (4, "national_government", "national")]]
    ties = [{"source": a, "target": a + 1, "kind": "referral", "frequency": "weekly"}
            for a in (1, 2, 3)]
    suggestions = analyse(people, ties)["suggestions"]
    assert suggestions[0]["reason"] == "shortens_national_path"
    assert (suggestions[0]["source"], suggestions[0]["target"]) == (1, 4)
    effect = suggestions[0]["effect"]
    assert (effect["national_path_length_before"], effect["national_path_length_after"]) == (3, 1)


def test_sector_matrix_follows_the_callers_sector_order_then_names() -> None:
    people = [{"id": i, "name": f"s{i}", "sector": sector, "level": "local"}
              for i, sector in enumerate(("education", "youth", "police", "astrology"))]
    ties = [{"source": 0, "target": i, "kind": "information", "frequency": "monthly"}
            for i in (1, 2, 3)]
    ordered = analyse(people, ties, sector_order=("youth", "police", "education"))
    assert ordered["summary"]["sector_matrix"]["sectors"] == [
        "youth", "police", "education", "astrology"]
    assert analyse(people, ties)["summary"]["sector_matrix"]["sectors"] == [
        "astrology", "education", "police", "youth"]


def test_every_suggestion_states_its_effect_from_the_current_map() -> None:
    # A chain of seven: five single points of failure today.
    sectors = ["youth", "police", "health", "education", "youth", "police", "health"]
    people = [{"id": i, "name": str(i), "sector": s, "level": "local"}
              for i, s in enumerate(sectors, start=1)]
    ties = [{"source": a, "target": a + 1, "kind": "referral", "frequency": "weekly"}
            for a in range(1, 7)]
    suggestions = analyse(people, ties)["suggestions"]
    assert len(suggestions) >= 3
    for s in suggestions:
        # "single points of failure: 5 → n", never from the previous suggestion's "after"
        assert s["effect"]["single_points_of_failure_before"] == 5
        assert s["effect"]["missing_sector_pairs_before"] == 2
    last = suggestions[-1]
    assert (last["source"], last["target"]) == (7, 2)
    # 7–2 alone closes the loop 2…7: only actor 2 (cutting off 1) is left.
    assert last["effect"]["single_points_of_failure_after"] == 1
