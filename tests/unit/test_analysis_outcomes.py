"""The network outcome indicators read from analyse(), on hand-drawn graphs."""

from __future__ import annotations

import pytest

from portal.analysis.network import analyse
from portal.analysis.outcomes import network_outcomes, outcome_change, team_density


def _map(pairs: list[tuple[int, int]], sectors: dict[int, str], national: int | None = None):
    people = [{"id": i, "name": str(i), "sector": s,
               "level": "national" if i == national else "local"} for i, s in sectors.items()]
    return analyse(people, [{"source": a, "target": b, "kind": "information",
                             "frequency": "monthly"} for a, b in pairs])


def test_a_star_around_the_municipality():
    """1 (municipality) tied to 2, 3, 4; 5 alone: 1 is the one single point of failure."""
    found = network_outcomes(_map([(1, 2), (1, 3), (1, 4)], {
        1: "municipality", 2: "youth", 3: "education", 4: "youth", 5: "police"}), team={1, 2, 3})
    assert found["team_density"] == pytest.approx(2 / 3)  # 1–2, 1–3 of three pairs
    assert found["municipal_sector_names"] == ["education", "youth"]
    assert (found["not_connected"], found["single_points"]) == (1, 1)
    assert found["national_status"] == "no_national" and not found["national_reach"]


def test_no_municipality_and_a_team_of_one_are_unknown_not_zero():
    result = _map([(1, 2)], {1: "youth", 2: "police", 3: "national_government"}, national=3)
    found = network_outcomes(result, team={1})
    assert found["team_density"] is None and team_density(result, set()) is None
    assert found["municipal_sectors"] is None and found["national_status"] == "no_municipal"
    change = outcome_change(found, found)
    assert change["team_density"] is None and change["municipal_sectors"] is None
    assert change["not_connected"] == 0 and change["national_reach"] == 0
