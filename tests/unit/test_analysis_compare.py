"""compare(): what changed between two mapping rounds."""

from __future__ import annotations

from portal.analysis.compare import compare
from portal.analysis.gaps import gap_key
from portal.analysis.network import analyse

PEOPLE = [
    {"id": 1, "name": "City hall", "sector": "municipality", "level": "local"},
    {"id": 2, "name": "School", "sector": "education", "level": "local"},
    {"id": 3, "name": "Youth centre", "sector": "youth", "level": "local"},
]


def tie(a: int, b: int) -> dict:
    """Return a monthly information tie."""
    return {"source": a, "target": b, "kind": "information", "frequency": "monthly"}


def test_compare_reports_added_and_removed_stakeholders_and_ties() -> None:
    baseline = analyse(PEOPLE, [tie(1, 2)])
    ministry = {"id": 4, "name": "Ministry", "sector": "national_government", "level": "national"}
    follow_up = analyse([*PEOPLE, ministry], [tie(1, 3), tie(3, 2), tie(1, 4)])
    change = compare(baseline, follow_up)
    assert change["stakeholders_added"] == [4] and change["stakeholders_removed"] == []
    assert change["ties_added"] == [[1, 3], [1, 4], [2, 3]]
    assert change["ties_removed"] == [[1, 2]]
    assert change["metrics"]["ties"] == {"before": 1, "after": 3, "change": 2}
    assert change["metrics"]["components"] == {"before": 2, "after": 1, "change": -1}
    assert change["metrics"]["size"]["change"] == 1


def test_compare_reports_gaps_opened_and_closed_by_identity() -> None:
    baseline = analyse(PEOPLE, [tie(1, 2)])
    follow_up = analyse(PEOPLE, [tie(1, 2), tie(2, 3)])
    change = compare(baseline, follow_up)
    closed = {gap_key(g) for g in change["gaps_closed"]}
    opened = {gap_key(g) for g in change["gaps_opened"]}
    assert "type=not_connected|stakeholder=3" in closed
    assert "type=single_point_of_failure_actor|stakeholder=2" in opened
    assert not closed & opened


def test_comparing_a_round_with_itself_shows_no_change() -> None:
    result = analyse(PEOPLE, [tie(1, 2)])
    change = compare(result, result)
    assert change["gaps_opened"] == change["gaps_closed"] == change["ties_added"] == []
    assert all(d["change"] == 0 for d in change["metrics"].values())
