"""The stakeholder list in pages: keyset by name, filters kept, total shown, constant queries."""

from __future__ import annotations

import re

from sqlalchemy import insert

from portal.extensions import db
from portal.models import Stakeholder
from portal.stakeholders import services


def _bulk(city, names, **fields) -> None:
    db.session.execute(insert(Stakeholder), [
        {"city_id": city.id, "name": name, **fields} for name in names])
    db.session.commit()


def _names(page: str) -> list[str]:
    return re.findall(r'/stakeholders/\d+"><bdi>([^<]+)</bdi>', page)


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_list_shows_one_page_with_the_total_and_walks_every_row_once(client, team_city):
    names = [f"Actor {i:03d}" for i in range(250)]
    _bulk(team_city, reversed(names))
    first = client.get(f"/c/{team_city.slug}/stakeholders").get_data(as_text=True)
    assert _names(first) == names[:100]
    assert "100 of 250 stakeholders shown." in first
    assert _link(first, "prev") is None
    seen, page = list(_names(first)), first
    while (following := _link(page, "next")) is not None:
        page = client.get(following).get_data(as_text=True)
        seen += _names(page)
    assert seen == names
    back = client.get(_link(page, "prev")).get_data(as_text=True)
    assert _names(back) == names[100:200]


def test_search_and_filters_are_kept_in_the_page_links(client, team_city):
    _bulk(team_city, [f"School {i:03d}" for i in range(150)], sector="education")
    _bulk(team_city, [f"School police {i:03d}" for i in range(50)], sector="police")
    page = client.get(f"/c/{team_city.slug}/stakeholders?q=school&sector=education")
    html = page.get_data(as_text=True)
    assert "100 of 150 stakeholders shown." in html
    following = _link(html, "next")
    assert "q=school" in following and "sector=education" in following
    rest = client.get(following).get_data(as_text=True)
    assert _names(rest) == [f"School {i:03d}" for i in range(100, 150)]


def test_names_sort_without_case_and_equal_names_by_id(app, make_city):
    city = make_city()
    _bulk(city, ["beta", "Alpha", "alpha centre", "Gamma"])
    page = services.list_stakeholders(city, services.Filters(), None, size=2)
    assert [r.stakeholder.name for r in page.rows] == ["Alpha", "alpha centre"]
    rest = services.list_stakeholders(city, services.Filters(), None, after=page.next_after,
                                      size=2)
    assert [r.stakeholder.name for r in rest.rows] == ["beta", "Gamma"]
    assert rest.next_after is None and rest.total == 4


def test_a_bad_or_foreign_cursor_shows_the_first_page(client, team_city, make_city,
                                                      make_stakeholder):
    _bulk(team_city, [f"Actor {i:03d}" for i in range(120)])
    elsewhere = make_stakeholder(make_city(), "Elsewhere")
    for cursor in ("abc", "²", "99999999999999999999", str(elsewhere.id)):
        response = client.get(f"/c/{team_city.slug}/stakeholders?after={cursor}")
        assert response.status_code == 200
        assert _names(response.get_data(as_text=True))[0] == "Actor 000"


def test_a_later_page_costs_the_same_queries_as_the_first(client, team_city, count_queries):
    _bulk(team_city, [f"Actor {i:04d}" for i in range(1_000)])

    def queries(url: str) -> tuple[int, str]:
        with count_queries() as statements:
            response = client.get(url)
            assert response.status_code == 200
        return len(statements), response.get_data(as_text=True)

    first, page = queries(f"/c/{team_city.slug}/stakeholders")
    for _ in range(3):
        later, page = queries(_link(page, "next"))
    assert later <= first + 1  # the cursor's own key
    assert len(_names(page)) == 100
