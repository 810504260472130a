"""Shared fixtures: app, client, runner, login helper and factories."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Table, event, exists, func, literal_column, select, union_all
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db
from portal.models import City, Region, User


def _reuse_url_builders() -> None:
    """Compile each URL rule's builder once per session, not once per test app.

    Every test builds a fresh app (create_app), and Werkzeug generates and compiles Python
    code for each of its ~80 rules: 60% of create_app's time. The generated function depends
    only on the rule's parsed parts, its defaults and whether unknown arguments are appended
    (the rule itself is bound at call time), so an equal key gives an equal function. Skipped
    if Werkzeug's internals differ from the version this was written for.
    """
    from werkzeug.routing.rules import Rule

    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None or getattr(compile_builder, "reused", False):
        return
    built: dict[tuple[Any, ...], Any] = {}

    def reused(self: Rule, append_unknown: bool = True) -> Any:
        try:
            defaults = tuple(sorted(
                (name, self._converters[name].to_url(value) if name in self._converters
                 else repr(value)) for name, value in (self.defaults or {}).items()))
            key = (self.rule, tuple(self._trace), defaults, append_unknown)
        except (AttributeError, TypeError):
            return compile_builder(self, append_unknown)
        if key not in built:
            built[key] = compile_builder(self, append_unknown)
        return built[key]

    reused.reused = True  # type: ignore[attr-defined]
    reused.__wrapped__ = compile_builder  # type: ignore[attr-defined]
    Rule._compile_builder = reused  # type: ignore[method-assign]


_reuse_url_builders()

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
PASSWORD = "correct horse battery"
TEST_HASH_METHOD = "pbkdf2:sha256:1"
JOBS_FILES_DIR = os.path.join(tempfile.gettempdir(), f"portal-test-jobs-{os.getpid()}")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """PostgreSQL when PORTAL_TEST_DATABASE_URL is set (CI), else a SQLite file."""
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


_SCHEMA_READY: set[str] = set()  # databases whose tables this session has created


def _nonempty_tables() -> list[Table]:
    """The tables holding any row, in dependency order (one query for all of them)."""
    tables = db.metadata.sorted_tables
    probe = union_all(*(select(literal_column(str(i))).where(
        exists(select(literal_column("1")).select_from(t))) for i, t in enumerate(tables)))
    with db.engine.connect() as connection:
        found = set(connection.scalars(probe))
    return [t for i, t in enumerate(tables) if i in found]


def _empty_all_tables() -> None:
    """Delete every row, in the tables that hold any (most tests touch a few of them)."""
    db.session.rollback()
    tables = _nonempty_tables()
    if tables:
        with db.engine.begin() as connection:
            for table in reversed(tables):
                connection.execute(table.delete())


def prepare_database() -> None:
    """Create the schema once per database and session, then leave every table empty."""
    url = db.engine.url.render_as_string(hide_password=False)
    if url not in _SCHEMA_READY:
        db.create_all()
        _SCHEMA_READY.add(url)
    _empty_all_tables()


def base_config(database_url: str) -> dict[str, Any]:
    """The configuration every test app starts from."""
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
        # One cheap iteration: hundreds of scrypt hashes would cost a minute (production keeps
        # the default, tests/integration/test_config_security.py checks it).
        "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
        # Huey's own immediate mode: a job runs when its request commits, through the same
        # runner as in a worker (tests/integration/jobs run a real worker process too).
        "JOBS_URL": "immediate",
        "JOBS_RETRY_DELAY_SECONDS": 0,
        "JOBS_FILES_DIR": JOBS_FILES_DIR,
    }


@pytest.fixture
def app_config(database_url: str) -> dict[str, Any]:
    """The test configuration; a test may change it before asking for `app`."""
    return base_config(database_url)


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


def new_app(config: dict[str, Any]) -> Flask:
    """An app whose test client is the ProductionClient."""
    application = create_app(config)
    application.test_client_class = ProductionClient
    return application


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """A fresh app on a clean database (schema from the models: `create_all` only in tests,
    once per session; the tables a test filled are emptied after it)."""
    application = new_app(app_config)
    with application.app_context():
        prepare_database()
        yield application
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


class SharedDatabase:
    """Rows a module's tests share (built once), and the marks to undo what a test adds.

    For modules whose tests read a costly fixture (a map, its cached analysis) and only add
    rows of their own (users, logins, audit events): `mark()` after building, then `undo()`
    after each test deletes every row above the marks and checks the shared rows kept their
    number, so a test that changes them fails instead of leaking into the next one.
    """

    def __init__(self) -> None:
        self.marks: dict[str, tuple[int, int]] = {}

    @staticmethod
    def _state() -> dict[str, tuple[int, int]]:
        state = {}
        for table in db.metadata.sorted_tables:
            row = db.session.execute(select(func.count(), func.coalesce(func.max(
                table.c.id), 0)).select_from(table)).one()
            state[table.name] = (int(row[0]), int(row[1]))
        return state

    def mark(self) -> None:
        db.session.commit()
        self.marks = self._state()

    def undo(self) -> None:
        db.session.rollback()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete().where(table.c.id > self.marks[table.name][1]))
        changed = {name for name, value in self._state().items() if value != self.marks[name]}
        db.session.rollback()
        assert not changed, f"a test of a shared database changed its rows in {changed}"


@pytest.fixture(scope="module")
def shared_app(database_url: str) -> Iterator[Flask]:
    """One app and database for a module (see SharedDatabase); `app` then uses it per test."""
    application = new_app(base_config(database_url))
    with application.app_context():
        prepare_database()
    yield application
    with application.app_context():
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
    """Create a user with a role: admin, regional (region=…), coordinator, member or enumerator
    (city=…)."""
    from portal.auth import services

    counter = iter(range(1, 10_000))

    def factory(role: str = "member", city: City | None = None, region: Region | None = None,
                email: str | None = None, **fields: Any) -> User:
        user = services.create_user(
            email or f"user{next(counter)}-{role}@example.org", PASSWORD,
            is_admin=role == "admin", **fields, actor=None
        )
        if role in ("coordinator", "member", "enumerator") and city is not None:
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
