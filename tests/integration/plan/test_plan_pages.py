"""The plan pages: who may do what, goals and activities through the forms, audit, read-only."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, PlanActivity
from portal.plan import services as plan


def _activity(town: dict[str, Any], **values: Any) -> PlanActivity:
    activity = plan.save_activity(town["city"], town["goal"], None,
                                  {"title": "Joint youth forum", "status": "planned", **values},
                                  [town["s"]["Youth centre"].id, town["s"]["School no. 3"].id],
                                  actor=None)
    db.session.commit()
    return activity


@pytest.mark.parametrize(("role", "read", "edit", "progress"), [
    ("admin", 200, 200, 302),
    ("coordinator", 200, 200, 302),
    ("owner", 200, 403, 302),
    ("member", 200, 403, 403),
    ("regional", 200, 403, 403),
    ("regional-elsewhere", 404, 404, 404),
    ("member-elsewhere", 404, 404, 404),
])
def test_role_matrix_of_the_plan_pages(client, town, make_user, make_city, make_region, login,
                                       role, read, edit, progress):
    activity = _activity(town, owner_id=town["member"].id)
    users = {
        "admin": lambda: make_user("admin"),
        "coordinator": lambda: town["coordinator"],
        "owner": lambda: town["member"],
        "member": lambda: town["other_member"],
        "regional": lambda: make_user("regional", region=town["city"].region),
        "regional-elsewhere": lambda: make_user("regional", region=make_region()),
        "member-elsewhere": lambda: make_user("member", city=make_city(slug="away")),
    }
    login(users[role]())
    base = "/c/home/plan"
    for url in (base, f"{base}/activities/{activity.id}"):
        assert client.get(url).status_code == read, url
    for url in (f"{base}/goals/new", f"{base}/goals/{town['goal'].id}/edit",
                f"{base}/activities/new", f"{base}/activities/{activity.id}/edit"):
        assert client.get(url).status_code == edit, url
    response = client.post(f"{base}/activities/{activity.id}/progress",
                           data={"status": "under_way", "notes": "Venue booked"})
    assert response.status_code == progress
    db.session.expire_all()
    changed = db.session.get(PlanActivity, activity.id)
    assert (changed.status, changed.notes) == (
        ("under_way", "Venue booked") if progress == 302 else ("planned", ""))


def test_coordinator_builds_the_plan_through_the_forms_and_every_change_is_audited(
        client, town, login):
    login(town["coordinator"])
    response = client.post("/c/home/plan/goals/new", data={
        "title": "Youth engagement platform", "description": "A place for young people.",
        "position": "2"})
    assert response.status_code == 302
    goal = plan.goals_of_current(town["city"])[1]
    partners = [town["s"]["Police station"].id, town["s"]["Social work centre"].id]
    response = client.post("/c/home/plan/activities/new", data={
        "goal_id": goal.id, "title": "Youth council", "status": "planned",
        "starts_on": "2026-03-01", "ends_on": "2026-06-30", "owner_id": town["member"].id,
        "partners": partners, "expected_outputs": "Statute adopted", "notes": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    activity = db.session.scalar(select(PlanActivity).where(PlanActivity.title == "Youth council"))
    assert sorted(p.id for p in activity.partners) == sorted(partners)
    assert (activity.owner_id, activity.ends_on) == (town["member"].id, date(2026, 6, 30))
    page = client.get("/c/home/plan").get_data(as_text=True)
    assert "Youth engagement platform" in page and "Youth council" in page
    assert "<svg" in page and "plan-timeline" in page
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.user_id == town["coordinator"].id)))
    assert {"plan.goal.create", "plan.activity.create"} <= actions


@pytest.mark.parametrize(("data", "message"), [
    ({"starts_on": "2026-06-01", "ends_on": "2026-05-01"}, "The end date is before the start"),
    ({"owner_id": "999999"}, "must be a member of this city"),
    ({"partners": ["999999"]}, "not in this city"),
    ({"partners": ["x"]}, "Choose one of the options shown."),
    ({"status": "finished"}, "Not a valid choice"),
    ({"goal_id": "999999"}, "Choose a goal of the current plan"),
])
def test_bad_activity_input_is_refused_with_a_message_and_nothing_changes(
        client, town, login, data, message):
    login(town["coordinator"])
    form = {"goal_id": town["goal"].id, "title": "Workshop", "status": "planned", **data}
    response = client.post("/c/home/plan/activities/new", data=form)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(PlanActivity.id)) is None


def test_partner_of_another_city_is_refused(client, town, login, make_city):
    from portal.stakeholders import services

    away = services.create_stakeholder(make_city(slug="away"), {"name": "Foreign NGO"},
                                       actor=None)
    db.session.commit()
    login(town["coordinator"])
    response = client.post("/c/home/plan/activities/new", data={
        "goal_id": town["goal"].id, "title": "Workshop", "status": "planned",
        "partners": [away.id]})
    assert "not in this city" in response.get_data(as_text=True)
    assert db.session.scalar(select(PlanActivity.id)) is None


def test_a_new_plan_keeps_the_earlier_one_read_only(client, town, login):
    activity = _activity(town)
    login(town["coordinator"])
    assert client.post("/c/home/plan", data={"title": "Plan 2027"}).status_code == 302
    earlier = client.get(f"/c/home/plan/{town['plan'].id}").get_data(as_text=True)
    assert "Plan 2026" in earlier and "Joint youth forum" in earlier
    assert "closed, read-only" in earlier and "/goals/" not in earlier
    response = client.get(f"/c/home/plan/activities/{activity.id}/edit")
    assert response.status_code == 302
    response = client.post(f"/c/home/plan/activities/{activity.id}/progress",
                           data={"status": "done", "notes": ""})
    assert response.status_code == 403
    assert client.get(f"/c/home/plan/goals/{town['goal'].id}/edit").status_code == 404
    current = client.get("/c/home/plan").get_data(as_text=True)
    assert "Plan 2027" in current and "Joint youth forum" not in current


def test_progress_and_overdue_match_hand_counts(client, town, login):
    today = date.today()
    past, future = today - timedelta(days=10), today + timedelta(days=30)
    _activity(town, title="Done one", status="done", ends_on=past)
    _activity(town, title="Late one", status="planned", ends_on=past)
    _activity(town, title="Running one", status="under_way", ends_on=future)
    _activity(town, title="Dropped one", status="dropped", ends_on=past)
    found = plan.progress(plan.current_plan(town["city"]).goals[0].activities, today)
    assert (found.done, found.planned, found.overdue) == (1, 3, 1)
    login(town["member"])
    page = client.get("/c/home/plan").get_data(as_text=True)
    assert "1 of 3 activities done" in page and "1 overdue" in page
    assert page.count('class="bar status-planned overdue"') == 1
    dashboard = client.get("/c/home/").get_data(as_text=True)
    assert "1 of 3 activities done" in dashboard and "1 overdue" in dashboard
    assert "Running one" in dashboard and "Late one" not in dashboard


def test_stakeholder_page_lists_its_activities(client, town, login):
    _activity(town)
    login(town["member"])
    youth = client.get(f"/c/home/stakeholders/{town['s']['Youth centre'].id}").get_data(
        as_text=True)
    police = client.get(f"/c/home/stakeholders/{town['s']['Police station'].id}").get_data(
        as_text=True)
    assert "Joint youth forum" in youth
    assert "Joint youth forum" not in police and "Not a partner in any activity" in police


@pytest.mark.parametrize("url", ["/c/home/plan", "/c/home/", "/c/home/plan/export.csv"])
def test_plan_pages_run_as_many_queries_for_three_activities_as_for_thirty(
        client, town, login, count_queries, url):
    login(town["member"])

    def queries() -> int:
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    for _ in range(3):
        _activity(town, owner_id=town["member"].id)
    queries()  # the plan page's outcomes compute the map's analysis once, then read the cache
    few = queries()
    for _ in range(27):
        _activity(town, owner_id=town["member"].id)
    assert queries() == few


def test_an_archived_partner_stays_chosen_on_the_edit_form(client, town, login):
    from portal.stakeholders import services as stakeholders

    activity = _activity(town)
    youth = town["s"]["Youth centre"]
    stakeholders.set_archived(town["city"], youth, archived=True, actor=None)
    db.session.commit()
    login(town["coordinator"])
    page = client.get(f"/c/home/plan/activities/{activity.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{youth.id}">Youth centre</option>' in page
