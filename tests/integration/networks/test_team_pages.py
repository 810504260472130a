"""From insight to next step: the gap panel's order, the sector-pair threshold, working
groups, explanations, stakeholder links, the server-side PNG and the city dashboard's status."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PIL import Image

from portal.extensions import db
from portal.models import City
from portal.networks.presenters import GROUP_PALETTE
from portal.stakeholders import rounds, services, ties

from .conftest import KnownMap


def _people(city: City, rows: list[tuple[str, str]]) -> list[Any]:
    return [services.create_stakeholder(city, {"name": name, "sector": sector, "level": "local"},
                                        actor=None) for name, sector in rows]


def _tie(city: City, round_: Any, a: Any, b: Any) -> None:
    ties.add_ties(city, a, round_, [ties.TieEntry(b.id, "information", "monthly")], actor=None)


@pytest.fixture
def sector_city(make_city: Callable[..., City]) -> City:
    """Police–youth would meet by chance (1 tie expected); media–police, media–youth would not."""
    city = make_city()
    r = rounds.create_round(city, "Baseline", date(2025, 1, 15), actor=None)
    p1, p2, y1, y2, h, m = _people(city, [
        ("Police A", "police"), ("Police B", "police"), ("Youth A", "youth"),
        ("Youth B", "youth"), ("Health centre", "health"), ("Radio", "media")])
    for a, b in [(p1, p2), (y1, y2), (p2, h), (y2, h), (h, m), (p1, h)]:
        _tie(city, r, a, b)
    db.session.commit()
    return city


@pytest.fixture
def two_groups(make_city: Callable[..., City]) -> tuple[City, list[Any]]:
    """Two groups of four that work among themselves, joined by one tie."""
    city = make_city()
    r = rounds.create_round(city, "Baseline", date(2025, 1, 15), actor=None)
    people = _people(city, [(f"School {i}", "education") for i in range(4)]
                     + [(f"Clinic {i}", "health") for i in range(4)])
    for group in (people[:4], people[4:]):
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                _tie(city, r, a, b)
    _tie(city, r, people[0], people[4])
    db.session.commit()
    return city, people


def _block(html: str, block_id: str) -> str:
    return html.split(f'id="{block_id}"')[1].split("</section>")[0]


def _member(city: City, make_user: Callable[..., Any], login: Callable[..., Any]) -> Any:
    return login(make_user("member", city=city))


def test_sector_pairs_are_listed_only_when_at_least_one_tie_is_expected(
    sector_city: City, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    html = _member(sector_city, make_user, login).get(
        f"/c/{sector_city.slug}/map").get_data(as_text=True)
    block = _block(html, "gaps-pairs")
    assert block.count("<li>") == 1
    assert "<li>Youth work and Police never meet (ties expected: about 1).</li>" in block
    assert "Media" not in block.split('class="muted pairs-unlikely"')[0]
    assert "2 other pairs of sectors have no tie, but would share less than one tie" in block
    assert f'href="/c/{sector_city.slug}/heatmap' in block
    # The figure still counts every pair that never meets.
    assert re.search(r"Sector pairs that never meet</dt><dd>3</dd>", html)


def test_the_three_first_actions_come_before_the_gap_lists(
    known: KnownMap, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    from portal.networks.services import get_analysis

    suggestions = get_analysis(known.city)["suggestions"]
    html = _member(known.city, make_user, login).get(
        f"/c/{known.city.slug}/map").get_data(as_text=True)
    gaps = html.split('id="gaps-title"')[1]
    actions = _block(gaps, "gaps-actions")
    assert actions.count("<li>") == min(3, len(suggestions)) > 0
    assert "Introduce" in actions and "counted from the map as it is today" in actions
    assert gaps.index('id="gaps-actions"') < gaps.index('id="gaps-unconnected"')
    assert gaps.index('id="gaps-unconnected"') < gaps.index('id="gaps-national"')
    if len(suggestions) > 3:
        assert gaps.index('id="gaps-national"') < gaps.index('id="gaps-suggestions"')


@pytest.fixture
def known(build_map: Callable[..., KnownMap]) -> KnownMap:
    return build_map()


def test_working_groups_are_shown_with_a_plain_sentence_in_table_and_map(
    two_groups: tuple[City, list[Any]], make_user: Callable[..., Any],
    login: Callable[..., Any]
) -> None:
    city, people = two_groups
    client = _member(city, make_user, login)
    html = client.get(f"/c/{city.slug}/map").get_data(as_text=True)
    groups = _block(html, "groups-title")
    # 6 ties inside each group, 7 touching it (the one tie between the groups)
    assert groups.count("These 4 actors work mostly among themselves: 86% of their ties "
                        "stay within the group.") == 2
    assert "Clinic 0" in groups and "School 3" in groups
    table = html.split('class="actor-table"')[1].split("</table>")[0]
    rows = re.findall(r'<bdi>(\w+ \d)</bdi></a></th>.*?<td class="num">([12–])</td>', table,
                      flags=re.S)
    assert len(rows) == 8 and {g for _, g in rows} == {"1", "2"}
    assert len({g for name, g in rows if name.startswith("School")}) == 1
    coloured = client.get(f"/c/{city.slug}/map?colour=group").get_data(as_text=True)
    svg = coloured.split('class="map-svg"')[1].split("</svg>")[0]
    assert GROUP_PALETTE[0] in svg and GROUP_PALETTE[1] in svg
    assert 'value="group" selected' in coloured or '<option selected value="group">' in coloured
    data = client.get(f"/c/{city.slug}/map.json").get_json()
    assert data["fields"][-1] == "group" and {n[-1] for n in data["nodes"]} == {1, 2}
    assert len(data["groups"]) == 2 and data["groups"][0][0] == GROUP_PALETTE[0]


def test_measures_are_explained_in_plain_words_where_they_appear(
    known: KnownMap, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    client = _member(known.city, make_user, login)
    html = client.get(f"/c/{known.city.slug}/map").get_data(as_text=True)
    figures = html.split('class="figures"')[1].split("</dl>")[0]
    for words in ("Density: the share of all possible pairs", "Centralisation: how much",
                  "Single point of failure: an actor"):
        assert words in figures
    assert figures.count("What to do:") == 3
    table = html.split('id="actors-title"')[1]
    for words in ("Ties (degree):", "Betweenness: how often", "Closeness: how near"):
        assert words in table
    panel = client.get(f"/c/{known.city.slug}/map.json?lang=mk").get_json()["t"]
    assert panel["about_betweenness"] and not panel["about_betweenness"].startswith("Between")


def test_actor_table_and_panel_link_to_each_stakeholders_page(
    known: KnownMap, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    client = _member(known.city, make_user, login)
    html = client.get(f"/c/{known.city.slug}/map").get_data(as_text=True)
    for short in known.people:
        link = f'href="/c/{known.city.slug}/stakeholders/{known.id(short)}"'
        assert link in html
        assert client.get(f"/c/{known.city.slug}/stakeholders/{known.id(short)}"
                          ).status_code == 200
    assert f'data-link="/c/{known.city.slug}/stakeholders/{{id}}"' in html


def test_map_png_is_drawn_on_the_server_for_readers_without_javascript(
    two_groups: tuple[City, list[Any]], make_user: Callable[..., Any],
    login: Callable[..., Any]
) -> None:
    city, _people_ = two_groups
    client = _member(city, make_user, login)
    html = client.get(f"/c/{city.slug}/map").get_data(as_text=True)
    assert f'href="/c/{city.slug}/map.png' in html.split('id="exports-title"')[1]
    response = client.get(f"/c/{city.slug}/map.png")
    assert response.mimetype == "image/png"
    assert "attachment" in response.headers["Content-Disposition"]
    image = Image.open(io.BytesIO(response.data)).convert("RGB")
    assert image.width >= 1440
    colours = {c for _, c in image.getcolors(maxcolors=1 << 20)}
    assert (0xE6, 0x9F, 0x00) in colours  # education (Okabe–Ito orange)
    grouped = Image.open(io.BytesIO(client.get(f"/c/{city.slug}/map.png?colour=group").data))
    group_colours = {c for _, c in grouped.convert("RGB").getcolors(maxcolors=1 << 20)}
    assert (0xCC, 0x66, 0x77) in group_colours and (0xE6, 0x9F, 0x00) not in group_colours
    assert client.get(f"/c/{city.slug}/map.png?kind=nope").status_code == 400


def test_names_in_arabic_gap_sentences_are_isolated(
    known: KnownMap, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    html = _member(known.city, make_user, login).get(
        f"/c/{known.city.slug}/map?lang=ar").get_data(as_text=True)
    assert "<li><bdi>Health centre</bdi></li>" in _block(html, "gaps-unconnected")
    actions = _block(html, "gaps-actions")
    assert actions.count("<bdi>") >= 2 and "\u2068" not in actions


def test_city_dashboard_shows_where_the_city_stands(
    known: KnownMap, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    from portal.testing import fake

    open_now = fake.build_demo_survey(known.city, slug="open-now", wave="Baseline")
    open_now.status = "open"
    closed = fake.build_demo_survey(known.city, slug="closed", wave="Earlier")
    closed.status = "closed"
    db.session.flush()
    fake.insert_responses(open_now, 12, seed=3)
    fake.insert_responses(closed, 5, seed=4)  # a closed survey's responses are not "so far"
    db.session.commit()
    html = _member(known.city, make_user, login).get(
        f"/c/{known.city.slug}/").get_data(as_text=True)
    status = html.split('id="status-title"')[1].split("</section>")[0]
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", status))
    assert figures["Stakeholders"] == "6"
    assert figures["Ties in the current round"] == "4"
    assert figures["Current mapping round"] == "<bdi>Baseline</bdi> (January 15, 2025)"
    assert figures["Open surveys"] == "1"
    assert figures["Responses so far to the open surveys"] == "12"
    assert "2025" in figures["Last change"] or str(date.today().year) in figures["Last change"]
