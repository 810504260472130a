"""R6: ``flask backup`` while residents send, ``flask restore`` into a fresh database, compare."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from reliability.load import Load, run_load
from reliability.servers import Database, Portal, PostgresDatabase, SqliteDatabase

RESPONSES = ("survey_response", "survey_answer")


@dataclass
class BackupCheck:
    skipped: str = ""
    acknowledged_before: int = 0
    sends_meanwhile: int = 0  # acknowledged while the backup command ran
    missing_before: int = 0
    restored_responses: int = 0
    unknown_responses: int = 0
    differing_answers: int = 0
    tables_equal: int = 0
    tables_differing: list[str] = field(default_factory=list)
    integrity: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not (self.missing_before or self.unknown_responses or self.differing_answers
                    or self.tables_differing or self.error) and self.integrity == "ok"


def has_command(portal: Portal, name: str) -> bool:
    return portal.flask(name, "--help", timeout=120).returncode == 0


def tables(db: Database) -> list[str]:
    if db.kind == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = ("SELECT table_name FROM information_schema.tables "
               "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
    return sorted(str(row[0]) for row in db.rows(sql))


def _answers(db: Database, uuids: set[str] | None = None) -> set[tuple[object, ...]]:
    rows = db.rows("SELECT r.uuid, a.question_id, a.choice_id, a.value_int, a.value_num, "
                   "a.value_text, a.missing_reason FROM survey_answer a "
                   "JOIN survey_response r ON r.id = a.response_id")
    return {tuple(row) for row in rows if uuids is None or str(row[0]) in uuids}


def run_backup_check(portal: Portal, workdir: Path, flows: int, seed: int,
                     time_limit: float) -> BackupCheck:
    """Back up while residents send (at most ``flows``, stopped after the backup); compare."""
    result = BackupCheck()
    if not has_command(portal, "backup") or not has_command(portal, "restore"):
        result.skipped = "no backup command"
        return result
    load, stop = Load(), threading.Event()
    runner = threading.Thread(target=run_load, args=(portal, flows, seed, time_limit),
                              kwargs={"load": load, "stop": stop}, daemon=True)
    runner.start()
    deadline = time.monotonic() + time_limit
    while len(load.flows) < 20 and runner.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    acked_before = {f.uuid for f in list(load.flows) if f.acknowledged}
    path = workdir / f"backup-{portal.db.kind}.dump"
    done = portal.flask("backup", str(path), timeout=time_limit)
    result.sends_meanwhile = len([f for f in list(load.flows) if f.acknowledged]) - len(
        acked_before)
    stop.set()  # the sends ran all through the backup; the residents on their way finish
    runner.join(timeout=time_limit + 120)
    if done.returncode != 0:
        result.error = f"backup failed: {done.stderr.strip()[-500:]}"
        return result
    target: Database = (SqliteDatabase(workdir, "restored.sqlite3") if portal.db.kind == "sqlite"
                        else PostgresDatabase())
    restored = portal.flask("restore", str(path), env={"PORTAL_DATABASE_URL": target.url},
                            timeout=time_limit)
    if restored.returncode != 0:
        result.error = f"restore failed: {restored.stderr.strip()[-500:]}"
        return result
    _compare(portal.db, target, acked_before, result)
    if isinstance(target, PostgresDatabase):
        target.drop()
    return result


def _compare(source: Database, target: Database, acked_before: set[str],
             result: BackupCheck) -> None:
    result.integrity = target.integrity()
    result.acknowledged_before = len(acked_before)
    source_uuids = {str(r[0]) for r in source.rows("SELECT uuid FROM survey_response")}
    target_uuids = {str(r[0]) for r in target.rows("SELECT uuid FROM survey_response")}
    result.restored_responses = len(target_uuids)
    result.missing_before = len(acked_before - target_uuids)
    result.unknown_responses = len(target_uuids - source_uuids)
    result.differing_answers = len(_answers(target) ^ _answers(source, target_uuids))
    names = tables(source)
    if tables(target) != names:
        result.tables_differing.append("(the list of tables)")
    for name in names:
        if name in RESPONSES:
            continue
        query = f'SELECT * FROM "{name}" ORDER BY 1'
        try:
            same = source.rows(query) == target.rows(query)
        except Exception as exc:
            same, name = False, f"{name} ({type(exc).__name__})"
        if same:
            result.tables_equal += 1
        else:
            result.tables_differing.append(name)
