"""The suite's own databases and gunicorn servers, always cleaned up (even on Ctrl-C)."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
WORKERS = 4
START_TIMEOUT = 60.0
# Limits high enough that the load never meets them, but the limiter stays on (and on Redis
# when it is reachable): every request still pays its counter, as in production.
HIGH_LIMIT = "1000000 per minute"


def reachable(host: str, port: int, timeout: float = 1.0) -> bool:
    """Return True when something accepts a TCP connection at host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def redis_ok() -> bool:
    """Return True when Redis answers PING at 127.0.0.1:6379."""
    if not reachable(REDIS_HOST, REDIS_PORT):
        return False
    try:
        import redis

        return bool(redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=2).ping())
    except Exception:
        return False


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cleanup:
    """Callbacks run once, last registered first, on exit, error or Ctrl-C."""

    def __init__(self) -> None:
        self._items: list[tuple[str, Callable[[], Any]]] = []

    def add(self, label: str, callback: Callable[[], Any]) -> None:
        self._items.append((label, callback))

    def run(self) -> None:
        while self._items:
            label, callback = self._items.pop()
            try:
                callback()
            except Exception as exc:  # keep cleaning the rest
                print(f"cleanup of {label} failed: {exc}", file=sys.stderr)


CLEANUP = Cleanup()


def temp_dir(prefix: str = "lpn-reliability-") -> Path:
    """Return a new temporary directory, removed at clean-up."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    CLEANUP.add(f"temp dir {path}", lambda: shutil.rmtree(path, ignore_errors=True))
    return path


class Database:
    """A fresh database of the suite, queried directly (not through the app)."""

    kind = ""
    url = ""

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a query (placeholders written ``?``) and return its rows."""
        raise NotImplementedError

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        found = self.rows(sql, params)
        return found[0][0] if found else None

    def integrity(self) -> str:
        """Return the database's own consistency verdict ("ok" when sound)."""
        return "ok"


class SqliteDatabase(Database):
    """A SQLite file in a temporary directory."""

    kind = "sqlite"

    def __init__(self, directory: Path, name: str = "portal.sqlite3") -> None:
        self.path = directory / name
        self.url = f"sqlite:///{self.path}"

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as conn:
            conn.execute("PRAGMA busy_timeout=30000")
            return list(conn.execute(sql, tuple(params)).fetchall())

    def integrity(self) -> str:
        found = self.rows("PRAGMA integrity_check")
        return ", ".join(str(row[0]) for row in found)


class PostgresDatabase(Database):
    """A database created on 127.0.0.1:5432 for this run and dropped at clean-up."""

    kind = "postgresql"

    def __init__(self, name: str | None = None) -> None:
        self.name = name or f"lpn_reliability_{os.getpid()}_{secrets.token_hex(3)}"
        self.url = f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{self.name}"
        self._admin(f'CREATE DATABASE "{self.name}"')
        CLEANUP.add(f"database {self.name}", self.drop)

    @staticmethod
    def available() -> bool:
        if not reachable(PG_HOST, PG_PORT):
            return False
        try:
            PostgresDatabase._admin("SELECT 1")
            return True
        except Exception:
            return False

    @staticmethod
    def _admin(sql: str) -> None:
        import psycopg

        with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres",
                             autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql)

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=self.name,
                             connect_timeout=5) as conn:
            return list(conn.execute(sql.replace("?", "%s"), tuple(params)).fetchall())


class Portal:
    """The app on one database: its CLI, and a gunicorn server that may be killed."""

    def __init__(self, db: Database, workdir: Path, limiter_uri: str,
                 settings: dict[str, str] | None = None, workers: int = WORKERS,
                 name: str = "") -> None:
        self.db = db
        self.workdir = workdir
        self.port = free_port()
        self.workers = workers
        self.env = dict(os.environ)
        self.env.update({
            "PORTAL_SECRET_KEY": secrets.token_hex(32),
            "PORTAL_DATABASE_URL": db.url,
            "PORTAL_RATELIMIT_STORAGE_URI": limiter_uri,
            "PORTAL_RATELIMIT_KEY_PREFIX": f"lpn-rel-{os.getpid()}-{secrets.token_hex(3)}",
            "PORTAL_LOGIN_RATE_LIMIT": HIGH_LIMIT,
            "PORTAL_SURVEY_RATE_LIMIT": HIGH_LIMIT,
            "PORTAL_SURVEY_SEND_RATE_LIMIT": HIGH_LIMIT,
            "PYTHONUNBUFFERED": "1",
        })
        self.env.update(settings or {})
        self.env.pop("PORTAL_TESTING", None)
        self.process: subprocess.Popen[bytes] | None = None
        self.log = workdir / f"gunicorn-{db.kind}{name}.log"
        self.restarts = 0
        CLEANUP.add(f"gunicorn on {self.port}", self.stop)

    def twin(self, name: str) -> Portal:
        """Return a second server of the same deployment: same database, secret key, limiter
        storage and key prefix, its own port (two app servers behind one address)."""
        other = Portal(self.db, self.workdir, self.env["PORTAL_RATELIMIT_STORAGE_URI"],
                       workers=self.workers, name=name)
        other.env = dict(self.env)
        return other

    def flask(self, *args: str, timeout: float = 600, stdin: str | None = None,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``flask --app portal ARGS`` on this database; return the finished process."""
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "portal", *args], cwd=ROOT,
            env={**self.env, **(env or {})}, input=stdin, capture_output=True, text=True,
            timeout=timeout, check=False)

    def flask_process(self, *args: str) -> subprocess.Popen[bytes]:
        """Start ``flask --app portal ARGS`` in its own process group (so it can be killed)."""
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "portal", *args], cwd=ROOT, env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)

    def prepare(self) -> None:
        """Create the schema and the demo data (cities, users, open demo survey)."""
        for args in (("init-db",), ("seed-demo",)):
            done = self.flask(*args)
            if done.returncode != 0:
                raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stderr[-3000:]}")

    def start(self) -> None:
        """Start gunicorn (4 sync workers unless told) and wait until it answers."""
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--worker-class",
             "sync", "--bind", f"127.0.0.1:{self.port}", "--timeout", "30",
             "--graceful-timeout", "5", "portal:create_app()"],
            cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            if reachable("127.0.0.1", self.port, 0.5) and self._answers():
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {START_TIMEOUT:.0f} s")

    def _answers(self) -> bool:
        from reliability.client import Session

        try:
            return Session(self.port, timeout=5).get("/login").status == 200
        except OSError:
            return False

    def pids(self) -> list[int]:
        """Return the master's and its workers' process ids."""
        if self.process is None:
            return []
        found = [self.process.pid]
        with contextlib.suppress(OSError):
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                with contextlib.suppress(OSError):
                    stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    if int(stat[1]) == self.process.pid:  # the parent's id
                        found.append(int(entry.name))
        return found

    def kill9(self) -> int:
        """kill -9 the master and every worker at once; return how many processes died."""
        if self.process is None:
            return 0
        pids = self.pids()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        for pid in pids:  # a worker that left the group, should one ever
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None
        return len(pids)

    def restart(self) -> None:
        self.restarts += 1
        self.start()

    def stop(self) -> None:
        """Stop gunicorn: TERM, then KILL after 15 s."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        self.process = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@contextlib.contextmanager
def portal_on(kind: str, limiter_uri: str) -> Iterator[Portal | None]:
    """Yield a prepared, running portal on a fresh database of this kind (None: no PostgreSQL)."""
    workdir = temp_dir()
    if kind == "postgresql":
        if not PostgresDatabase.available():
            yield None
            return
        db: Database = PostgresDatabase()
    else:
        db = SqliteDatabase(workdir)
    portal = Portal(db, workdir, limiter_uri)
    portal.prepare()
    portal.start()
    try:
        yield portal
    finally:
        portal.stop()
