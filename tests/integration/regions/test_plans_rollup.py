"""The regional roll-up of the action plans: cities side by side, by name, no ranking."""

from __future__ import annotations

import re
from datetime import date

import pytest

from portal.extensions import db
from portal.plan import services as plan
from portal.stakeholders import rounds


def test_rollup_puts_the_cities_side_by_side_in_alphabetical_order(
        client, region_with_cities, make_user, login):
    region, cities = region_with_cities
    zeta = next(c for c in cities if c.name == "Zeta")
    plan.start_plan(zeta, "Zeta plan", actor=None)
    goal = plan.save_goal(zeta, None, {"title": "Goal"}, actor=None)
    plan.save_activity(zeta, goal, None, {"title": "Forum", "status": "done"}, [], actor=None)
    db.session.commit()
    login(make_user("regional", region=region))
    page = client.get(f"/regions/{region.slug}/plan").get_data(as_text=True)
    head = page[page.index("<thead>"):page.index("</thead>")]
    assert re.findall(r"<bdi>(\w+)</bdi>", head) == ["Alpha", "Mu", "Zeta"]
    assert "Zeta plan" in page and "1 of 1 activity done" in page
    assert "Density among team members" in page and "Reach to the national level" in page
    for word in ("best", "worst", "rank", "top "):
        assert word not in page.lower().split("<main")[1]


def test_dashboard_links_the_rollup(client, region_with_cities, make_user, login):
    region, _cities = region_with_cities
    login(make_user("regional", region=region))
    page = client.get(f"/regions/{region.slug}/").get_data(as_text=True)
    assert f'href="/regions/{region.slug}/plan"' in page


def test_admin_sees_every_city_of_the_region(client, region_with_cities, make_user, login):
    region, cities = region_with_cities
    login(make_user("admin"))
    page = client.get(f"/regions/{region.slug}/plan").get_data(as_text=True)
    assert all(f"<bdi>{c.name}</bdi>" in page for c in cities)


@pytest.mark.parametrize("role", ["regional-elsewhere", "coordinator", "member"])
def test_anyone_but_the_region_s_coordinators_gets_404(client, region_with_cities, make_user,
                                                       make_region, login, role):
    region, cities = region_with_cities
    if role == "regional-elsewhere":
        login(make_user("regional", region=make_region()))
    else:
        login(make_user(role, city=cities[0]))
    assert client.get(f"/regions/{region.slug}/plan").status_code == 404


@pytest.mark.parametrize(("lang", "since"), [("en", "since Baseline"), ("mk", "од Baseline"),
                                             ("ar", "منذ Baseline")])
def test_rollup_names_the_earlier_round_without_a_stray_colon(
        client, region_with_cities, make_user, login, lang, since):
    region, cities = region_with_cities
    first = rounds.current_round(cities[0])
    rounds.create_round(cities[0], "Follow-up", date(2025, 9, 1), copy_from=first, actor=None)
    db.session.commit()
    login(make_user("regional", region=region))
    page = client.get(f"/regions/{region.slug}/plan?lang={lang}").get_data(as_text=True)
    assert f'<span class="muted">({since})</span>' in page
    assert f"{since}:" not in page
