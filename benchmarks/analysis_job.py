"""The big region analysed as production does it: a background job run by a real worker.

Used by analysis_bench.py. The map is stored in a scratch SQLite database; the map page's
service call (`services.get_analysis`) finds no result and, the map being above
ANALYSIS_INLINE_UP_TO actors, queues a `network_analysis` job (on Huey's SQLite storage)
instead of analysing in the request; a separate `flask jobs worker` process (this checkout's
portal, the app's default settings) runs it: it loads the map, analyses it and stores the result.
Printed: the job's wall time (queued to done) and the worker process's CPU time over the same
span, each as a ratio to the goal of 5 minutes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FLASK = str(Path(sys.executable).with_name("flask"))
SECRET = "bench-" + "0" * 58
STARTUP_WAIT = 120.0  # seconds for the worker to come up on a loaded machine
JOB_WAIT = 3600.0  # give up after an hour


def cpu_seconds(pid: int) -> float:
    """Return the user + system CPU seconds a running process (all its threads) has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _start_worker(config: dict[str, Any], log: Path) -> subprocess.Popen:
    """Start `flask jobs worker` on the scratch database and queue; wait until it listens."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PORTAL_SECRET_KEY": SECRET,
           "PORTAL_DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
           "PORTAL_JOBS_URL": config["JOBS_URL"], "PORTAL_JOBS_NAME": config["JOBS_NAME"],
           "PORTAL_JOBS_FILES_DIR": config["JOBS_FILES_DIR"]}
    with log.open("wb") as out:
        worker = subprocess.Popen([FLASK, "--app", "portal", "jobs", "worker"], env=env,
                                  stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + STARTUP_WAIT
    while "consumer started" not in log.read_text(errors="replace").lower():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            raise SystemExit(f"the worker did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)
    return worker


def run_in_job(stakeholders: list[dict[str, Any]], ties: list[dict[str, Any]],
               store_map: Any, goal: float) -> None:
    """Store the map, let a request queue its analysis, a worker run it; print the times."""
    from portal import create_app
    from portal.extensions import db
    from portal.models import City
    from portal.networks import services
    from portal.networks.pending import AnalysisPending

    with tempfile.TemporaryDirectory() as scratch:
        config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{scratch}/bench.sqlite3",
                  "JOBS_URL": f"sqlite:///{scratch}/jobs.sqlite3", "JOBS_NAME": "bench",
                  "JOBS_FILES_DIR": f"{scratch}/files"}
        app = create_app({"TESTING": True, "SECRET_KEY": SECRET, **config})
        with app.app_context():
            db.create_all()
            start = time.perf_counter()
            city_id = store_map(stakeholders, ties)
            print(f"  stored the map in SQLite in {time.perf_counter() - start:.0f} s "
                  "(not counted)")
        worker = _start_worker(config, Path(scratch) / "worker.log")
        try:
            with app.app_context():
                cpu0, wall0 = cpu_seconds(worker.pid), time.perf_counter()
                try:  # what the map page does: no result yet, so it queues the job
                    services.get_analysis(db.session.get(City, city_id))
                    raise SystemExit("the analysis ran inline: the map is below the job limit")
                except AnalysisPending as pending:
                    job_uuid = pending.job.uuid
                db.session.commit()  # the job is handed to the queue on commit
                job = _wait(job_uuid)
                wall, cpu = time.perf_counter() - wall0, cpu_seconds(worker.pid) - cpu0
                db.session.remove()
                found = services.get_analysis(db.session.get(City, city_id))  # cached now
                s = found["summary"]
                print(f"  job {job.status} after {job.attempts} attempt(s): {s['size']} "
                      f"stakeholders, {s['ties']} tied pairs, centrality {s['centrality']}")
                db.session.remove()
                db.engine.dispose()
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    if job.status != "done":
        raise SystemExit(f"the job ended {job.status}: {job.message}")
    load = os.getloadavg()[0]
    print(f"  in a background job (load map + analyse + store): {wall:.0f} s wall, ratio to "
          f"5 min {wall / goal:.2f} (goal < 1) {'OK' if wall < goal else 'MISSED'} | worker CPU "
          f"{cpu:.0f} s, ratio {cpu / goal:.2f} {'OK' if cpu < goal else 'MISSED'} "
          f"(load average {load:.1f} on {os.cpu_count()} CPUs)")


def _wait(job_uuid: str) -> Any:
    """Poll the job's row until the worker has finished it; return it."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Job

    deadline = time.monotonic() + JOB_WAIT
    while time.monotonic() < deadline:
        db.session.rollback()  # a fresh read of what the worker committed
        job = db.session.scalar(select(Job).where(Job.uuid == job_uuid))
        if job is not None and job.status in ("done", "failed"):
            return job
        time.sleep(1.0)
    raise SystemExit(f"job {job_uuid} not finished after {JOB_WAIT:.0f} s")
