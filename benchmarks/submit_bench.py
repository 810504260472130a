"""Survey send throughput vs. a one-row insert, under gunicorn, on SQLite and PostgreSQL.

Run:  .venv/bin/python benchmarks/submit_bench.py [--seconds 10] [--clients 16] [--workers 4]
      [--slices 5] [--database both|sqlite|postgresql]
      [--limiter-storage redis://127.0.0.1:6379/14]
      (PostgreSQL is measured when BENCH_PG_URL or postgresql://postgres@127.0.0.1:5432 is
      reachable; the script creates and drops its own database ``lpn_submit_bench``.)

The production configuration for several workers: gunicorn runs with
PORTAL_RATELIMIT_STORAGE_URI set to a Redis database (default ``redis://127.0.0.1:6379/14``,
or BENCH_REDIS_URL / ``--limiter-storage``), so every worker counts in the same limiter. That
Redis database is FLUSHED before each run (use a number nothing else uses). The limits are
raised so that they never trip, but every limited request still counts in Redis.

Per database: a fresh schema (migrations) with the demo data; gunicorn with N sync workers
(``--workers``, default 2 × CPUs) on 127.0.0.1; in the same run, many concurrent clients
(threads, each with its own session) POST the final "send" of the demo survey (every
request another phone's: the client's answered cookie re-signed with a new UUID bound in it,
as a start would bind it, so every one stores a response with its ~16 answer rows), and the
same load POSTs to /bench/insert-one (a benchmark-only route that inserts one row, added by
benchmarks/benchapp.py, the app gunicorn runs here); the two loads alternate in ``--slices``
slices each. Prints sends/s ÷ inserts/s (goal ≥ 0.7) and responses stored vs sent.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
CITY, SLUG = "zelenovo", "living-together"


def phone_minter(secret_key: str) -> Callable[[str], tuple[str, str]]:
    """Return mint(cookie) -> (cookie, uuid): the same answers, started under a new UUID.

    A send's UUID is bound to the answers in the signed session at the start; filling the
    survey again for every send would measure the pages, not the send. The benchmark holds
    the app's secret key, so it signs the state another phone would have had.
    """
    from flask import Flask

    sys.path.insert(0, str(ROOT))  # this checkout's portal, whatever the venv points at
    from portal.sessions import PortalSessionInterface

    app = Flask(__name__)
    app.secret_key = secret_key
    serializer = PortalSessionInterface().get_signing_serializer(app)
    assert serializer is not None

    def mint(cookie: str) -> tuple[str, str]:
        data = serializer.loads(cookie.removeprefix("session="))
        fresh = str(uuid.uuid4())
        data["sv"] = {**data["sv"], "u": fresh}
        return f"session={serializer.dumps(data)}", fresh

    return mint


class Client:
    """A keep-alive-less HTTP client holding one session cookie (like one phone)."""

    def __init__(self, port: int) -> None:
        self.port, self.cookie = port, ""

    def request(self, method: str, path: str, form: dict[str, object] | None = None,
                keep: bool = False) -> tuple[int, str, str]:
        """Send a request; return status, body and Location (keep: ignore a new cookie)."""
        body = urllib.parse.urlencode(form or {}, doseq=True)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, path, body if method == "POST" else None, headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header in [] if keep else response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie(header)
            if "session" in jar:
                self.cookie = f"session={jar['session'].value}"
        connection.close()
        return response.status, text, response.headers.get("Location", "")


def prepare(port: int) -> tuple[Client, str]:
    """Answer the demo survey up to the send step; return the client and its CSRF token."""
    client = Client(port)
    base = f"/s/{CITY}/{SLUG}"
    _status, page, _ = client.request("GET", f"{base}/consent?lang=sq")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.request("POST", f"{base}/start", {"csrf_token": token, "uuid": str(uuid.uuid4()),
                                             "lang": "sq"})
    path = f"{base}/p/1"
    while "/p/" in path:
        _status, page, _ = client.request("GET", path)
        form: dict[str, object] = {"csrf_token": token, "nav": "next"}
        for name in dict.fromkeys(re.findall(r'name="(q\d+)" value="(?!dk|pn)', page)):
            values = re.findall(rf'name="{name}" value="(\d+)"', page)
            form[name] = values[min(3, len(values) - 1)]
        status, _page, location = client.request("POST", path, form)
        assert status == 302, (status, _page[:400])
        path = urllib.parse.urlparse(location).path
    return client, token


def clients_for(port: int, clients: int, kind: str) -> list[tuple[Client, str]]:
    """Prepare the clients of one load: phones at the send step, or bare clients."""
    if kind == "send":
        return [prepare(port) for _ in range(clients)]
    return [(Client(port), "") for _ in range(clients)]


def load(prepared: list[tuple[Client, str]], seconds: float, kind: str,
         mint: Callable[[str], tuple[str, str]] | None = None) -> tuple[int, int]:
    """Run one thread per prepared client for `seconds`; return (successes, failures)."""
    clients = len(prepared)
    counts, failures, stop = [0] * clients, [0] * clients, time.monotonic() + seconds

    def run(index: int) -> None:
        client, token = prepared[index]
        answered = client.cookie
        while time.monotonic() < stop:
            if kind == "send" and mint is not None:
                client.cookie, fresh = mint(answered)  # each send: another phone's
                status, _b, _l = client.request("POST", f"/s/{CITY}/{SLUG}/send",
                                                {"csrf_token": token, "uuid": fresh}, keep=True)
            else:
                status, _b, _l = client.request("POST", "/bench/insert-one", {})
            if status in (200, 201):
                counts[index] += 1
            else:
                failures[index] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts), sum(failures)


def flask(env: dict[str, str], *args: str) -> None:
    """Run a flask command of the portal quietly; show its output only when it fails."""
    done = subprocess.run([str(VENV / "flask"), "--app", "portal", *args], env=env,
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def count_responses(url: str) -> int:
    """Count stored responses of the demo survey in the benchmark database."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(sa.text(
            "select count(*) from survey_response r join survey s on s.id = r.survey_id "
            "join city c on c.id = s.city_id where c.slug = :c and s.slug = :s"),
            {"c": CITY, "s": SLUG}).scalar_one()
    engine.dispose()
    return int(count)


def measure(label: str, url: str, args: argparse.Namespace) -> None:
    """Set up the database, start gunicorn, run both loads, print the results."""
    secret_key = secrets.token_hex(32)
    env = {**os.environ, "PORTAL_SECRET_KEY": secret_key, "PORTAL_DATABASE_URL": url,
           "PORTAL_SURVEY_SEND_RATE_LIMIT": "1000000/minute",
           "PORTAL_SURVEY_RATE_LIMIT": "1000000/minute",
           "PORTAL_RATELIMIT_STORAGE_URI": args.limiter_storage}
    env.pop("PORTAL_TESTING", None)
    flask(env, "init-db")
    flask(env, "seed-demo")
    before = count_responses(url)
    flush_limiter(args.limiter_storage)
    port = 18000 + secrets.randbelow(1000)
    server = subprocess.Popen(
        [str(VENV / "gunicorn"), "--workers", str(args.workers), "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "--pythonpath", str(ROOT / "benchmarks"), "benchapp:create_app()"],
        env=env, cwd=ROOT, start_new_session=True)
    try:
        for _ in range(100):
            try:
                Client(port).request("GET", "/")
                break
            except OSError:
                time.sleep(0.1)
        # The two loads alternate in short slices, so that a change in the machine's load
        # during the run weighs on both sides of the ratio alike.
        phones = clients_for(port, args.clients, "send")
        bare = clients_for(port, args.clients, "insert")
        sent = send_failures = inserted = insert_failures = 0
        slice_seconds = args.seconds / args.slices
        for _ in range(args.slices):
            ok, failed = load(phones, slice_seconds, "send", phone_minter(secret_key))
            sent, send_failures = sent + ok, send_failures + failed
            ok, failed = load(bare, slice_seconds, "insert")
            inserted, insert_failures = inserted + ok, insert_failures + failed
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    stored = count_responses(url) - before
    send_rate, insert_rate = sent / args.seconds, inserted / args.seconds
    print(f"{label}: gunicorn {args.workers} sync workers, {args.clients} concurrent clients, "
          f"{args.seconds:.0f} s per load in {args.slices} alternating slices, "
          f"limiter storage {args.limiter_storage} (flushed)")
    print(f"  survey sends/s          {send_rate:8.1f}   (failures: {send_failures})")
    print(f"  one-row inserts/s       {insert_rate:8.1f}   (failures: {insert_failures})")
    print(f"  ratio sends ÷ inserts   {send_rate / insert_rate:8.2f}   (goal ≥ 0.7)")
    print(f"  responses stored {stored} vs sends acknowledged {sent}: "
          f"{'equal' if stored == sent else 'DIFFERENT'}")


def flush_limiter(storage: str) -> None:
    """Empty the limiter's Redis database so that every run starts with no counters."""
    if storage.startswith("redis://"):
        import redis

        redis.Redis.from_url(storage).flushdb()


def postgres_url() -> str | None:
    """Create a scratch PostgreSQL database, or return None when there is no server."""
    server = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
    if shutil.which("psql") is None:
        return None
    plain = server.replace("+psycopg", "")
    for sql in ("DROP DATABASE IF EXISTS lpn_submit_bench", "CREATE DATABASE lpn_submit_bench"):
        done = subprocess.run(["psql", f"{plain}/postgres", "-qc", sql], capture_output=True)
        if done.returncode != 0:
            return None
    return f"{server}/lpn_submit_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--slices", type=int, default=5,
                        help="alternate the two loads in this many slices each")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--database", choices=("both", "sqlite", "postgresql"), default="both",
                        help="measure on both databases (default) or on one")
    parser.add_argument("--limiter-storage",
                        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
                        help="PORTAL_RATELIMIT_STORAGE_URI for gunicorn (a Redis DB is flushed)")
    args = parser.parse_args()
    try:
        flush_limiter(args.limiter_storage)
    except Exception as error:  # noqa: BLE001 - any connection error: explain and stop
        sys.exit(f"limiter storage {args.limiter_storage} unreachable: {error}")
    print(f"Limiter storage: {args.limiter_storage} (the production configuration for several "
          "workers; this Redis database is flushed before each run)")
    if args.database in ("both", "sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            measure("SQLite (WAL)", f"sqlite:///{folder}/bench.sqlite3", args)
    if args.database == "sqlite":
        return
    url = postgres_url()
    if url is None:
        print("PostgreSQL: no server reachable; skipped", file=sys.stderr)
    else:
        measure("PostgreSQL", url, args)


if __name__ == "__main__":
    main()
