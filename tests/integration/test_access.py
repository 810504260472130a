"""Role × route matrix: who may open which city route."""

from __future__ import annotations

import pytest
from flask import Flask

READ_ROUTES = ["/c/{city}/"]
COORDINATOR_ROUTES = ["/c/{city}/team/invite"]


def city_routes(app: Flask) -> list[str]:
    """Every GET route under /c/<city>/ without further arguments, from the URL map."""
    routes = []
    for rule in app.url_map.iter_rules():
        if (rule.rule.startswith("/c/<city>") and "GET" in rule.methods
                and rule.arguments == {"city"}):
            routes.append(rule.rule.replace("<city>", "{city}"))
    return sorted(routes)


@pytest.fixture
def two_cities(make_city, make_region):
    region = make_region()
    return make_city(slug="home", region=region), make_city(slug="away", region=make_region())


def test_every_city_route_is_in_the_matrix(app):
    routes = city_routes(app)
    assert set(READ_ROUTES + COORDINATOR_ROUTES) <= set(routes)


def test_member_of_other_city_gets_404_on_every_city_route(
        app, client, two_cities, make_user, login):
    home, away = two_cities
    login(make_user("coordinator", city=home))
    for route in city_routes(app):
        assert client.get(route.format(city="away")).status_code == 404, route
        assert client.get(route.format(city="home")).status_code in (200, 302), route


def test_unknown_city_gets_404(client, make_user, login):
    login(make_user("admin"))
    assert client.get("/c/nowhere/").status_code == 404


def test_anonymous_user_is_sent_to_login(client, two_cities):
    response = client.get("/c/home/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "read", "invite"),
    [
        ("admin", 200, 200),
        ("coordinator", 200, 200),
        ("member", 200, 403),
        ("regional", 200, 403),
        ("regional-elsewhere", 404, 404),
        ("nobody", 404, 404),
    ],
)
def test_role_matrix(client, two_cities, make_user, make_region, login, role, read, invite):
    home, _away = two_cities
    if role == "regional":
        user = make_user("regional", region=home.region)
    elif role == "regional-elsewhere":
        user = make_user("regional", region=make_region())
    elif role == "nobody":
        user = make_user("member")
    else:
        user = make_user(role, city=home)
    login(user)
    assert client.get("/c/home/").status_code == read
    assert client.get("/c/home/team/invite").status_code == invite


def test_regional_coordinator_sees_only_cities_of_their_region(client, make_city, make_region,
                                                                make_user, login):
    north, south = make_region(), make_region()
    make_city(name="Northtown", region=north)
    make_city(name="Southtown", region=south)
    login(make_user("regional", region=north))
    page = client.get("/cities").get_data(as_text=True)
    assert "Northtown" in page
    assert "Southtown" not in page


@pytest.mark.parametrize("role", ["member", "coordinator", "regional", "nobody"])
def test_admin_pages_are_404_for_non_admins(client, two_cities, make_user, login, role):
    home, _ = two_cities
    login(make_user(role, city=home, region=home.region))
    for url in ("/admin/", "/admin/cities/new", f"/admin/cities/{home.id}"):
        assert client.get(url).status_code == 404
    assert client.post("/admin/regions", data={"slug": "x", "name": "X"}).status_code == 404
