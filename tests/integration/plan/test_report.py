"""The printable plan progress report: goals, activities, indicators, the map with the plan's
partners highlighted, in one of the city's languages."""

from __future__ import annotations

import re
from typing import Any

from portal.extensions import db
from portal.plan import services as plan
from tests.integration.results.conftest import make_survey  # noqa: F401


def _with_partners(town: dict[str, Any]) -> dict[str, Any]:
    s = town["s"]
    plan.save_activity(town["city"], town["goal"], None,
                       {"title": "Joint forum", "status": "under_way"},
                       [s["Youth centre"].id, s["Police station"].id], actor=None)
    db.session.commit()
    return town


def test_report_shows_goals_activities_indicators_and_the_partners_on_the_map(client, town,
                                                                              login):
    _with_partners(town)
    login(town["member"])
    start = client.get("/c/home/plan/report")
    assert start.status_code == 302 and start.headers["Location"].endswith("/plan/report/en")
    page = client.get("/c/home/plan/report/en").get_data(as_text=True)
    assert "Progress of the local action plan" in page and "Community resilience" in page
    assert "Joint forum" in page and "under way" in page
    assert 'id="indicators"' in page and 'id="outcomes"' in page
    svg = page[page.index('<svg xmlns="http://www.w3.org/2000/svg" id="report-map"'):]
    highlighted = {int(i) for i in re.findall(r'class="node highlighted" data-id="(\d+)"', svg)}
    assert highlighted == {town["s"]["Youth centre"].id, town["s"]["Police station"].id}
    assert svg.count('opacity="0.35"') == 2  # the school and the social work centre
    assert "<script" not in page.split("</main>")[0].split("<main")[1]


def test_report_speaks_the_city_languages_only(client, town, login, make_survey):  # noqa: F811
    survey = make_survey(town["city"])
    survey.languages = ["mk", "ar"]
    db.session.commit()
    login(town["member"])
    arabic = client.get("/c/home/plan/report/ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in arabic
    picker = arabic[arabic.index('class="report-languages"'):].split("</ul>")[0]
    assert re.findall(r'hreflang="([\w-]+)"', picker) == ["en", "mk"]  # ar is the current one
    assert client.get("/c/home/plan/report/tr").status_code == 404
    assert client.get("/c/home/plan/report/nonsense").status_code == 404
    # The report's language is the report's only: the next page is in the user's language.
    assert '<html lang="en"' in client.get("/c/home/plan").get_data(as_text=True)


def test_report_without_plan_or_round_says_so(client, make_city, make_user, login):
    city = make_city(slug="empty")
    login(make_user("coordinator", city=city))
    page = client.get("/c/empty/plan/report", follow_redirects=True).get_data(as_text=True)
    assert "This city has no action plan yet." in page
    assert "The map has no mapping round yet." in page
