"""Meetings and trainings: who may do what, the attendance checklist, audit, bad input, and
"met at events but report no working tie"."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Event
from portal.plan import events
from portal.stakeholders import ties


def _event(town: dict[str, Any], title: str = "Team meeting", day: int = 3,
           attendees: tuple[str, ...] = ()) -> Event:
    event = events.save_event(town["city"], None, {"kind": "meeting", "title": title,
                                                   "held_on": date(2026, 2, day)}, actor=None)
    events.set_attendance(town["city"], event, [town["s"][n].id for n in attendees], actor=None)
    db.session.commit()
    return event


@pytest.mark.parametrize(("role", "read", "enter"), [
    ("admin", 200, 200),
    ("coordinator", 200, 200),
    ("member", 200, 200),
    ("regional", 200, 403),
    ("regional-elsewhere", 404, 404),
    ("member-elsewhere", 404, 404),
])
def test_role_matrix_of_the_event_pages(client, town, make_user, make_city, make_region, login,
                                        role, read, enter):
    event = _event(town, attendees=("Youth centre",))
    users = {
        "admin": lambda: make_user("admin"),
        "coordinator": lambda: town["coordinator"],
        "member": lambda: town["member"],
        "regional": lambda: make_user("regional", region=town["city"].region),
        "regional-elsewhere": lambda: make_user("regional", region=make_region()),
        "member-elsewhere": lambda: make_user("member", city=make_city(slug="away")),
    }
    login(users[role]())
    base = "/c/home/plan/events"
    for url in (base, f"{base}/{event.id}"):
        assert client.get(url).status_code == read, url
    for url in (f"{base}/new", f"{base}/{event.id}/edit"):
        assert client.get(url).status_code == enter, url
    school = town["s"]["School no. 3"].id
    response = client.post(f"{base}/{event.id}/attendance", data={"partner": [school]})
    assert response.status_code == (302 if enter == 200 else enter)
    db.session.expire_all()
    names = [s.name for s in db.session.get(Event, event.id).attendees]
    assert names == (["School no. 3"] if enter == 200 else ["Youth centre"])


def test_regional_coordinator_reads_the_attendance_without_a_checklist(
        client, town, make_user, login):
    event = _event(town, attendees=("Youth centre", "Police station"))
    login(make_user("regional", region=town["city"].region))
    page = client.get(f"/c/home/plan/events/{event.id}").get_data(as_text=True)
    assert "Police station" in page and "Youth centre" in page
    assert 'type="checkbox"' not in page


def test_member_enters_an_event_ticks_who_came_and_every_change_is_audited(
        client, town, login):
    login(town["member"])
    response = client.post("/c/home/plan/events/new", data={
        "kind": "training", "title": "Referral training", "held_on": "2026-03-12",
        "place": "Youth centre hall", "activity_id": "", "topics": "Referral pathways"})
    assert response.status_code == 302, response.get_data(as_text=True)
    event = db.session.scalar(select(Event).where(Event.title == "Referral training"))
    assert (event.kind, event.held_on, event.place) == ("training", date(2026, 3, 12),
                                                        "Youth centre hall")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="partner"' in page and "Social work centre" in page
    ticked = [town["s"]["Youth centre"].id, town["s"]["Social work centre"].id]
    assert client.post(f"/c/home/plan/events/{event.id}/attendance",
                       data={"partner": ticked}).status_code == 302
    db.session.expire_all()
    assert sorted(s.id for s in db.session.get(Event, event.id).attendees) == sorted(ticked)
    listing = client.get("/c/home/plan/events").get_data(as_text=True)
    assert "Referral training" in listing and "2 stakeholders" in listing
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.user_id == town["member"].id)))
    assert {"plan.event.create", "plan.event.attendance"} <= actions


def test_event_linked_to_an_activity_of_the_plan(client, town, login):
    from portal.plan import services as plan

    activity = plan.save_activity(town["city"], town["goal"], None, {"title": "Forum"}, [],
                                  actor=None)
    db.session.commit()
    login(town["coordinator"])
    response = client.post("/c/home/plan/events/new", data={
        "kind": "workshop", "title": "Forum workshop", "held_on": "2026-04-01",
        "activity_id": str(activity.id)})
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert event.activity_id == activity.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"/c/home/plan/activities/{activity.id}" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"held_on": ""}, "This field is required"),
    ({"held_on": "2026-13-40"}, "Not a valid date value"),
    ({"kind": "party"}, "Not a valid choice"),
    ({"title": "   "}, ""),
    ({"activity_id": "999999"}, "Choose an activity of this city"),
    ({"activity_id": "x"}, "Choose one of the options shown."),
])
def test_bad_event_input_is_refused_with_a_message_and_nothing_changes(
        client, town, login, data, message):
    login(town["coordinator"])
    form = {"kind": "meeting", "title": "Team meeting", "held_on": "2026-02-03", **data}
    response = client.post("/c/home/plan/events/new", data=form)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Event.id)) is None


@pytest.mark.parametrize("partner", ["x", "999999", "away"])
def test_bad_attendance_is_refused_and_the_attendance_is_kept(
        client, town, login, make_city, partner):
    from portal.stakeholders import services

    event = _event(town, attendees=("Youth centre",))
    if partner == "away":
        partner = str(services.create_stakeholder(make_city(slug="away"), {"name": "Far NGO"},
                                                  actor=None).id)
        db.session.commit()
    login(town["coordinator"])
    response = client.post(f"/c/home/plan/events/{event.id}/attendance",
                           data={"partner": [town["s"]["School no. 3"].id, partner]},
                           follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "not in this city" in page or "Choose one of the options shown." in page
    db.session.expire_all()
    assert [s.name for s in db.session.get(Event, event.id).attendees] == ["Youth centre"]


def test_event_of_another_city_is_404_for_this_city_team(client, town, login, make_city):
    away = make_city(slug="away")
    other = events.save_event(away, None, {"kind": "meeting", "title": "Elsewhere",
                                           "held_on": date(2026, 1, 1)}, actor=None)
    db.session.commit()
    login(town["coordinator"])
    assert client.get(f"/c/home/plan/events/{other.id}").status_code == 404
    assert client.post(f"/c/home/plan/events/{other.id}/attendance",
                       data={"partner": []}).status_code == 404


def test_pairs_that_met_twice_but_report_no_tie_are_listed_until_a_tie_is_recorded(
        client, town, login):
    both = ("Youth centre", "School no. 3", "Police station")
    _event(town, "January meeting", 3, both)
    _event(town, "February training", 10, both)
    _event(town, "March meeting", 17, ("Youth centre", "Social work centre"))
    s = town["s"]
    ties.add_ties(town["city"], s["Youth centre"], town["round"],
                  [ties.TieEntry(s["Police station"].id, "referral", "weekly")], actor=None)
    db.session.commit()
    met = [(m.a.name, m.b.name, m.events) for m in events.met_without_tie(town["city"])]
    assert [n for _a, _b, n in met] == [2, 2]
    assert {frozenset((a, b)) for a, b, _n in met} == {
        frozenset(("Youth centre", "School no. 3")), frozenset(("School no. 3", "Police station"))}
    login(town["member"])
    page = client.get("/c/home/plan/events").get_data(as_text=True)
    assert "met at 2 events but report no working tie" in page
    ties.add_ties(town["city"], s["School no. 3"], town["round"],
                  [ties.TieEntry(s["Youth centre"].id, "joint_activity", "monthly"),
                   ties.TieEntry(s["Police station"].id, "information", "monthly")], actor=None)
    db.session.commit()
    assert events.met_without_tie(town["city"]) == []


def test_map_shows_the_coattendance_layer_only_when_switched_on(
        client, town, make_user, login):
    _event(town, "January meeting", 3, ("Youth centre", "School no. 3", "Police station"))
    _event(town, "February meeting", 10, ("Youth centre", "School no. 3"))
    s = town["s"]
    ties.add_ties(town["city"], s["Social work centre"], town["round"],
                  [ties.TieEntry(s["Police station"].id, "referral", "weekly")], actor=None)
    db.session.commit()
    login(make_user("regional", region=town["city"].region))
    plain = client.get("/c/home/map").get_data(as_text=True)
    assert "coattendance-layer" not in plain and 'id="map-live"' in plain
    page = client.get("/c/home/map?coattendance=1")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    layer = text[text.index('<g class="coattendance-layer">'):]
    layer = layer[:layer.index("</g>")]
    # three pairs met: one of them twice (a thicker path), two of them once
    assert layer.count("M") == 3 and 'stroke-width="2.0"' in layer
    assert 'id="map-live"' in text  # with JS the interactive map draws it (coattendance.js)
    assert text.index("coattendance-layer") < text.index('<g stroke-linejoin="round">')
    image = client.get("/c/home/map.svg?coattendance=1").get_data(as_text=True)
    assert "coattendance-layer" in image
    assert "coattendance-layer" not in client.get("/c/home/map.svg").get_data(as_text=True)


def test_met_list_is_capped_and_says_how_many_are_left_out(client, town, login):
    from portal.stakeholders import services

    people = [services.create_stakeholder(town["city"], {"name": f"NGO {i}"}, actor=None)
              for i in range(4)]
    db.session.commit()
    everyone = [*town["s"].values(), *people]  # 8 stakeholders, 28 pairs, no tie
    for day in (3, 10):
        event = events.save_event(town["city"], None, {"kind": "meeting", "title": "Forum",
                                                       "held_on": date(2026, 2, day)}, actor=None)
        events.set_attendance(town["city"], event, [s.id for s in everyone], actor=None)
    db.session.commit()
    login(town["member"])
    page = client.get("/c/home/plan/events").get_data(as_text=True)
    assert page.count("met at 2 events but report no working tie") == 25
    assert "3 more pairs are not shown." in page


def test_activity_page_lists_its_events_and_offers_a_linked_one(client, town, login):
    from portal.plan import services as plan

    activity = plan.save_activity(town["city"], town["goal"], None, {"title": "Forum"}, [],
                                  actor=None)
    linked = events.save_event(town["city"], None, {
        "kind": "training", "title": "Linked training", "held_on": date(2026, 3, 1),
        "activity_id": activity.id}, actor=None)
    events.save_event(town["city"], None, {"kind": "meeting", "title": "Unlinked meeting",
                                           "held_on": date(2026, 3, 2)}, actor=None)
    db.session.commit()
    login(town["member"])
    page = client.get(f"/c/home/plan/activities/{activity.id}").get_data(as_text=True)
    assert f"/c/home/plan/events/{linked.id}" in page and "Unlinked meeting" not in page
    assert f"/c/home/plan/events/new?activity={activity.id}" in page
    form = client.get(f"/c/home/plan/events/new?activity={activity.id}").get_data(as_text=True)
    assert f'<option selected value="{activity.id}">' in form or (
        f'value="{activity.id}" selected' in form)
