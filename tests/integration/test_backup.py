"""`flask backup` / `flask restore`: consistent under writes, refusing what is not theirs.

Each test makes its own databases of the suite's kind (SQLite files, or PostgreSQL databases
next to PORTAL_TEST_DATABASE_URL) through `init-db`, as production does.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, MetaData, create_engine, insert, make_url, select, text

from portal import create_app
from portal.models import Region
from tests.conftest import TEST_SECRET

LOAD = "load-"  # the slugs of the regions the writer adds during the backup


def _portal(url: str) -> Flask:
    return create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET,
                       "SQLALCHEMY_DATABASE_URI": url})


def _invoke(url: str, *args: str) -> Any:
    app = _portal(url)
    result = app.test_cli_runner().invoke(args=list(args))
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()
    return result


@pytest.fixture
def new_database(database_url: str, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """new_database("source") → the URL of an empty database of the suite's kind."""
    created: list[str] = []
    server = make_url(database_url)
    admin = None
    if server.get_backend_name() == "postgresql":
        admin = create_engine(database_url, isolation_level="AUTOCOMMIT")

    def factory(name: str) -> str:
        if admin is None:
            return f"sqlite:///{tmp_path / name}.sqlite3"
        database = f"{server.database}_backup_{name}"
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        created.append(database)
        return server.set(database=database).render_as_string(hide_password=False)

    yield factory
    if admin is not None:
        with admin.connect() as connection:
            for database in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def _rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, by table name."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {name: sorted(connection.execute(select(table)).all(), key=repr)
                for name, table in metadata.tables.items()}


def _keep_writing(engine: Engine, stop: threading.Event, written: list[int]) -> None:
    """Add regions load-000001, load-000002… one committed transaction each, until stopped."""
    number = 0
    while not stop.is_set():
        number += 1
        with engine.begin() as connection:
            connection.execute(insert(Region).values(slug=f"{LOAD}{number:06d}",
                                                     name=f"Load {number}"))
        written.append(number)
        time.sleep(0.001)


def _load_numbers(rows: list[tuple[Any, ...]]) -> list[int]:
    return sorted(int(row.slug.removeprefix(LOAD)) for row in rows if row.slug.startswith(LOAD))


def test_backup_during_writes_restores_every_table_as_at_one_moment(new_database, tmp_path):
    source_url, target_url = new_database("source"), new_database("target")
    assert _invoke(source_url, "init-db").exit_code == 0
    assert _invoke(source_url, "seed-demo").exit_code == 0
    source = create_engine(source_url)
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_keep_writing, args=(source, stop, written))
    writer.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        committed_before = len(written)
        backup = tmp_path / "portal.backup"
        result = _invoke(source_url, "backup", str(backup))
        committed_after = len(written) + 1  # one more may be committed, not yet counted
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output

    result = _invoke(target_url, "restore", str(backup))
    assert result.exit_code == 0, result.output
    target = create_engine(target_url)
    expected, restored = _rows(source), _rows(target)
    numbers = _load_numbers(restored.pop("region"))
    assert committed_before <= len(numbers) <= committed_after
    assert numbers == list(range(1, len(numbers) + 1))  # a prefix: the source at one moment
    expected_regions = expected.pop("region")
    assert _load_numbers(expected_regions) == list(range(1, len(written) + 1))
    assert restored == expected
    assert [row for row in expected_regions if not row.slug.startswith(LOAD)]
    assert all(expected[name] for name in ("survey_answer", "tie", "stakeholder", "city"))
    with target.begin() as connection:  # sequences restored: new rows get fresh ids
        connection.execute(insert(Region).values(slug="after-restore", name="After"))
    if target.dialect.name == "sqlite":
        for path in (backup, make_url(target_url).database):
            with sqlite3.connect(path) as check:
                assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    source.dispose()
    target.dispose()


def test_restore_into_a_database_with_data_needs_yes(new_database, tmp_path):
    source_url, target_url = new_database("source"), new_database("target")
    backup = tmp_path / "portal.backup"
    for url, region in ((source_url, "from-backup"), (target_url, "kept")):
        assert _invoke(url, "init-db").exit_code == 0
        assert _invoke(url, "create-region", region, "--name", region).exit_code == 0
    assert _invoke(source_url, "backup", str(backup)).exit_code == 0
    target = create_engine(target_url)

    def slugs() -> set[str]:
        with target.connect() as connection:
            return set(connection.scalars(select(Region.slug)))

    result = _invoke(target_url, "restore", str(backup))
    assert result.exit_code != 0 and "--yes" in result.output
    assert slugs() == {"kept"}
    result = _invoke(target_url, "restore", "--yes", str(backup))
    assert result.exit_code == 0, result.output
    assert slugs() == {"from-backup"}
    target.dispose()


def _sqlite_file(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()


@pytest.mark.parametrize("case, message", [
    ("random", "not a"),
    ("empty", "not a"),
    ("other kind", "backup; the configured database is"),
    ("sqlite without revision", None),
    ("sqlite of a newer portal", "does not know"),
])
def test_restore_refuses_a_file_that_is_not_a_portal_backup_and_changes_nothing(
        new_database, tmp_path, case, message):
    target_url = new_database("target")
    assert _invoke(target_url, "init-db").exit_code == 0
    assert _invoke(target_url, "create-region", "kept", "--name", "Kept").exit_code == 0
    sqlite_target = make_url(target_url).get_backend_name() == "sqlite"
    if case.startswith("sqlite ") and not sqlite_target:
        pytest.skip("a SQLite file is the other kind for PostgreSQL: case 'other kind'")
    path = tmp_path / "file.backup"
    if case == "random":
        path.write_bytes(b"\x00\x01not a database at all" * 50)
    elif case == "empty":
        path.write_bytes(b"")
    elif case == "other kind":
        if sqlite_target:
            path.write_bytes(b"PGDMP\x01\x0f\x00" + bytes(200))
        else:
            _sqlite_file(path, "CREATE TABLE alembic_version (version_num TEXT)")
    elif case == "sqlite without revision":
        _sqlite_file(path, "CREATE TABLE region (id INTEGER PRIMARY KEY)")
        message = "not a"
    else:
        _sqlite_file(path, "CREATE TABLE alembic_version (version_num TEXT)",
                     "INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    result = _invoke(target_url, "restore", "--yes", str(path))
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output
    target = create_engine(target_url)
    with target.connect() as connection:
        assert list(connection.scalars(select(Region.slug))) == ["kept"]
    target.dispose()


def test_postgresql_backup_without_pg_dump_says_what_to_install(monkeypatch, tmp_path):
    from portal import backup

    monkeypatch.setenv("PATH", str(tmp_path))
    engine = create_engine("postgresql+psycopg://portal@127.0.0.1:1/nowhere")
    with pytest.raises(backup.BackupError, match="pg_dump was not found.*postgresql-client"):
        backup.backup(engine, tmp_path / "portal.dump")
    assert list(tmp_path.iterdir()) == []


def test_backup_refuses_a_missing_folder(new_database, tmp_path):
    url = new_database("source")
    assert _invoke(url, "init-db").exit_code == 0
    result = _invoke(url, "backup", str(tmp_path / "missing" / "portal.backup"))
    assert result.exit_code == 1 and "does not exist" in result.output
