"""The accelerated metrics equal NetworkX's to 1e-6."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.analysis import fast
from portal.analysis.structure import cut_structure

KNOWN = {
    "karate": nx.karate_club_graph,
    "florentine": nx.florentine_families_graph,
    "kite": nx.krackhardt_kite_graph,
}
TOL = 1e-6


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    """Draw a small random simple graph, possibly disconnected, with weights 1..8."""
    n = draw(st.integers(0, 18))
    G = nx.Graph()
    G.add_nodes_from(range(n))
    if n > 1:
        pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
        for u, v in draw(st.lists(pairs, max_size=40)):
            if u != v:
                G.add_edge(u, v, weight=draw(st.integers(1, 8)))
    return G


def close(ours: list[float | None], theirs: dict, G: nx.Graph, net: fast.Net) -> None:
    """Assert two per-node results agree (None for NaN)."""
    for value, v in zip(ours, net.ids, strict=True):
        if math.isnan(theirs[v]):
            assert value is None
        else:
            assert value == pytest.approx(theirs[v], abs=TOL)


def check_all(G: nx.Graph) -> None:
    """Compare every accelerated metric with NetworkX on G."""
    net = fast.to_net(G)
    close(fast.betweenness(net.g), nx.betweenness_centrality(G), G, net)
    close(fast.closeness(net.g), nx.closeness_centrality(G), G, net)
    assert dict(zip(net.ids, net.g.coreness(), strict=True)) == nx.core_number(G)
    if G.number_of_edges():
        close(fast.constraint(net.g), nx.constraint(G, nodes=list(G)), G, net)
        weighted = nx.constraint(G, nodes=list(G), weight="weight")
        close(fast.constraint(net.g, "weight"), weighted, G, net)
        close(fast.effective_size(net.g), nx.effective_size(G), G, net)
    cuts = cut_structure(net.g.get_adjlist())
    assert {net.ids[v] for v in cuts.cut_off} == set(nx.articulation_points(G))
    ours = {frozenset((net.ids[u], net.ids[v])) for u, v in cuts.bridges}
    assert ours == {frozenset(e) for e in nx.bridges(G)}


@pytest.mark.parametrize("name", KNOWN)
def test_metrics_match_networkx_on_known_graphs(name: str) -> None:
    check_all(KNOWN[name]())


@settings(max_examples=80, deadline=None)
@given(graphs())
def test_metrics_match_networkx_on_random_graphs(G: nx.Graph) -> None:
    check_all(G)


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_cut_off_counts_actors_separated_from_the_largest_part(G: nx.Graph) -> None:
    net = fast.to_net(G)
    cuts = cut_structure(net.g.get_adjlist())
    for v, cut_off in cuts.cut_off.items():
        node = net.ids[v]
        component = nx.node_connected_component(G, node) - {node}
        largest = max(len(c) for c in nx.connected_components(G.subgraph(component)))
        assert cut_off == len(component) - largest > 0


def test_kite_betweenness_known_value() -> None:
    net = fast.to_net(nx.krackhardt_kite_graph())
    assert fast.betweenness(net.g)[7] == pytest.approx(0.388889, abs=TOL)


def test_communities_are_deterministic_and_numbered_by_smallest_member() -> None:
    net = fast.to_net(nx.karate_club_graph())
    first = fast.communities(net.g, net.ids, seed=3)
    assert first == fast.communities(net.g, net.ids, seed=3)
    firsts = [first.index(c) for c in sorted(set(first))]
    assert firsts == sorted(firsts) and first[0] == 0


@pytest.mark.parametrize("chunk", [64, 128, 2048])
def test_distance_sums_are_exact_across_words_and_chunks(monkeypatch, chunk):
    """Several 64-bit words per source set, several chunks of sources, several components."""
    from portal.analysis import distances

    monkeypatch.setattr(distances, "CHUNK", chunk)
    G = nx.disjoint_union_all([nx.connected_watts_strogatz_graph(180, 4, 0.2, seed=3),
                               nx.path_graph(7), nx.empty_graph(3)])
    net = fast.to_net(G)
    sums, reached = distances.distance_sums(net.g)
    for v, sid in enumerate(net.ids):
        lengths = nx.single_source_shortest_path_length(G, sid)
        assert (int(sums[v]), int(reached[v])) == (sum(lengths.values()), len(lengths))
    assert fast.closeness(net.g) == pytest.approx(
        [nx.closeness_centrality(G)[sid] for sid in net.ids], abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(graphs(), st.data())
def test_adjacency_plus_one_tie_is_igraphs(G: nx.Graph, data: st.DataObject) -> None:
    """The suggestions add a tie to the adjacency lists instead of asking igraph again."""
    from portal.analysis.suggest import with_tie

    net = fast.to_net(G)
    n = net.g.vcount()
    if n < 2:
        return
    u = data.draw(st.integers(0, n - 1))
    v = data.draw(st.integers(0, n - 1).filter(lambda w: w != u))
    adj = net.g.get_adjlist()
    g = net.g.copy()
    if g.are_adjacent(u, v):
        return
    g.add_edge(u, v)
    assert with_tie(adj, u, v) == g.get_adjlist()
    assert adj == net.g.get_adjlist()  # the input is left as it was
