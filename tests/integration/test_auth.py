"""Login, logout, password change, invitations, rate limiting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Invitation, Membership, User
from portal.models.base import utcnow
from tests.conftest import PASSWORD


def test_login_with_right_password(client, make_user):
    user = make_user("admin")
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/cities")


@pytest.mark.parametrize("case", ["unknown user", "wrong password"])
def test_login_failure_gives_one_message_for_both_causes(client, make_user, case):
    user = make_user("admin")
    email = "ghost@example.org" if case == "unknown user" else user.email
    password = PASSWORD if case == "unknown user" else "wrong password!"
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 200
    assert "Unknown e-mail or wrong password." in response.get_data(as_text=True)


def test_inactive_user_cannot_log_in(client, make_user):
    user = make_user("admin")
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert "Unknown e-mail or wrong password." in response.get_data(as_text=True)


def test_login_redirect_ignores_foreign_next(client, make_user):
    user = make_user("admin")
    response = client.post(
        "/login?next=//evil.example/x", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/cities")


@pytest.mark.parametrize("target", [
    "//evil.example/x", "/%09/evil.example", "/%0D%0A/x", "/%0a/evil.example", "/%5Cevil.example",
    "/\\evil.example", "https://evil.example/", "/%20/evil.example", "javascript:alert(1)",
    "/%E2%80%8B/evil.example", "evil.example",
])
def test_login_never_redirects_off_site(client, make_user, target):
    user = make_user("admin")
    response = client.post(f"/login?next={target}",
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/cities"


def test_login_follows_a_same_site_next(client, make_user):
    user = make_user("admin")
    response = client.post("/login?next=/c/kumanovo/%3Fa%3D1",
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/c/kumanovo/?a=1"


def test_logout_is_post_only(client, make_user, login):
    login(make_user("admin"))
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/cities").status_code == 302


def test_password_change(client, make_user, login):
    user = make_user("member")
    login(user)
    bad = client.post("/account/password", data={
        "current_password": "not it at all", "new_password": "a new long password",
        "confirm": "a new long password"})
    assert "The current password is wrong." in bad.get_data(as_text=True)
    ok = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "a new long password",
        "confirm": "a new long password"})
    assert ok.status_code == 302
    client.post("/logout")
    assert client.post("/login", data={
        "email": user.email, "password": PASSWORD}).status_code == 200
    assert client.post("/login", data={
        "email": user.email, "password": "a new long password"}).status_code == 302


def _invite(client, city, email="new@example.org", role="member") -> str:
    page = client.post(f"/c/{city.slug}/team/invite", data={"email": email, "role": role})
    text = page.get_data(as_text=True)
    start = text.index("/invite/")
    return text[start:text.index('"', start)]


def test_invitation_link_works_once(client, make_city, make_user, login):
    city = make_city()
    login(make_user("coordinator", city=city))
    link = _invite(client, city)
    client.post("/logout")
    form = {"display_name": "New Person", "new_password": "long enough pass",
            "confirm": "long enough pass"}
    response = client.post(link, data=form)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert membership.city_id == city.id and membership.role == "member"
    client.post("/logout")
    used = client.get(link)
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"invitation.create", "invitation.accept"} <= actions


def test_expired_invitation_says_expired(client, make_city, make_user, login):
    city = make_city()
    login(make_user("coordinator", city=city))
    link = _invite(client, city)
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client.post("/logout")
    expired = client.get(link)
    assert expired.status_code == 410 and "has expired" in expired.get_data(as_text=True)
    assert client.get(link + "x").status_code == 404


def test_invitation_stores_only_a_hash_of_the_token(client, make_city, make_user, login):
    city = make_city()
    login(make_user("coordinator", city=city))
    link = _invite(client, city)
    token = link.rsplit("/", 1)[1]
    assert token not in db.session.scalar(select(Invitation.token_hash))


def test_existing_account_must_log_in_to_accept(client, make_city, make_user, login):
    city = make_city()
    existing = make_user("member", email="known@example.org")
    login(make_user("coordinator", city=city))
    link = _invite(client, city, email="known@example.org", role="coordinator")
    client.post("/logout")
    assert "/login" in client.get(link).headers["Location"]
    login(existing)
    assert client.post(link).status_code == 302
    membership = db.session.scalar(select(Membership).where(Membership.user_id == existing.id))
    assert membership.role == "coordinator"


@pytest.fixture
def limited_app_config(app_config):
    return app_config


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}

    def test_login_is_rate_limited_with_a_translated_page(self, client, make_user):
        make_user("admin", email="a@example.org")
        for _ in range(3):
            client.post("/login", data={"email": "a@example.org", "password": "nope nope"})
        response = client.post("/login?lang=sq", data={"email": "a@example.org", "password": "x"})
        assert response.status_code == 429
        assert 'lang="sq"' in response.get_data(as_text=True)
        assert client.get("/login").status_code == 200  # GETs are not counted
