"""The one write endpoint: PATCH an action-plan activity's status and notes.

Read-write tokens only (a read-only one: 403); the page's rules (owner or coordinator, current
plan); bad bodies change nothing; a session needs its CSRF token, a Bearer request none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from portal.auth import services as auth_services
from portal.auth import tokens
from portal.extensions import db
from portal.models import AuditEvent, City, PlanActivity, User
from portal.plan import services as plan
from tests.integration.plan.conftest import town  # noqa: F401  (a city with a started plan)

from .conftest import bearer


@pytest.fixture
def activity(town: dict[str, Any]) -> PlanActivity:  # noqa: F811
    """An activity of the current plan, owned by the town's member."""
    found = plan.save_activity(town["city"], town["goal"], None,
                               {"title": "Youth forum", "owner_id": town["member"].id}, [],
                               actor=None)
    db.session.commit()
    return found


def url(city: City, activity_id: int) -> str:
    return f"/api/v1/cities/{city.slug}/plan/activities/{activity_id}"


def state(activity_id: int) -> tuple[str, str]:
    db.session.expire_all()
    found = db.session.get(PlanActivity, activity_id)
    assert found is not None
    return found.status, found.notes


def patch(client: Any, address: str, body: Any, headers: dict[str, str]) -> Any:
    return client.patch(address, json=body, headers=headers)


def test_a_read_write_token_changes_the_progress_and_the_change_is_audited(
        client: Any, town: dict[str, Any], activity: PlanActivity,  # noqa: F811
        make_token: Callable[..., str]) -> None:
    secret = make_token(town["coordinator"], [town["city"]], read_write=True)
    response = patch(client, url(town["city"], activity.id),
                     {"status": "done", "notes": "Held on 3 May; 40 came."}, bearer(secret))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"id": activity.id, "title": "Youth forum", "status": "done",
                                   "notes": "Held on 3 May; 40 came.", "goal": town["goal"].id}
    assert state(activity.id) == ("done", "Held on 3 May; 40 came.")
    assert "Set-Cookie" not in response.headers
    token = tokens.tokens_of(town["coordinator"])[0]
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "plan.activity.progress")).one()
    assert event.user_id == town["coordinator"].id
    assert event.details == f"done (API token {token.id})"
    # Only one field: the other stays.
    assert patch(client, url(town["city"], activity.id), {"notes": "Report sent."},
                 bearer(secret)).status_code == 200
    assert state(activity.id) == ("done", "Report sent.")


def test_a_read_only_token_is_refused_and_changes_nothing(
        client: Any, town: dict[str, Any], activity: PlanActivity,  # noqa: F811
        make_token: Callable[..., str]) -> None:
    secret = make_token(town["coordinator"], [town["city"]], read_write=False)
    response = patch(client, url(town["city"], activity.id), {"status": "done"},
                     bearer(secret))
    assert response.status_code == 403 and response.get_json()["error"] == "forbidden"
    assert state(activity.id) == ("planned", "")


@pytest.mark.parametrize(("who", "expected"), [
    ("owner", 200), ("other_member", 403), ("regional", 403), ("enumerator", 403)])
def test_the_pages_rules_hold_through_the_token(
        client: Any, town: dict[str, Any], activity: PlanActivity,  # noqa: F811
        make_user: Callable[..., User], make_token: Callable[..., str], who: str,
        expected: int) -> None:
    user = {"owner": town["member"], "other_member": town["other_member"],
            "regional": make_user("regional", region=town["city"].region),
            "enumerator": make_user("enumerator", city=town["city"])}[who]
    secret = make_token(user, [town["city"]], read_write=True)
    response = patch(client, url(town["city"], activity.id), {"status": "under_way"},
                     bearer(secret))
    assert response.status_code == expected, response.get_data(as_text=True)
    assert state(activity.id)[0] == ("under_way" if expected == 200 else "planned")


def test_an_activity_of_a_closed_plan_cannot_be_changed(
        client: Any, town: dict[str, Any], activity: PlanActivity,  # noqa: F811
        make_token: Callable[..., str]) -> None:
    plan.start_plan(town["city"], "Plan 2027", actor=None)  # the 2026 plan is closed
    db.session.commit()
    secret = make_token(town["coordinator"], [town["city"]], read_write=True)
    response = patch(client, url(town["city"], activity.id), {"status": "done"},
                     bearer(secret))
    assert response.status_code == 403
    assert state(activity.id)[0] == "planned"


def test_another_city_or_an_unknown_activity_is_404(
        client: Any, town: dict[str, Any], activity: PlanActivity,  # noqa: F811
        make_city: Callable[..., City], make_user: Callable[..., User],
        make_token: Callable[..., str]) -> None:
    elsewhere = make_city(slug="elsewhere")
    stranger = make_user("coordinator", city=elsewhere)
    secret = make_token(stranger, [elsewhere], read_write=True)
    assert patch(client, url(town["city"], activity.id), {"status": "done"},
                 bearer(secret)).status_code == 404
    assert patch(client, url(elsewhere, activity.id), {"status": "done"},
                 bearer(secret)).get_json()["error"] == "not_found"  # not that city's
    # A token that does not name the city: 404 too, even for its coordinator.
    both = make_token(town["coordinator"], [make_city(slug="third")], read_write=True)
    auth_services.grant_membership(town["coordinator"], elsewhere, "coordinator", actor=None)
    db.session.commit()
    assert patch(client, url(town["city"], activity.id), {"status": "done"},
                 bearer(both)).status_code == 404
    assert state(activity.id)[0] == "planned"


@pytest.mark.parametrize("body", [
    None, [], {}, "done", {"status": "finished"}, {"status": None}, {"status": 3},
    {"notes": 5}, {"notes": "x" * 4001}, {"notes": "a\u0000b"}, {"owner_id": 1},
    {"status": "done", "title": "Renamed"}])
def test_a_bad_body_is_a_400_with_a_message_and_changes_nothing(
        client: Any, town: dict[str, Any], activity: PlanActivity,  # noqa: F811
        make_token: Callable[..., str], body: Any) -> None:
    secret = make_token(town["coordinator"], [town["city"]], read_write=True)
    if body is None:  # not JSON at all
        response = client.patch(url(town["city"], activity.id), data="status=done",
                                headers=bearer(secret))
    else:
        response = patch(client, url(town["city"], activity.id), body, bearer(secret))
    assert response.status_code == 400
    answer = response.get_json()
    # (A NUL character is refused by the app-wide guard before the view: "bad_request".)
    assert answer["error"] in ("body", "status", "notes", "bad_request") and answer["message"]
    assert state(activity.id) == ("planned", "")


def test_the_message_is_in_the_language_asked_for(
        client: Any, town: dict[str, Any], activity: PlanActivity,  # noqa: F811
        make_token: Callable[..., str]) -> None:
    secret = make_token(town["coordinator"], [town["city"]], read_write=True)
    english = patch(client, url(town["city"], activity.id), {"status": "x"}, bearer(secret))
    arabic = patch(client, url(town["city"], activity.id) + "?lang=ar", {"status": "x"},
                   bearer(secret))
    assert english.get_json()["message"] != arabic.get_json()["message"]


class TestWithTheSession:
    """A logged-in browser may use it too, but only with the page's CSRF token."""

    @pytest.fixture
    def app_config(self, app_config: dict[str, Any]) -> dict[str, Any]:
        return {**app_config, "WTF_CSRF_ENABLED": True}

    @staticmethod
    def _log_in(client: Any, user: User) -> str:
        from tests.conftest import PASSWORD

        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        assert client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": token}).status_code == 302
        page = client.get("/cities").get_data(as_text=True)  # the logout form's token
        return page.split('name="csrf_token" value="')[1].split('"')[0]

    def test_a_session_needs_the_csrf_token(
            self, client: Any, town: dict[str, Any], activity: PlanActivity,  # noqa: F811
    ) -> None:
        csrf_token = self._log_in(client, town["coordinator"])
        refused = patch(client, url(town["city"], activity.id), {"status": "done"}, {})
        assert refused.status_code == 400 and "expired" in refused.get_json()["message"]
        assert state(activity.id)[0] == "planned"
        done = patch(client, url(town["city"], activity.id), {"status": "done"},
                     {"X-CSRFToken": csrf_token})
        assert done.status_code == 200, done.get_data(as_text=True)
        assert state(activity.id)[0] == "done"

    def test_a_bearer_request_needs_no_csrf_token_even_with_a_cookie(
            self, client: Any, town: dict[str, Any], activity: PlanActivity,  # noqa: F811
            make_token: Callable[..., str]) -> None:
        self._log_in(client, town["member"])  # the cookie is there, and ignored
        secret = make_token(town["coordinator"], [town["city"]], read_write=True)
        assert patch(client, url(town["city"], activity.id), {"status": "dropped"},
                     bearer(secret)).status_code == 200
        assert state(activity.id)[0] == "dropped"
