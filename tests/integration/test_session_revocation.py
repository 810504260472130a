"""Sessions end for good: logout, password change, other devices, removed roles, switched off."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Membership, RegionalRole, User
from tests.conftest import PASSWORD

NEW_PASSWORD = "a new long password"


class IsolatedClient(FlaskClient):
    """A client whose every request has its own app context, as in production.

    The `app` fixture holds one app context for the whole test; requests would share its `g`,
    where Flask-Login caches the user, and so skip the user loader that checks the epoch.
    """

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture(autouse=True)
def _fresh_reads(app):
    """Let the test's own reads see what the requests committed."""
    app.test_client_class = IsolatedClient
    yield
    app.test_client_class = None


def _db():
    return db.session


@pytest.fixture
def copy_of(app):
    """A second browser holding a copy of a client's session cookie."""

    def copy(client):
        other = app.test_client()
        other.set_cookie("session", client.get_cookie("session").value)
        return other

    return copy


def _logged_in(client) -> bool:
    return client.get("/cities").status_code == 200


def test_logout_ends_a_copied_cookie(client, make_user, login, copy_of):
    login(make_user("member"))
    thief = copy_of(client)
    assert _logged_in(thief)
    client.post("/logout")
    assert not _logged_in(thief)
    assert not _logged_in(client)


def test_a_password_change_ends_other_sessions_but_not_this_one(client, make_user, login,
                                                                 copy_of):
    login(make_user("member"))
    other = copy_of(client)
    reply = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert reply.status_code == 302
    assert not _logged_in(other)
    assert _logged_in(client)


def test_log_out_on_all_other_devices_keeps_this_one(client, make_user, login, copy_of):
    user = make_user("member")
    login(user)
    other = copy_of(client)
    page = client.get("/account/password").get_data(as_text=True)
    assert "Log out on all other devices" in page
    reply = client.post("/account/sessions/end", follow_redirects=True)
    assert "You have been logged out on every other device." in reply.get_data(as_text=True)
    assert not _logged_in(other)
    assert _logged_in(client)
    assert _db().scalar(select(AuditEvent).where(AuditEvent.action == "user.sessions_end"))


def test_switching_an_account_off_ends_its_sessions(app, make_user, login, client):
    user = make_user("member")
    login(user)
    admin = app.test_client()
    admin.post("/login", data={"email": make_user("admin").email, "password": PASSWORD})
    assert admin.post(f"/admin/users/{user.id}/active").status_code == 302
    assert not _logged_in(client)


def test_a_coordinator_removes_one_membership_and_its_sessions_end(
        app, client, make_city, make_user, login):
    city, elsewhere = make_city(), make_city()
    member = make_user("member", city=city)
    from portal.auth import services

    services.grant_membership(member, elsewhere, "member", actor=None)
    db.session.commit()
    membership_id = db.session.scalar(select(Membership.id).where(
        Membership.user_id == member.id, Membership.city_id == city.id))
    login(member)
    coordinator = app.test_client()
    coordinator.post("/login", data={"email": make_user("coordinator", city=city).email,
                                     "password": PASSWORD})
    page = coordinator.get(f"/c/{city.slug}/").get_data(as_text=True)
    assert f"/c/{city.slug}/team/{membership_id}/remove" in page
    reply = coordinator.post(f"/c/{city.slug}/team/{membership_id}/remove",
                             follow_redirects=True)
    assert "Role removed." in reply.get_data(as_text=True)
    assert not _logged_in(client)
    assert [m.city_id for m in _db().get(User, member.id).memberships] == [elsewhere.id]
    assert _db().get(User, member.id).active
    event = _db().scalar(select(AuditEvent).where(AuditEvent.action == "membership.remove"))
    assert event.city_id == city.id and event.target_id == str(member.id)


def test_a_coordinator_cannot_remove_memberships_of_another_city(
        client, make_city, make_user, login):
    city, other = make_city(), make_city()
    outsider = make_user("member", city=other)
    membership_id = db.session.scalar(select(Membership.id).where(
        Membership.user_id == outsider.id))
    login(make_user("coordinator", city=city))
    assert client.post(f"/c/{city.slug}/team/{membership_id}/remove").status_code == 404
    assert client.post(f"/c/{other.slug}/team/{membership_id}/remove").status_code == 404
    assert _db().get(Membership, membership_id) is not None


def test_a_member_cannot_remove_and_a_coordinator_cannot_remove_themselves(
        client, make_city, make_user, login):
    city = make_city()
    coordinator = make_user("coordinator", city=city)
    mine = db.session.scalar(select(Membership.id).where(Membership.user_id == coordinator.id))
    member = make_user("member", city=city)
    theirs = db.session.scalar(select(Membership.id).where(Membership.user_id == member.id))
    login(member)
    assert client.post(f"/c/{city.slug}/team/{mine}/remove").status_code == 403
    client.post("/logout")
    login(coordinator)
    reply = client.post(f"/c/{city.slug}/team/{mine}/remove", follow_redirects=True)
    assert "You cannot remove your own role." in reply.get_data(as_text=True)
    assert _db().get(Membership, mine) is not None
    assert _db().get(Membership, theirs) is not None


def test_an_admin_removes_a_regional_role_and_a_membership(
        client, make_city, make_region, make_user, login):
    region = make_region()
    city = make_city(region=region)
    user = make_user("regional", region=region)
    from portal.auth import services

    services.grant_membership(user, city, "coordinator", actor=None)
    db.session.commit()
    role_id = db.session.scalar(select(RegionalRole.id))
    membership_id = db.session.scalar(select(Membership.id).where(Membership.user_id == user.id))
    admin = make_user("admin")
    login(admin)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert f"/admin/users/{user.id}/regional/{role_id}/remove" in page
    assert f"/admin/users/{user.id}/memberships/{membership_id}/remove" in page
    assert client.post(f"/admin/users/{admin.id}/regional/{role_id}/remove").status_code == 404
    assert client.post(f"/admin/users/{user.id}/regional/{role_id}/remove").status_code == 302
    assert client.post(
        f"/admin/users/{user.id}/memberships/{membership_id}/remove").status_code == 302
    assert _db().scalar(select(RegionalRole)) is None
    assert _db().get(Membership, membership_id) is None
    assert _db().get(User, user.id).active
    actions = set(_db().scalars(select(AuditEvent.action)))
    assert {"regional.remove", "membership.remove"} <= actions
