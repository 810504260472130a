"""Admin forms that explain their rules; pending invitations; one-time password-reset links."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Invitation, PasswordReset, Region, User
from portal.models.base import utcnow
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new password"


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin")
    login(user)
    return user


@pytest.mark.parametrize("slug", ["north east", "north_east!", "-north"])
def test_bad_region_slug_states_the_rule_and_keeps_the_input(client, admin, slug):
    response = client.post("/admin/regions", data={"slug": slug, "name": "North and East"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use only lower-case letters (a–z), digits and hyphens" in page
    assert 'value="North and East"' in page and f'value="{slug}"' in page
    assert db.session.scalar(select(func.count()).select_from(Region)) == 0


def test_region_slug_in_capitals_is_taken_in_lower_case(client, admin):
    response = client.post("/admin/regions", data={"slug": " North-East ", "name": "NE"})
    assert response.status_code == 302
    assert db.session.scalar(select(Region.slug)) == "north-east"


def test_short_password_states_the_rule_and_keeps_the_other_fields(client, admin):
    response = client.post("/admin/users", data={
        "email": "new.person@example.org", "display_name": "Nova Osoba", "password": "short",
        "is_admin": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The password needs at least 10 characters." in page
    assert 'value="new.person@example.org"' in page and 'value="Nova Osoba"' in page
    assert re.search(r'id="is_admin" name="is_admin" type="checkbox" value="y" checked|'
                     r'checked id="is_admin"', page)
    assert "short" not in re.findall(r'<input[^>]*type="password"[^>]*>', page)[0]
    assert db.session.scalar(select(User).where(User.email == "new.person@example.org")) is None


def test_taken_email_is_said_at_the_field(client, admin):
    response = client.post("/admin/users", data={
        "email": admin.email.upper(), "display_name": "Twin", "password": "long enough pass"})
    assert response.status_code == 400
    assert "An account with this e-mail exists already." in response.get_data(as_text=True)


def _invite(client, city, email):
    page = client.post(f"/c/{city.slug}/team/invite", data={"email": email, "role": "member"})
    text = page.get_data(as_text=True)
    return re.search(r'value="http://[^"]*(/invite/[^"]+)"', text).group(1)


def test_coordinator_sees_and_withdraws_pending_invitations(client, make_city, make_user, login):
    city = make_city()
    login(make_user("coordinator", city=city))
    first = _invite(client, city, "one@example.org")
    second = _invite(client, city, "two@example.org")
    page = client.get(f"/c/{city.slug}/team/invite").get_data(as_text=True)
    assert "2 pending invitations" in page
    assert "one@example.org" in page and "two@example.org" in page
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "one@example.org"))
    response = client.post(f"/c/{city.slug}/team/invitations/{invitation.id}/revoke")
    assert response.status_code == 302
    page = client.get(f"/c/{city.slug}/team/invite").get_data(as_text=True)
    assert "The invitation for one@example.org is withdrawn." in page
    pending = page.split('id="pending-title"')[1]
    assert "1 pending invitation" in pending and "one@example.org" not in pending
    assert client.post(f"/c/{city.slug}/team/invitations/{invitation.id}/revoke").status_code == 404
    client.post("/logout")
    withdrawn = client.get(first)
    assert withdrawn.status_code == 410 and "was withdrawn" in withdrawn.get_data(as_text=True)
    assert client.post(first, data={"display_name": "X", "new_password": NEW_PASSWORD,
                                    "confirm": NEW_PASSWORD}).status_code == 410
    assert client.get(second).status_code == 200
    assert "invitation.revoke" in set(db.session.scalars(select(AuditEvent.action)))


def test_coordinator_cannot_withdraw_another_citys_invitation(client, make_city, make_user,
                                                              login):
    home, away = make_city(), make_city()
    login(make_user("coordinator", city=away))
    _invite(client, away, "x@example.org")
    client.post("/logout")
    login(make_user("coordinator", city=home))
    invitation = db.session.scalar(select(Invitation))
    assert client.post(f"/c/{home.slug}/team/invitations/{invitation.id}/revoke").status_code \
        == 404
    assert client.post(f"/c/{away.slug}/team/invitations/{invitation.id}/revoke").status_code \
        == 404
    assert db.session.scalar(select(Invitation.revoked_at)) is None


def _reset_link(page_text):
    return re.search(r'href="http://[^"]*(/reset/[A-Za-z0-9_-]+)"', page_text).group(1)


def test_coordinator_reset_link_works_once_and_ends_the_members_sessions(app, client, make_city,
                                                                         make_user, login):
    city = make_city()
    member = make_user("member", city=city)
    elsewhere = app.test_client()
    assert elsewhere.post("/login", data={"email": member.email,
                                          "password": PASSWORD}).status_code == 302
    assert elsewhere.get(f"/c/{city.slug}/").status_code == 200
    login(make_user("coordinator", city=city))
    membership_id = member.memberships[0].id
    page = client.post(f"/c/{city.slug}/team/{membership_id}/password-reset")
    link = _reset_link(page.get_data(as_text=True))
    client.post("/logout")
    stored = db.session.scalar(select(PasswordReset.token_hash))
    assert link.rsplit("/", 1)[1] not in stored  # only a hash is kept
    form = client.get(link).get_data(as_text=True)
    assert member.email in form
    short = client.post(link, data={"new_password": "short", "confirm": "short"})
    assert "The password needs at least 10 characters." in short.get_data(as_text=True)
    assert client.post(link, data={"new_password": NEW_PASSWORD,
                                   "confirm": NEW_PASSWORD}).status_code == 302
    assert elsewhere.get(f"/c/{city.slug}/").status_code == 302  # the old session ended
    used = client.post(link, data={"new_password": "yet another password",
                                   "confirm": "yet another password"})
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)
    assert client.post("/login", data={"email": member.email,
                                       "password": PASSWORD}).status_code == 200
    assert client.post("/login", data={"email": member.email,
                                       "password": NEW_PASSWORD}).status_code == 302
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"password_reset.issue", "password_reset.use"} <= actions


@pytest.mark.parametrize("kind", ["admin", "regional", "other city"])
def test_coordinator_may_not_reset_an_account_with_roles_elsewhere(client, make_city, make_user,
                                                                   login, kind):
    city, other = make_city(), make_city()
    target = make_user("admin" if kind == "admin" else "member", city=city)
    from portal.auth import services

    services.grant_membership(target, city, "member", actor=None)
    if kind == "regional":
        services.grant_regional(target, other.region, actor=None)
    if kind == "other city":
        services.grant_membership(target, other, "member", actor=None)
    db.session.commit()
    login(make_user("coordinator", city=city))
    membership_id = next(m.id for m in target.memberships if m.city_id == city.id)
    response = client.post(f"/c/{city.slug}/team/{membership_id}/password-reset",
                           follow_redirects=True)
    assert "Only an administrator can reset this password" in response.get_data(as_text=True)
    assert db.session.scalar(select(PasswordReset.id)) is None


def test_admin_reset_link_withdraws_the_previous_one_and_expires(client, admin, make_user):
    target = make_user("regional")
    first = _reset_link(client.post(f"/admin/users/{target.id}/password-reset")
                        .get_data(as_text=True))
    second = _reset_link(client.post(f"/admin/users/{target.id}/password-reset")
                         .get_data(as_text=True))
    client.post("/logout")
    assert "was withdrawn" in client.get(first).get_data(as_text=True)
    assert client.get(second).status_code == 200
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.revoked_at.is_(None)))
    reset.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = client.get(second)
    assert expired.status_code == 410 and "has expired" in expired.get_data(as_text=True)
    assert client.get("/reset/not-a-token").status_code == 404
