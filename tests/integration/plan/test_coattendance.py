"""The two-mode attendance network and its projection, against NetworkX's bipartite functions
on Davis's Southern Women (18 women × 14 events, 89 attendances), imported as events and
attendance through the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import networkx as nx
import pytest
from networkx.algorithms import bipartite

from portal.analysis.coattendance import attendance_counts, by_event, project
from portal.extensions import db
from portal.plan import events
from portal.stakeholders import services


@pytest.fixture
def davis(make_city: Any) -> dict[str, Any]:
    graph = nx.davis_southern_women_graph()
    women, clubs = graph.graph["top"], graph.graph["bottom"]
    city = make_city(slug="davis")
    people = {w: services.create_stakeholder(city, {"name": w, "sector": "civil_society"},
                                             actor=None) for w in women}
    held = {}
    for i, club in enumerate(clubs):
        event = events.save_event(city, None, {
            "kind": "meeting", "title": club, "held_on": date(1936, 1, 1) + timedelta(days=i)},
            actor=None)
        events.set_attendance(city, event, [people[w].id for w in graph[club]], actor=None)
        held[club] = event
    db.session.commit()
    return {"graph": graph, "women": women, "clubs": clubs, "city": city, "people": people,
            "events": held}


def test_davis_has_89_attendances_of_18_women_at_14_events(davis):
    pairs = events.attendance_pairs(davis["city"])
    assert (len(pairs), len(davis["women"]), len(davis["clubs"])) == (89, 18, 14)
    assert len(by_event(pairs)) == 14 and len({s for _e, s in pairs}) == 18


def test_event_sizes_match_networkx(davis):
    sizes = {e: len(who) for e, who in by_event(events.attendance_pairs(davis["city"])).items()}
    expected = {davis["events"][c].id: d for c, d in davis["graph"].degree(davis["clubs"])}
    assert sizes == expected


def test_attendance_counts_match_networkx(davis):
    counts = attendance_counts(events.attendance_pairs(davis["city"]))
    expected = {davis["people"][w].id: d for w, d in davis["graph"].degree(davis["women"])}
    assert counts == expected


def test_coattendance_weights_match_the_weighted_projection(davis):
    projected = bipartite.weighted_projected_graph(davis["graph"], davis["women"])
    ids = {w: s.id for w, s in davis["people"].items()}
    expected = {(min(ids[a], ids[b]), max(ids[a], ids[b])): d["weight"]
                for a, b, d in projected.edges(data=True)}
    got = events.coattendance(davis["city"])
    assert got == expected
    assert len(got) == projected.number_of_edges() == 139
    evelyn, theresa = ids["Evelyn Jefferson"], ids["Theresa Anderson"]
    assert got[(min(evelyn, theresa), max(evelyn, theresa))] == 7


def test_projection_counts_a_repeated_attendance_once():
    assert project([(1, 10), (1, 10), (1, 11), (2, 10), (2, 11), (3, 12)]) == {(10, 11): 2}
