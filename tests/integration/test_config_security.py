"""Configuration checks, security headers, CSRF and error pages."""

from __future__ import annotations

import pytest

from portal import create_app
from portal.config import ConfigError
from tests.conftest import PASSWORD, TEST_HASH_METHOD, TEST_SECRET


@pytest.mark.parametrize("secret", [None, "", "dev", "changeme", "short-but-random-9f8e"])
def test_weak_or_missing_secret_is_refused_outside_tests(secret, database_url):
    config = {"SQLALCHEMY_DATABASE_URI": database_url}
    if secret is not None:
        config["SECRET_KEY"] = secret
    with pytest.raises(ConfigError):
        create_app({**config, "TESTING": False})


def test_strong_secret_is_accepted(database_url):
    app = create_app({"SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_a_rotated_secret_key_still_reads_the_old_cookies(monkeypatch, tmp_path):
    old = "an-old-secret-key-that-is-long-enough-0123456789"
    monkeypatch.setenv("PORTAL_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("PORTAL_SECRET_KEY_FALLBACKS", f'["{old}"]')
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite3")
    app = create_app()
    assert app.config["SECRET_KEY_FALLBACKS"] == [old]
    before = create_app({"SECRET_KEY": old, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    cookie = before.session_interface.get_signing_serializer(before).dumps({"kept": 1})
    assert app.session_interface.get_signing_serializer(app).loads(cookie) == {"kept": 1}


def test_threshold_below_five_is_refused(database_url):
    with pytest.raises(ConfigError):
        create_app({"SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": database_url,
                    "DEFAULT_DISCLOSURE_THRESHOLD": 4})


def test_passwords_are_hashed_with_scrypt_by_default(database_url):
    app = create_app({"SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"


def test_passwords_are_hashed_with_the_configured_method(app, make_user):
    from portal.auth import services

    user = make_user("admin")
    assert user.password_hash.startswith(TEST_HASH_METHOD + "$")
    assert services.authenticate(user.email, PASSWORD) == user
    assert services.authenticate(user.email, "wrong password") is None
    assert services.authenticate("nobody@example.org", PASSWORD) is None


@pytest.mark.parametrize("method", ["md5", "", "plain", 7])
def test_an_unknown_password_hash_method_is_refused(method, database_url):
    with pytest.raises(ConfigError):
        create_app({"SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": database_url,
                    "PASSWORD_HASH_METHOD": method})


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite3")
    monkeypatch.setenv("PORTAL_MAX_CONTENT_LENGTH", "1234")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite3")
    assert app.config["MAX_CONTENT_LENGTH"] == 1234


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user("admin")
    response = client.post("/login",
                           data={"email": user.email, "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_upload_over_max_content_length_gets_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 100
    response = client.post("/login", data={"email": "x" * 500, "password": "y"})
    assert response.status_code == 413


class TestCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_post_without_csrf_token_is_rejected(self, client, make_user):
        user = make_user("admin")
        response = client.post("/login",
                               data={"email": user.email, "password": "correct horse battery"})
        assert response.status_code == 400
        assert client.get("/cities").status_code == 302

    def test_logout_without_token_is_400(self, client, make_user):
        user = make_user("admin")
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post("/login", data={"email": user.email, "password": "correct horse battery",
                                     "csrf_token": token})
        assert client.get("/cities").status_code == 200
        response = client.post("/logout")
        assert response.status_code == 400
        assert "Reload the page" in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "ar", "mk", "rom"])
def test_404_page_is_in_the_chosen_language(client, lang):
    response = client.get(f"/no/such/page?lang={lang}")
    assert response.status_code == 404
    assert f'<html lang="{lang}"' in response.get_data(as_text=True)


class TestInternalError:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "CATCH_ERRORS": True}

    def test_unhandled_error_gives_the_500_page(self, app, client):
        @app.get("/boom")
        def boom() -> str:
            raise RuntimeError("boom")

        response = client.get("/boom?lang=ar")
        assert response.status_code == 500
        assert 'dir="rtl"' in response.get_data(as_text=True)
