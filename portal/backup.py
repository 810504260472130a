"""Backups of the portal's database and their restore.

SQLite: the online backup API copies the database in one read transaction, so the copy is the
database at one moment even while the portal writes (a plain file copy of a live WAL database is
not). PostgreSQL: ``pg_dump -Fc`` (one snapshot) and ``pg_restore --clean --if-exists`` in one
transaction, run with the connection parameters of the configured URL.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from sqlalchemy import inspect, literal, select, table
from sqlalchemy.engine import URL, Engine

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
VERSION_TABLE = "alembic_version"  # every database made by `init-db` has it


class BackupError(Exception):
    """The backup or restore cannot run; the message says why and what to do."""


def backup(engine: Engine, path: str | Path) -> None:
    """Write a consistent copy of the engine's database to path (replaced atomically)."""
    target = Path(path)
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    partial = target.with_name(target.name + ".partial")
    try:
        if _kind(engine.url) == "sqlite":
            _sqlite_backup(_sqlite_path(engine.url), partial)
        else:
            _pg_run("pg_dump", ["--format=custom", "--file", str(partial)], engine.url)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def restore(engine: Engine, path: str | Path, known_revisions: Iterable[str],
            replace_data: bool = False) -> str:
    """Replace the engine's database by the backup at path; return the backup's revision.

    Refuses a file that is not a portal backup of the engine's kind, a backup made by a newer
    portal, and (unless replace_data) a database that holds data.
    """
    source = Path(path)
    kind = _kind(engine.url)
    revision = _sqlite_revision(source) if kind == "sqlite" else _pg_revision(source)
    if revision not in set(known_revisions):
        raise BackupError(f"the backup is at schema revision {revision!r}, which this version "
                          "of the portal does not know: restore it with a newer version")
    if not replace_data and _holds_data(engine):
        raise BackupError("the database holds data: add --yes to replace it by the backup")
    engine.dispose()  # our own connections would hold locks that the restore waits for
    if kind == "sqlite":
        with closing(sqlite3.connect(source)) as backup_file, \
                closing(sqlite3.connect(_sqlite_path(engine.url))) as database:
            backup_file.backup(database)
    else:
        _pg_run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges",
                               "--single-transaction", "--exit-on-error", str(source)],
                engine.url)
    return revision


def _kind(url: URL) -> str:
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of {backend} databases are not supported")
    return backend


def _holds_data(engine: Engine) -> bool:
    """Return True when any table but the schema version holds a row."""
    with engine.connect() as connection:
        names = [name for name in inspect(connection).get_table_names() if name != VERSION_TABLE]
        return any(connection.execute(select(literal(1)).select_from(table(name)).limit(1))
                   .first() is not None for name in names)


def _read_magic(path: Path, expected: bytes, kind: str) -> None:
    """Refuse a file that does not start like a backup of the configured database's kind."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from exc
    if head.startswith(expected):
        return
    if head.startswith(SQLITE_MAGIC) or head.startswith(PGDUMP_MAGIC):
        other = "SQLite" if head.startswith(SQLITE_MAGIC) else "PostgreSQL"
        raise BackupError(f"{path} is a {other} backup; the configured database is {kind}")
    raise BackupError(f"{path} is not a {kind} backup of the portal")


# SQLite -------------------------------------------------------------------------------------

def _sqlite_path(url: URL) -> str:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise BackupError("the configured SQLite database is not a plain file")
    return database


def _sqlite_backup(database: str, partial: Path) -> None:
    if not os.path.isfile(database):
        raise BackupError(f"the database file {database} does not exist")
    with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(partial)) as copy:
        source.backup(copy)  # all pages in one step: one read transaction, one moment
        copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        _check_integrity(copy, partial)


def _check_integrity(connection: sqlite3.Connection, path: Path) -> None:
    result = connection.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        raise BackupError(f"{path} fails SQLite's integrity check: {result[:3]}")


def _sqlite_revision(path: Path) -> str:
    """Check the file is an intact SQLite portal database; return its schema revision."""
    _read_magic(path, SQLITE_MAGIC, "SQLite")
    try:
        with closing(sqlite3.connect(path)) as connection:
            _check_integrity(connection, path)
            row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite backup of the portal ({exc})") from exc
    if row is None:
        raise BackupError(f"{path} holds no schema revision: not a backup of the portal")
    return str(row[0])


# PostgreSQL ---------------------------------------------------------------------------------

def _pg_run(tool: str, arguments: list[str], url: URL, database: bool = True) -> str:
    """Run pg_dump or pg_restore with the URL's connection parameters; return its output."""
    program = shutil.which(tool)
    if program is None:
        raise BackupError(f"{tool} was not found: install PostgreSQL's client programs "
                          "(Debian: apt-get install postgresql-client) of the server's version")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where ps shows it
    libpq = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                       database=url.database, query=url.query)
    command = [program, *arguments]
    if database:
        command[1:1] = ["--dbname", libpq.render_as_string(hide_password=False)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def _pg_revision(path: Path) -> str:
    """Check the file is a pg_dump archive of the portal; return its schema revision."""
    _read_magic(path, PGDUMP_MAGIC, "PostgreSQL")
    url = URL.create("postgresql")
    listing = _pg_run("pg_restore", ["--list", str(path)], url, database=False)
    if f" TABLE DATA public {VERSION_TABLE} " not in listing:
        raise BackupError(f"{path} holds no schema revision: not a backup of the portal")
    script = _pg_run("pg_restore", ["--data-only", f"--table={VERSION_TABLE}", "--file=-",
                                    str(path)], url, database=False)
    lines = iter(script.splitlines())
    for line in lines:
        if line.startswith(f"COPY public.{VERSION_TABLE} "):
            revision = next(lines, "\\.")
            if revision != "\\.":
                return revision
    raise BackupError(f"{path} holds no schema revision: not a backup of the portal")
