"""R1 (sends under load) and R2 (kill -9 during that load): acknowledged = stored, once."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

from reliability.resident import Flow, Resident
from reliability.servers import Database, Portal

CITY, SLUG = "zelenovo", "living-together"
RESIDENTS = 16


@dataclass
class Load:
    """The flows of one load run and what the database holds afterwards."""

    flows: list[Flow] = field(default_factory=list)
    kills: int = 0
    killed_processes: int = 0
    seconds: float = 0.0


def run_load(portal: Portal, total: int, seed: int, time_limit: float, kills: int = 0,
             patience: float = 0.0, load: Load | None = None,
             stop: threading.Event | None = None, ports: tuple[int, ...] = ()) -> Load:
    """Run ``total`` resident flows on 16 threads; kill -9 the server ``kills`` times.

    With ``ports`` (several servers on one database), each request of a flow goes to the next
    server in turn, so a page, its send and a resend or raced duplicate cross servers."""
    load = load if load is not None else Load()
    lock = threading.Lock()
    started = [0]
    stop = stop if stop is not None else threading.Event()
    deadline = time.monotonic() + time_limit

    def resident(number: int) -> None:
        rng = random.Random(f"{seed}-{number}")
        while not stop.is_set() and time.monotonic() < deadline:
            with lock:
                if started[0] >= total:
                    return
                started[0] += 1
            flow = Resident(portal.port, CITY, SLUG, rng, patience, ports).answer()
            with lock:
                load.flows.append(flow)

    def killer() -> None:
        for k in range(kills):
            goal = total * (k + 1) // (kills + 1)  # spread over the run
            while len(load.flows) < goal and not stop.is_set() and time.monotonic() < deadline:
                time.sleep(0.05)
            if stop.is_set() or time.monotonic() >= deadline:
                return
            time.sleep(random.Random(seed + k).random() * 0.3)  # mid-request, somewhere
            load.killed_processes += portal.kill9()
            load.kills += 1
            time.sleep(0.5)
            portal.restart()

    began = time.monotonic()
    threads = [threading.Thread(target=resident, args=(i,), daemon=True)
               for i in range(RESIDENTS)]
    if kills:
        threads.append(threading.Thread(target=killer, daemon=True))
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join(timeout=max(1.0, deadline - time.monotonic() + 120))
    finally:
        stop.set()
    load.seconds = time.monotonic() - began
    return load


@dataclass
class Verdict:
    acknowledged: int
    stored: int
    lost: int
    duplicated: int
    partial: int
    extra: int
    conflicts: int
    errors_5xx: list[str]
    unfinished: list[str]

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.partial or self.extra or self.conflicts
                    or self.errors_5xx)


def survey_uuids(db: Database) -> set[str]:
    """Return every response UUID of the demo survey of the load's city."""
    return {str(row[0]) for row in db.rows(
        "SELECT r.uuid FROM survey_response r JOIN survey s ON s.id = r.survey_id "
        "JOIN city c ON c.id = s.city_id WHERE c.slug = ? AND s.slug = ?", (CITY, SLUG))}


def verify(db: Database, load: Load, before: set[str]) -> Verdict:
    """Count in the database, by UUID: each acknowledged send once, with all its answer rows."""
    counts: dict[str, tuple[int, int]] = {}
    for uuid, responses, answers in db.rows(
            "SELECT r.uuid, COUNT(DISTINCT r.id), COUNT(a.id) FROM survey_response r "
            "JOIN survey s ON s.id = r.survey_id JOIN city c ON c.id = s.city_id "
            "LEFT JOIN survey_answer a ON a.response_id = r.id "
            "WHERE c.slug = ? AND s.slug = ? GROUP BY r.uuid", (CITY, SLUG)):
        counts[str(uuid)] = (int(responses), int(answers))
    sent = {flow.uuid for flow in load.flows if flow.uuid}
    acked = [flow for flow in load.flows if flow.acknowledged]
    stored = [flow for flow in acked if flow.uuid in counts]
    duplicated = sum(n - 1 for n, _ in counts.values() if n > 1)
    partial = sum(1 for flow in load.flows if flow.uuid in counts
                  and counts[flow.uuid][1] != flow.rows * counts[flow.uuid][0])
    extra = len(set(counts) - sent - before)  # stored under a UUID no resident sent
    return Verdict(
        acknowledged=len(acked), stored=len(stored), lost=len(acked) - len(stored),
        duplicated=duplicated, partial=partial, extra=extra,
        conflicts=sum(flow.conflicts for flow in load.flows),
        errors_5xx=[s for flow in load.flows for s in flow.statuses_5xx],
        unfinished=[flow.failure for flow in load.flows if flow.failure])
