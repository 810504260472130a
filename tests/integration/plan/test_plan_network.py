"""The plan and the map, both ways: "Add to the plan" and expected against observed ties."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import PlanActivity
from portal.plan import services as plan
from portal.stakeholders import rounds, ties


def test_add_to_the_plan_from_a_suggested_introduction_creates_the_linked_activity(
        client, town, login):
    s = town["s"]
    ties.add_ties(town["city"], s["Youth centre"], town["round"],
                  [ties.TieEntry(s["School no. 3"].id, "referral", "weekly")], actor=None)
    ties.add_ties(town["city"], s["Police station"], town["round"],
                  [ties.TieEntry(s["Social work centre"].id, "information", "monthly")],
                  actor=None)
    db.session.commit()
    login(town["coordinator"])
    page = client.get("/c/home/map").get_data(as_text=True)
    form = re.search(r'<form method="post" class="add-to-plan"(.*?)</form>', page, re.S)
    assert form is not None, "no Add to the plan on the map"
    fields = dict(re.findall(r'name="(a|b|source)" value="([^"]*)"', form.group(1)))
    response = client.post("/c/home/plan/introductions", data={
        **fields, "goal_id": town["goal"].id})
    assert response.status_code == 302
    activity = db.session.scalar(select(PlanActivity))
    names = {p.name for p in activity.partners}
    assert len(names) == 2 and activity.title == "Introduce {} to {}".format(
        *(next(p.name for p in activity.partners if p.id == int(fields[k])) for k in "ab"))
    assert activity.source == f"suggestion:{fields['source']}:{fields['a']}-{fields['b']}"
    assert activity.goal_id == town["goal"].id and activity.status == "planned"
    assert response.headers["Location"].endswith(f"/plan/activities/{activity.id}/edit")


def test_member_sees_no_add_to_the_plan_and_may_not_post_it(client, town, login):
    s = town["s"]
    login(town["member"])
    page = client.get("/c/home/map").get_data(as_text=True)
    assert "add-to-plan" not in page
    response = client.post("/c/home/plan/introductions", data={
        "a": s["Youth centre"].id, "b": s["Police station"].id, "goal_id": town["goal"].id})
    assert response.status_code == 403


def test_add_to_the_plan_refuses_a_stakeholder_of_another_city(client, town, login, make_city):
    from portal.stakeholders import services

    away = services.create_stakeholder(make_city(slug="away"), {"name": "Foreign NGO"},
                                       actor=None)
    db.session.commit()
    login(town["coordinator"])
    response = client.post("/c/home/plan/introductions", data={
        "a": town["s"]["Youth centre"].id, "b": away.id, "goal_id": town["goal"].id})
    assert response.status_code == 404
    assert db.session.scalar(select(PlanActivity.id)) is None


def test_missing_partner_tie_appears_then_is_reported_recorded_by_a_later_round(
        client, town, login):
    s, city = town["s"], town["city"]
    activity = plan.save_activity(
        city, town["goal"], None, {"title": "Referral protocol", "status": "planned"},
        [s["Youth centre"].id, s["Police station"].id], actor=None)
    db.session.commit()
    login(town["member"])
    url = f"/c/home/plan/activities/{activity.id}"
    page = client.get(url).get_data(as_text=True)
    assert "1 pair of partners has no tie in the current mapping round yet" in page
    assert "no tie yet in the current round" in page
    follow_up = rounds.create_round(city, "Follow-up", date(2026, 1, 20), actor=None)
    ties.add_ties(city, s["Youth centre"], follow_up,
                  [ties.TieEntry(s["Police station"].id, "referral", "monthly")], actor=None)
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "has no tie in the current mapping round" not in page
    assert "tie now recorded in round <bdi>Follow-up</bdi>" in page


def test_partners_already_tied_when_planned_are_not_a_gap(client, town, login):
    s, city = town["s"], town["city"]
    ties.add_ties(city, s["Youth centre"], town["round"],
                  [ties.TieEntry(s["School no. 3"].id, "referral", "weekly")], actor=None)
    db.session.commit()
    activity = plan.save_activity(
        city, town["goal"], None, {"title": "Joint forum", "status": "planned"},
        [s["Youth centre"].id, s["School no. 3"].id, s["Police station"].id], actor=None)
    db.session.commit()
    login(town["member"])
    page = client.get(f"/c/home/plan/activities/{activity.id}").get_data(as_text=True)
    assert page.count("already tied when the activity was planned") == 1
    assert "2 pairs of partners have no tie" in page




def test_add_to_the_plan_from_an_actor_not_yet_connected(client, town, login):
    s = town["s"]
    ties.add_ties(town["city"], s["Youth centre"], town["round"],
                  [ties.TieEntry(s["School no. 3"].id, "referral", "weekly"),
                   ties.TieEntry(s["Police station"].id, "referral", "weekly")], actor=None)
    db.session.commit()
    login(town["coordinator"])
    page = client.get("/c/home/map").get_data(as_text=True)
    lonely = s["Social work centre"].id
    assert f'name="a" value="{lonely}"><input type="hidden" name="b" value="">' in page
    response = client.post("/c/home/plan/introductions", data={
        "a": lonely, "b": "", "source": "not_connected", "goal_id": town["goal"].id})
    assert response.status_code == 302
    activity = db.session.scalar(select(PlanActivity))
    assert activity.title == "Connect Social work centre with the network"
    assert [p.id for p in activity.partners] == [lonely]
    assert activity.source == f"gap:not_connected:{lonely}"
    page = client.get(f"/c/home/plan/activities/{activity.id}").get_data(as_text=True)
    assert "an actor not yet connected" in page


@pytest.mark.parametrize("data", [
    {"a": "x", "b": ""}, {"a": "", "b": "3"}, {"a": "7", "b": "7"}, {"a": "7", "b": "y"},
])
def test_add_to_the_plan_refuses_malformed_ids_with_400(client, town, login, data):
    login(town["coordinator"])
    response = client.post("/c/home/plan/introductions", data={
        **data, "goal_id": town["goal"].id})
    assert response.status_code == 400
    assert db.session.scalar(select(PlanActivity.id)) is None


def test_add_to_the_plan_from_a_single_point_of_failure(client, town, login):
    s = town["s"]
    hub = s["Youth centre"]
    ties.add_ties(town["city"], hub, town["round"],
                  [ties.TieEntry(s["School no. 3"].id, "referral", "weekly"),
                   ties.TieEntry(s["Police station"].id, "referral", "weekly")], actor=None)
    db.session.commit()
    login(town["coordinator"])
    page = client.get("/c/home/map").get_data(as_text=True)
    section = page[page.index('id="gaps-spof"'):]
    section = section[:section.index("</section>")]
    assert (f'name="a" value="{hub.id}"><input type="hidden" name="b" value=""><input '
            f'type="hidden" name="source" value="single_point_of_failure">') in section
    response = client.post("/c/home/plan/introductions", data={
        "a": hub.id, "b": "", "source": "single_point_of_failure", "goal_id": town["goal"].id})
    assert response.status_code == 302
    activity = db.session.scalar(select(PlanActivity))
    assert activity.title == "Add a second route around Youth centre"
    assert activity.source == f"gap:single_point_of_failure:{hub.id}"
    page = client.get(f"/c/home/plan/activities/{activity.id}").get_data(as_text=True)
    assert "a single point of failure, on the coordination map" in page
