"""Shared fixtures: app, client, runner, login helper and factories."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import event
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db
from portal.models import City, Region, User

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """PostgreSQL when PORTAL_TEST_DATABASE_URL is set (CI), else a SQLite file."""
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def _empty_all_tables() -> None:
    db.session.rollback()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def app_config(database_url: str, tmp_path: Any) -> dict[str, Any]:
    """The test configuration; a test may change it before asking for `app`."""
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
    }


class ProductionClient(FlaskClient):
    """A test client whose requests run as they do in production.

    The test body holds an app context (factories and assertions use `db.session`), but a
    request must not share it: Flask would reuse that context, its session and its objects,
    and a view that works only because the test's session is still open would pass. Each
    request therefore runs with no app context around it (its own context, its own session,
    removed at teardown), and its body is read to the end, so a streamed response is
    produced after the request's teardown exactly as a WSGI server would produce it.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if db.session.new or db.session.dirty or db.session.deleted:
            raise AssertionError("commit the test's changes before making a request")
        db.session.rollback()  # end the test's read transaction: see what the request commits
        token = _cv_app.set(None)  # type: ignore[arg-type]
        try:
            response = super().open(*args, **kwargs)
            response.streamed = response.is_streamed  # before reading turns it into a list
            response.get_data()  # streamed bodies run to the end, after the request's teardown
            for previous in response.history:
                previous.get_data()
        finally:
            _cv_app.reset(token)
        db.session.expire_all()
        return response


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """A fresh app on a clean database (schema from the models: `create_all` only in tests)."""
    application = create_app(app_config)
    application.test_client_class = ProductionClient
    with application.app_context():
        db.create_all()
        _empty_all_tables()
        yield application
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make_region(app: Flask) -> Callable[..., Region]:
    counter = iter(range(1, 10_000))

    def factory(slug: str | None = None, name: str | None = None) -> Region:
        n = next(counter)
        region = Region(slug=slug or f"region-{n}", name=name or f"Region {n}")
        db.session.add(region)
        db.session.commit()
        return region

    return factory


@pytest.fixture
def make_city(app: Flask, make_region: Callable[..., Region]) -> Callable[..., City]:
    counter = iter(range(1, 10_000))

    def factory(slug: str | None = None, region: Region | None = None, **fields: Any) -> City:
        n = next(counter)
        city = City(
            slug=slug or f"city-{n}",
            name=fields.pop("name", f"City {n}"),
            region=region or make_region(),
            default_locale=fields.pop("default_locale", "en"),
            disclosure_threshold=fields.pop("disclosure_threshold", 10),
            **fields,
        )
        db.session.add(city)
        db.session.commit()
        return city

    return factory


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create a user with a role: admin, regional (region=…), coordinator or member (city=…)."""
    from portal.auth import services

    counter = iter(range(1, 10_000))

    def factory(role: str = "member", city: City | None = None, region: Region | None = None,
                email: str | None = None, **fields: Any) -> User:
        user = services.create_user(
            email or f"user{next(counter)}-{role}@example.org", PASSWORD,
            is_admin=role == "admin", **fields, actor=None
        )
        if role in ("coordinator", "member") and city is not None:
            services.grant_membership(user, city, role, actor=None)
        if role == "regional" and region is not None:
            services.grant_regional(user, region, actor=None)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], FlaskClient]:
    """Log a user in through the login form."""

    def do_login(user: User, password: str = PASSWORD) -> FlaskClient:
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do_login


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """Count the SQL statements a block runs: `with count_queries() as counter: …`."""
    from contextlib import contextmanager

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve the test app on 127.0.0.1 in a thread, a thread per request; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
