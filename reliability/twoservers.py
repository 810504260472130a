"""R7: two app servers on one PostgreSQL database, rate limits on Redis (issue #20, part 5).

Both gunicorn servers share what a load balancer in front of them needs them to share: the
database, the secret key (a session started on one is valid on the other), the limiter's Redis
storage and key prefix, the job queue on Redis and the jobs' file directory. Every request of a
resident goes to the next server in turn, so a page, its send and each resend or raced
duplicate cross servers. Then: a change made through one server shows at once on the other
(map data and its ETag, results), a job asked for on one server (a microdata export, run by a
worker process on the Redis queue) is followed and downloaded on the other, and a login limit
counted on Redis holds across both servers.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from reliability.client import Reply, Session, csrf_token
from reliability.load import CITY, SLUG, run_load, survey_uuids, verify
from reliability.servers import Portal, PostgresDatabase, temp_dir

LOGIN_LIMIT = 12
# A low login limit (the load never logs in) on a moving window: no window edge mid-check.
SETTINGS = {"PORTAL_LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per hour",
            "PORTAL_RATELIMIT_STRATEGY": "moving-window"}
COORDINATOR = ("coordinator@demo.lpn.example", "demo-coordinator-pass")


JOB_TIMEOUT = 180.0


@contextlib.contextmanager
def two_servers(limiter_uri: str) -> Iterator[tuple[Portal, Portal] | None]:
    """Yield two running servers on one fresh PostgreSQL database, with one job worker on the
    shared Redis queue (None: no PostgreSQL)."""
    if not PostgresDatabase.available():
        yield None
        return
    workdir = temp_dir()
    settings = {**SETTINGS, "PORTAL_JOBS_URL": limiter_uri,
                "PORTAL_JOBS_NAME": f"lpn-rel-{secrets.token_hex(4)}",
                "PORTAL_JOBS_FILES_DIR": str(workdir / "jobs"),
                "PORTAL_JOBS_EXPORT_ABOVE": "0"}  # every microdata export is a job
    first = Portal(PostgresDatabase(), workdir, limiter_uri, settings=settings, workers=2,
                   name="-a")
    second = first.twin("-b")
    first.prepare()
    first.start()
    second.start()
    worker = first.flask_process("jobs", "worker")
    try:
        yield first, second
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=30)
        second.stop()
        first.stop()


@dataclass
class Shared:
    """What each server showed of one change made through the other."""

    problems: list[str] = field(default_factory=list)
    logins_accepted: int = 0
    logins_refused: dict[int, int] = field(default_factory=dict)  # port -> 429s
    job_polls: int = 0
    job_rows: int = 0


def _pinned(session: Session, port: int) -> Session:
    """The same browser (cookies), talking to one server only."""
    return Session(port, dict(session.cookies), session.timeout)


def _results(session: Session, survey_id: int) -> dict[str, object]:
    reply = session.get(f"/api/v1/surveys/{survey_id}/results")
    if reply.status != 200:
        raise AssertionError(f"results on {session.port} answered {reply.status}")
    data = json.loads(reply.body)
    assert isinstance(data, dict)
    return data


def check_shared_state(a: Portal, b: Portal, shared: Shared) -> None:
    """A change through one server is what the other serves next (no stale per-process data)."""
    browser = Session(a.port, ports=(a.port, b.port))
    if not browser.login(*COORDINATOR):
        shared.problems.append("the coordinator could not log in")
        return
    on_a, on_b = _pinned(browser, a.port), _pinned(browser, b.port)
    survey_id = a.db.scalar("SELECT s.id FROM survey s JOIN city c ON c.id = s.city_id "
                            "WHERE c.slug = ? AND s.slug = ?", (CITY, SLUG))
    stored = a.db.scalar("SELECT COUNT(*) FROM survey_response WHERE survey_id = ?",
                         (survey_id,))
    first, second = _results(on_a, survey_id), _results(on_b, survey_id)
    if first != second:
        shared.problems.append("the two servers published different results")
    total = first.get("respondents")
    shown = total.get("value") if isinstance(total, dict) else None
    exact = isinstance(total, dict) and not total.get("rounded") and not total.get("suppressed")
    if exact and shown != stored:
        shared.problems.append(f"results count {shown} respondents, the database holds "
                               f"{stored}")
    before = on_a.get(f"/c/{CITY}/map.json")
    etag = before.headers.get("etag", "")
    name = f"R7 two servers {secrets.token_hex(3)}"
    form = on_b.get(f"/c/{CITY}/stakeholders/new")
    added = on_b.post(f"/c/{CITY}/stakeholders/new", {
        "csrf_token": csrf_token(form.body), "name": name, "organisation": "",
        "sector": "civil_society", "level": "local", "notes": ""})
    if added is None or added.status != 302:
        shared.problems.append(f"adding a stakeholder on B answered "
                               f"{added.status if added else None}")
        return
    replies: list[Reply] = [s.get(f"/c/{CITY}/map.json", headers={"If-None-Match": etag})
                            for s in (on_a, on_b)]
    for server, reply in zip("AB", replies, strict=True):
        if reply.status != 200 or name not in reply.body:
            shared.problems.append(f"server {server} served the map without the stakeholder "
                                   f"added on B ({reply.status})")
    if replies[0].headers.get("etag") != replies[1].headers.get("etag"):
        shared.problems.append("the two servers tag the same map differently")


def check_job_across_servers(a: Portal, b: Portal, shared: Shared) -> None:
    """A microdata export asked for on A, followed and downloaded (once) on B."""
    browser = Session(a.port)
    if not browser.login(*COORDINATOR):
        shared.problems.append("the coordinator could not log in for the job")
        return
    path = f"/c/{CITY}/results/{SLUG}/microdata"
    page = browser.get(path)
    asked = browser.post(path, {"csrf_token": csrf_token(page.body), "confirm": "y",
                                "file_format": "csv"})
    if asked is None or asked.status != 302 or "/jobs/" not in asked.location:
        shared.problems.append(f"the export on A did not start a job "
                               f"({asked.status if asked else None} {asked and asked.location})")
        return
    status_path = asked.location.split("?")[0]
    on_b = _pinned(browser, b.port)
    deadline = time.monotonic() + JOB_TIMEOUT
    status: dict[str, object] = {}
    while time.monotonic() < deadline:
        reply = on_b.get(f"{status_path}.json")
        if reply.status != 200:
            shared.problems.append(f"B answered {reply.status} for the job's status")
            return
        status = json.loads(reply.body)
        shared.job_polls += 1
        if status.get("finished"):
            break
        time.sleep(0.5)
    if status.get("status") != "done":
        shared.problems.append(f"the job did not finish in {JOB_TIMEOUT:.0f} s: {status}")
        return
    page = on_b.get(status_path)
    first = on_b.post(f"{status_path}/download", {"csrf_token": csrf_token(page.body)})
    stored = a.db.scalar("SELECT COUNT(*) FROM survey_response r JOIN survey s ON "
                         "s.id = r.survey_id JOIN city c ON c.id = s.city_id "
                         "WHERE c.slug = ? AND s.slug = ?", (CITY, SLUG))
    if first is None or first.status != 200:
        shared.problems.append(f"the download on B answered {first.status if first else None}")
        return
    rows = len([line for line in first.body.splitlines() if line.strip()]) - 1
    shared.job_rows = rows
    if rows < stored:  # responses sent after the export began may be missing, none other
        shared.problems.append(f"the export holds {rows} rows, the database {stored}")
    again = on_b.post(f"{status_path}/download", {"csrf_token": csrf_token(page.body)})
    if again is None or again.status == 200:
        shared.problems.append("the export could be downloaded twice")


def check_login_limit(a: Portal, b: Portal, shared: Shared) -> None:
    """Twice the login limit of wrong passwords, alternating servers: the limit counts once."""
    browsers = [Session(a.port), Session(b.port)]  # one visitor's two connections
    for attempt in range(2 * LOGIN_LIMIT):
        browser = browsers[attempt % 2]
        page = browser.get("/login")
        reply = browser.post("/login", {
            "csrf_token": csrf_token(page.body), "email": COORDINATOR[0],
            "password": "not the password"})
        assert reply is not None
        if reply.status == 429:
            shared.logins_refused[browser.port] = shared.logins_refused.get(browser.port, 0) + 1
        elif reply.status == 200:
            shared.logins_accepted += 1
        else:
            shared.problems.append(f"a wrong password answered {reply.status}")


def r7(a: Portal, b: Portal, flows: int, seed: int) -> tuple[bool, str, list[str]]:
    """Run R7 on two running servers; return (ok, line, details)."""
    before = survey_uuids(a.db)
    load = run_load(a, flows, seed, time_limit=flows * 2.0 + 120, ports=(a.port, b.port))
    v = verify(a.db, load, before)
    shared = Shared()
    check_shared_state(a, b, shared)
    check_job_across_servers(a, b, shared)
    check_login_limit(a, b, shared)
    # The coordinator's two logins above used two of the limit's tries.
    limit_ok = (shared.logins_accepted == LOGIN_LIMIT - 2
                and len(shared.logins_refused) == 2)
    ok = (v.ok and not v.unfinished and v.acknowledged == len(load.flows)
          and not shared.problems and limit_ok)
    line = (f"R7 postgresql, two servers: {v.acknowledged} acknowledged, {v.stored} stored, "
            f"{v.lost} lost, {v.duplicated} duplicated, {v.partial} partial, {v.extra} unasked, "
            f"{v.conflicts} conflicts, {len(v.errors_5xx)} responses >= 500 ({len(load.flows)} "
            f"flows, requests alternating servers; {load.seconds:.0f} s); login limit "
            f"{LOGIN_LIMIT}/hour across both: {shared.logins_accepted + 2} accepted, "
            f"{sum(shared.logins_refused.values())} refused "
            f"(A {shared.logins_refused.get(a.port, 0)}, B {shared.logins_refused.get(b.port, 0)}"
            f"); a change through B served by both, an export job asked on A followed "
            f"({shared.job_polls} polls) and downloaded once ({shared.job_rows} rows) on B: "
            f"{'yes' if not shared.problems else 'NO'}")
    details = shared.problems + sorted(set(v.errors_5xx))[:20] + [
        f"unfinished: {u}" for u in sorted(set(v.unfinished))[:10]]
    return ok, line, details
