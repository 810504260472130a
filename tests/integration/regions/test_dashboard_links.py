"""The regional dashboard names the actors not yet connected and links only where it may."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from portal.extensions import db
from portal.models import Stakeholder
from portal.regions.presenters import NAMED_UP_TO
from portal.stakeholders import rounds, services

HREF = re.compile(r'href="([^"]+)"')
# Links a walk must not follow: they end the session or are files, not pages.
SKIP = ("/logout", "/static/")


def _row(html: str, city_name: str) -> str:
    rows = html.split('class="region-table"')[1].split("</table>")[0].split("<tr>")
    return next(row for row in rows if f">{city_name}</a>" in row)


def test_not_yet_connected_actors_are_named_and_linked_to_the_focused_map(
    region_with_cities: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    region, cities = region_with_cities
    alpha = cities[1]
    mosque = db.session.scalar(select(Stakeholder).where(
        Stakeholder.city_id == alpha.id, Stakeholder.name == "Mosque council"))
    current = rounds.current_round(alpha)
    assert mosque is not None and current is not None
    client = login(make_user("regional", region=region))
    html = client.get(f"/regions/{region.slug}/").get_data(as_text=True)
    row = _row(html, "Alpha")
    link = f"/c/{alpha.slug}/map?focus={mosque.id}&amp;round={current.id}"
    assert f'<a href="{link}"><bdi>Mosque council</bdi></a>' in row
    assert "School" not in row.split("unconnected-cell")[1]  # connected: not named
    assert "secret@example.org" not in html

    page = client.get(unescape(link))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    focus = body.split('id="map-focus"')[1].split("</p>")[0]
    assert "Mosque council" in focus and "Not yet connected" in focus
    assert f'data-focus="{mosque.id}"' in body
    focused = re.search(r'<tr class="in-focus"><th scope="row">(.*?)</th>', body)
    assert focused is not None and "<bdi>Mosque council</bdi>" in focused.group(1)


def test_many_unconnected_actors_are_capped_with_a_link_to_the_whole_list(
    region_with_cities: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    region, cities = region_with_cities
    zeta = cities[0]
    for n in range(NAMED_UP_TO + 2):
        services.create_stakeholder(zeta, {"name": f"Club {n:02d}", "sector": "youth"},
                                    actor=None)
    db.session.commit()
    html = login(make_user("regional", region=region)).get(
        f"/regions/{region.slug}/").get_data(as_text=True)
    cell = _row(html, "Zeta").split("unconnected-cell")[1].split("</td>")[0]
    assert cell.count("focus=") == NAMED_UP_TO
    assert "Club 00" in cell and "Mosque council" not in cell  # by name: Clubs come first
    assert "and 3 more" in cell and f"/c/{zeta.slug}/map?round=" in cell


def test_a_focus_that_is_not_on_the_map_is_ignored_and_a_bad_one_is_404(
    region_with_cities: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    region, cities = region_with_cities
    client = login(make_user("regional", region=region))
    other = db.session.scalar(select(Stakeholder.id).where(Stakeholder.city_id == cities[0].id))
    page = client.get(f"/c/{cities[1].slug}/map?focus={other}")
    assert page.status_code == 200 and 'id="map-focus"' not in page.get_data(as_text=True)
    assert client.get(f"/c/{cities[1].slug}/map?focus=abc").status_code == 404


def test_every_link_a_regional_user_is_shown_opens(
    region_with_cities: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    """Follow every link of the dashboard three pages deep (dashboard → map → city → rooms)."""
    region, _cities = region_with_cities
    client = login(make_user("regional", region=region))
    start = f"/regions/{region.slug}/"
    seen, queue, failed = {start}, [(start, 0)], {}
    while queue:
        url, depth = queue.pop(0)
        response = client.get(url)
        if response.status_code in (403, 404):
            failed[url] = response.status_code
        if depth == 3 or response.mimetype != "text/html":
            continue
        for href in HREF.findall(response.get_data(as_text=True)):
            target = unescape(href).split("#")[0]
            parts = urlsplit(target)
            if parts.netloc or not target.startswith("/") or target.startswith(SKIP):
                continue
            if target not in seen:
                seen.add(target)
                queue.append((target, depth + 1))
    assert failed == {}
    assert len(seen) > 20  # the walk reached the cities' maps, results, stakeholders...
    assert any("focus=" in url for url in seen)


def test_city_dashboard_shows_regional_users_only_the_rooms_they_may_open(
    region_with_cities: Any, make_user: Callable[..., Any], login: Callable[..., Any],
    client: Any
) -> None:
    region, cities = region_with_cities
    city = cities[0]
    regional = login(make_user("regional", region=region)).get(
        f"/c/{city.slug}/").get_data(as_text=True)
    assert f"/c/{city.slug}/results" in regional and "Survey results" in regional
    assert f"/c/{city.slug}/surveys/" not in regional and "Resident surveys" not in regional
    client.post("/logout")
    member = login(make_user("member", city=city)).get(f"/c/{city.slug}/").get_data(
        as_text=True)
    assert f"/c/{city.slug}/surveys/" in member
