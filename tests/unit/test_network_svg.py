"""The printable map's labels: on a dense map no two names overlap."""

from __future__ import annotations

import itertools
import re
from typing import Any

from flask import Flask

from portal.analysis.network import analyse
from portal.networks import svg


def _dense_map() -> dict[str, Any]:
    """Forty actors in one tight cluster (a wheel): most labels would collide."""
    people = [{"id": i, "name": f"Youth organisation no. {i}", "sector": "youth",
               "level": "local"} for i in range(40)]
    ties = [{"source": 0, "target": i, "kind": "referral", "frequency": "weekly"}
            for i in range(1, 40)]
    ties += [{"source": i, "target": i + 1, "kind": "referral", "frequency": "weekly"}
             for i in range(1, 39)]
    return analyse(people, ties)


def test_labels_of_a_dense_map_never_overlap(app: Flask) -> None:
    with app.test_request_context():
        picture = str(svg.map_svg(_dense_map(), title="Dense"))
    labels = re.findall(r'<text x="([\d.]+)" y="([\d.]+)">([^<]+)</text>', picture)
    assert 1 <= len(labels) < 40  # some names are left to the tables
    boxes = [(float(x) - len(t) * svg.CHAR_WIDTH / 2, float(y) - 10,
              float(x) + len(t) * svg.CHAR_WIDTH / 2, float(y) + 3) for x, y, t in labels]
    for a, b in itertools.combinations(boxes, 2):
        assert not svg._overlap(a, b), (a, b)
    # The most central actor (the hub) always keeps its label.
    assert any(t.endswith(" 0") for _x, _y, t in labels)


def test_highlighted_actors_get_a_ring_and_the_others_fade(app: Flask) -> None:
    with app.test_request_context():
        picture = str(svg.map_svg(_dense_map(), title="Dense", highlight={0, 5}))
        plain = str(svg.map_svg(_dense_map(), title="Dense"))
    assert sorted(re.findall(r'class="node highlighted" data-id="(\d+)"', picture)) == ["0", "5"]
    assert picture.count('class="halo"') == 2 and picture.count('opacity="0.35"') == 38
    assert 'class="halo"' not in plain and ' opacity="0.35"' not in plain
