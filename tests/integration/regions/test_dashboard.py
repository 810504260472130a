"""The regional dashboard: who sees it, what a row holds, order, escaping, query count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from portal.extensions import db
from portal.stakeholders import rounds, services, ties


def test_regional_coordinator_sees_every_city_sorted_by_name(
    region_with_cities: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    region, _cities = region_with_cities
    html = login(make_user("regional", region=region)).get(
        f"/regions/{region.slug}/").get_data(as_text=True)
    table = html.split('class="region-table"')[1].split("</table>")[0]
    assert table.index("Alpha") < table.index("Mu") < table.index("Zeta")
    assert html.count('class="map-svg"') == 3
    assert "/c/city-" in html and "/map" in html


def test_regional_coordinator_sees_no_contact_fields(
    region_with_cities: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    region, cities = region_with_cities
    client = login(make_user("regional", region=region))
    for url in (f"/regions/{region.slug}/", f"/c/{cities[0].slug}/map",
                f"/c/{cities[0].slug}/map.json", f"/c/{cities[0].slug}/report"):
        body = client.get(url).get_data(as_text=True)
        assert "secret@example.org" not in body


@pytest.mark.parametrize("role", ["member", "coordinator", "other-regional"])
def test_others_get_404(region_with_cities: Any, make_user: Callable[..., Any],
                        make_region: Callable[..., Any], login: Callable[..., Any],
                        role: str) -> None:
    region, cities = region_with_cities
    if role == "other-regional":
        user = make_user("regional", region=make_region())
    else:
        user = make_user(role, city=cities[0])
    assert login(user).get(f"/regions/{region.slug}/").status_code == 404


def test_admin_sees_the_dashboard_and_unknown_region_is_404(
    region_with_cities: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    region, _cities = region_with_cities
    client = login(make_user("admin"))
    assert client.get(f"/regions/{region.slug}/").status_code == 200
    assert client.get("/regions/no-such-region/").status_code == 404


def test_row_shows_change_since_the_previous_round(
    region_with_cities: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    region, cities = region_with_cities
    city = cities[1]  # Alpha
    later = rounds.create_round(city, "Follow-up", date(2025, 9, 1), actor=None)
    from sqlalchemy import select

    from portal.models import Stakeholder
    people = {s.name: s for s in db.session.scalars(
        select(Stakeholder).where(Stakeholder.city_id == city.id))}
    # Baseline: School - Police, the mosque council alone; follow-up: all three connected.
    ties.add_ties(city, people["Police"], later,
                  [ties.TieEntry(people["Mosque council"].id, "referral", "weekly"),
                   ties.TieEntry(people["School"].id, "information", "monthly")], actor=None)
    db.session.commit()
    html = login(make_user("regional", region=region)).get(
        f"/regions/{region.slug}/").get_data(as_text=True)
    rows = html.split('class="region-table"')[1].split("</table>")[0].split("<tr>")
    alpha = next(row for row in rows if ">Alpha</a>" in row)
    change = " ".join(alpha.split("since Baseline:</span>")[1].split("</td>")[0].split())
    assert change == "stakeholders +0, ties +1, density +0.333, not yet connected -1"
    others = [row for row in rows if ">Zeta</a>" in row or ">Mu</a>" in row]
    assert len(others) == 2 and all("no earlier round" in row for row in others)


def test_home_links_regional_users_to_their_dashboard(
    region_with_cities: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    region, cities = region_with_cities
    html = login(make_user("regional", region=region)).get("/cities").get_data(as_text=True)
    assert f"/regions/{region.slug}/" in html


def test_home_of_a_member_has_no_regional_link(
    region_with_cities: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    region, cities = region_with_cities
    html = login(make_user("member", city=cities[0])).get("/cities").get_data(as_text=True)
    assert "/regions/" not in html


def test_city_names_with_markup_are_escaped(
    make_region: Callable[..., Any], mapped_city: Callable[..., Any],
    make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    region = make_region()
    mapped_city(region, "<b>Evil</b>", first="<script>x</script>")
    html = login(make_user("regional", region=region)).get(
        f"/regions/{region.slug}/").get_data(as_text=True)
    assert "<b>Evil</b>" not in html and "&lt;b&gt;Evil" in html


def test_dashboard_queries_grow_linearly_not_per_stakeholder(
    make_region: Callable[..., Any], mapped_city: Callable[..., Any],
    make_user: Callable[..., Any], login: Callable[..., Any], count_queries: Callable[[], Any]
) -> None:
    region = make_region()
    city = mapped_city(region, "One")
    client = login(make_user("regional", region=region))
    client.get(f"/regions/{region.slug}/")  # fill the cache
    with count_queries() as before:
        client.get(f"/regions/{region.slug}/")
    for i in range(15):
        services.create_stakeholder(city, {"name": f"Extra {i}", "sector": "other"}, actor=None)
    db.session.commit()
    client.get(f"/regions/{region.slug}/")
    with count_queries() as after:
        client.get(f"/regions/{region.slug}/")
    assert len(after) == len(before)


def test_region_service_returns_plain_data_and_the_presenter_draws_the_map(
    app: Any, region_with_cities: Any,
) -> None:
    from markupsafe import Markup

    from portal.regions import presenters
    from portal.regions import services as region_services

    region, _cities = region_with_cities
    rows = region_services.region_rows(region)
    assert [row["city"].name for row in rows] == ["Alpha", "Mu", "Zeta"]
    assert not any(isinstance(value, Markup) for row in rows for value in row.values())
    with app.test_request_context():  # only the presenter translates
        drawn = presenters.dashboard_row(rows[0])
    assert isinstance(drawn["mini"], Markup) and 'id="mini-' in drawn["mini"]
