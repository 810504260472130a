"""layout(): deterministic, inside the unit square, components kept apart."""

from __future__ import annotations

import itertools

import networkx as nx

from portal.analysis.layout import layout


def city() -> nx.Graph:
    """Return three groups of different sizes and four actors not yet connected."""
    G = nx.disjoint_union_all([nx.karate_club_graph(), nx.cycle_graph(6), nx.path_graph(2)])
    G.add_nodes_from(range(100, 104))
    return G


def test_layout_is_deterministic_and_in_the_unit_square() -> None:
    first = layout(city(), seed=5)
    assert first == layout(city(), seed=5)
    assert set(first) == set(city().nodes)
    assert all(0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 for x, y in first.values())
    assert all(round(c, 4) == c for xy in first.values() for c in xy)


def test_components_do_not_overlap_and_unconnected_actors_do_not_collide() -> None:
    G = city()
    pos = layout(G)
    boxes = []
    for members in nx.connected_components(G):
        xs = [pos[v][0] for v in members]
        ys = [pos[v][1] for v in members]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for a, b in itertools.combinations(boxes, 2):
        apart = a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]
        assert apart, (a, b)


def test_unconnected_actors_sit_in_a_row_below_the_groups() -> None:
    pos = layout(city())
    row = [pos[v] for v in range(100, 104)]
    assert len({y for _, y in row}) == 1
    assert [x for x, _ in row] == sorted(x for x, _ in row)
    grouped = [xy for v, xy in pos.items() if v < 100]
    assert row[0][1] > max(y for _, y in grouped)


def test_empty_graph_has_no_positions() -> None:
    assert layout(nx.Graph()) == {}


def test_anchored_layout_keeps_previous_places_and_puts_newcomers_by_their_partners() -> None:
    from portal.analysis.anchoring import anchored_layout
    from portal.analysis.fast import to_net

    G = city()
    before = layout(G, seed=5)
    G.add_edge(0, 500)  # a newcomer tied to actor 0
    G.add_edges_from([(600, 601)])  # two newcomers tied only to each other
    G.add_edge(100, 1)  # actor 100 was not yet connected
    net = to_net(G)
    pos = dict(zip(net.ids, anchored_layout(net, 5, before, unconnected_before={100, 101}),
                   strict=True))
    assert all(pos[v] == before[v] for v in before if v != 100)
    assert max(abs(pos[500][0] - pos[0][0]), abs(pos[500][1] - pos[0][1])) < 0.05
    assert max(abs(pos[100][0] - pos[1][0]), abs(pos[100][1] - pos[1][1])) < 0.05
    assert pos[600] != pos[601] and all(0 <= c <= 1 for c in pos[600] + pos[601])
    assert len(set(pos.values())) == len(pos)
