"""R2, second half: kill -9 the stakeholder import mid-way; the city holds all of it or none."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from reliability.servers import Portal

CITY = "belopolje"
SECTORS = ("education", "religious", "youth", "municipality", "police", "health", "social",
           "civil_society", "media", "national_government", "international", "private")
KINDS = ("information", "referral", "joint_activity", "funding", "agreement")
FREQUENCIES = ("weekly", "monthly", "quarterly", "yearly")


def write_files(directory: Path, prefix: str, people: int, ties: int, seed: int
                ) -> tuple[Path, Path, int]:
    """Write a stakeholders CSV and a ties CSV whose every name starts with ``prefix``."""
    rng = random.Random(seed)
    rows = ["name,sector,level,area,notes"] + [
        f"{prefix} actor {i},{SECTORS[i % len(SECTORS)]},local,{prefix} area {i % 7},"
        f"generated for the reliability suite" for i in range(people)]
    seen: set[tuple[int, int, str]] = set()
    links = ["from,to,kind,frequency,round"]
    while len(links) - 1 < ties:
        a, b, kind = rng.randrange(people), rng.randrange(people), rng.choice(KINDS)
        if a != b and (min(a, b), max(a, b), kind) not in seen:
            seen.add((min(a, b), max(a, b), kind))
            links.append(f"{prefix} actor {a},{prefix} actor {b},{kind},"
                         f"{rng.choice(FREQUENCIES)},{prefix} round")
    people_path, ties_path = directory / f"{prefix}-people.csv", directory / f"{prefix}-ties.csv"
    people_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ties_path.write_text("\n".join(links) + "\n", encoding="utf-8")
    return people_path, ties_path, ties


@dataclass
class Attempt:
    prefix: str
    killed_after: float | None  # seconds; None: ran to its end
    exit_code: int | None
    stakeholders: int
    ties: int
    areas: int
    rounds: int


@dataclass
class ImportKills:
    people: int = 0
    ties: int = 0
    full_seconds: float = 0.0
    attempts: list[Attempt] = field(default_factory=list)

    def verdict(self, attempt: Attempt) -> str:
        """Return "nothing", "everything" or "PARTIAL"."""
        counts = (attempt.stakeholders, attempt.ties, attempt.areas, attempt.rounds)
        if counts == (0, 0, 0, 0):
            return "nothing"
        if counts == (self.people, self.ties, 7, 1):
            return "everything"
        return "PARTIAL"


def _counts(portal: Portal, prefix: str) -> tuple[int, int, int, int]:
    db, like = portal.db, f"{prefix} %"
    city = "(SELECT id FROM city WHERE slug = ?)"
    stakeholders = db.scalar(f"SELECT COUNT(*) FROM stakeholder WHERE city_id = {city} "
                             "AND name LIKE ?", (CITY, like))
    ties = db.scalar(f"SELECT COUNT(*) FROM tie t JOIN stakeholder s ON s.id = t.source_id "
                     f"WHERE t.city_id = {city} AND s.name LIKE ?", (CITY, like))
    areas = db.scalar(f"SELECT COUNT(*) FROM area WHERE city_id = {city} AND name LIKE ?",
                      (CITY, like))
    rounds = db.scalar(f"SELECT COUNT(*) FROM mapping_round WHERE city_id = {city} "
                       "AND name LIKE ?", (CITY, like))
    return int(stakeholders), int(ties), int(areas), int(rounds)


def _import(portal: Portal, prefix: str, files: tuple[Path, Path], kill_after: float | None,
            limit: float) -> tuple[float | None, int | None, float]:
    """Run the import CLI; kill -9 its process group after ``kill_after`` s if still running."""
    began = time.monotonic()
    process = portal.flask_process("stakeholders", "import", CITY, "--stakeholders",
                                   str(files[0]), "--ties", str(files[1]))
    killed: float | None = None
    try:
        process.wait(timeout=kill_after if kill_after is not None else limit)
    except subprocess.TimeoutExpired:
        killed = time.monotonic() - began
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:  # the time limit of an unkilled run: stop it anyway
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        if process.stderr is not None:
            process.stderr.close()
    return killed, None if killed is not None else process.returncode, time.monotonic() - began


def run_import_kills(portal: Portal, workdir: Path, people: int, ties: int, kills: int,
                     seed: int, limit: float = 300.0) -> ImportKills:
    """Import once to its end (timed), then ``kills`` times killed at spread-out moments."""
    result = ImportKills(people=people)
    for number in range(kills + 1):
        prefix = f"R2-{seed}-{number}"
        people_path, ties_path, result.ties = write_files(workdir, prefix, people, ties,
                                                          seed + number)
        if number == 0:
            kill_after = None
        else:  # from the end of start-up to the commit
            fraction = 0.35 + 0.55 * (number - 1) / max(1, kills - 1)
            kill_after = result.full_seconds * fraction
        killed, code, seconds = _import(portal, prefix, (people_path, ties_path), kill_after,
                                        limit)
        if number == 0:
            result.full_seconds = seconds
        result.attempts.append(Attempt(prefix, killed, code, *_counts(portal, prefix)))
        people_path.unlink(missing_ok=True)
        ties_path.unlink(missing_ok=True)
    return result
