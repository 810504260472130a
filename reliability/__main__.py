"""Run the reliability suite: ``python -m reliability [--short] [--db sqlite] [--checks R1,R3]``.

Prints one line per check with its counts, every offending request under its line, and exits
1 on any loss, duplicate, partial write, failed integrity check or response >= 500.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reliability import corpus, files, fuzz, hostile
from reliability.backup import run_backup_check
from reliability.importkill import run_import_kills
from reliability.load import Load, run_load, survey_uuids, verify
from reliability.servers import CLEANUP, HIGH_LIMIT, Portal, portal_on, redis_ok, temp_dir
from reliability.twoservers import r7, two_servers


@dataclass(frozen=True)
class Plan:
    """How much each check does: the full run of issue #14, or the short one of CI."""

    r1_flows: int
    r2_flows: int
    r2_kills: int
    import_people: int
    import_ties: int
    import_kills: int
    r6_flows: int
    crawl_pages: int
    values: tuple[str | bytes, ...]
    examples: int
    wide_rows: int
    tall_rows: int
    r3_seconds: float
    r7_flows: int = 3000
    roles: tuple[str, ...] = ("member", "coordinator", "regional", "admin")


FULL = Plan(r1_flows=3000, r2_flows=600, r2_kills=3, import_people=20_000, import_ties=40_000,
            import_kills=8, r6_flows=3000, crawl_pages=150, values=hostile.FULL_VALUES,
            examples=150, wide_rows=2000, tall_rows=210_000, r3_seconds=900)
SHORT = Plan(r1_flows=300, r2_flows=60, r2_kills=3, import_people=1000, import_ties=2000,
             import_kills=2, r6_flows=600, crawl_pages=25, values=hostile.SHORT_VALUES,
             examples=10, wide_rows=500, tall_rows=20_000, r3_seconds=60, r7_flows=200,
             roles=("coordinator", "admin"))


class Report:
    def __init__(self) -> None:
        self.failed: list[str] = []

    def line(self, ok: bool, text: str, details: list[str] | None = None) -> None:
        print(("" if ok else "FAIL ") + text, flush=True)
        for detail in details or []:
            print(f"    {detail}", flush=True)
        if not ok:
            self.failed.append(text.split(":")[0])


def r1(report: Report, portal: Portal, name: str, flows: int, seed: int, kills: int = 0
       ) -> None:
    before = survey_uuids(portal.db)
    load = run_load(portal, flows, seed, time_limit=flows * 2.0 + 120, kills=kills,
                    patience=60.0 if kills else 0.0)
    v = verify(portal.db, load, before)
    check = "R2" if kills else "R1"
    integrity = portal.db.integrity()
    prefix = (f"{check} {name}: {load.kills} kills ({load.killed_processes} processes), "
              if kills else f"{check} {name}: ")
    ok = v.ok and (kills > 0 or not v.unfinished and v.acknowledged == len(load.flows)) and (
        integrity == "ok") and load.kills == kills
    report.line(ok, f"{prefix}{v.acknowledged} acknowledged, {v.stored} stored, {v.lost} lost, "
                f"{v.duplicated} duplicated, {v.partial} partial, {v.extra} unasked, "
                f"{v.conflicts} conflicts, {len(v.errors_5xx)} responses >= 500 "
                f"({len(load.flows)} flows, {_attempts(load)}; {load.seconds:.0f} s; "
                f"integrity {integrity})",
                sorted(set(v.errors_5xx))[:20] + [f"unfinished: {u}" for u in
                                                  sorted(set(v.unfinished))[:10]])


def _attempts(load: Load) -> str:
    return (f"{sum(f.attempts for f in load.flows)} send attempts, "
            f"{sum(f.dropped for f in load.flows)} dropped unread, "
            f"{sum(f.raced for f in load.flows)} raced")


def r2_import(report: Report, portal: Portal, name: str, plan: Plan, workdir: Path) -> None:
    result = run_import_kills(portal, workdir, plan.import_people, plan.import_ties,
                              plan.import_kills, seed=7)
    verdicts = [result.verdict(a) for a in result.attempts]
    killed = [a for a in result.attempts if a.killed_after is not None]
    whole = result.attempts[0]
    integrity = portal.db.integrity()
    ok = "PARTIAL" not in verdicts and verdicts[0] == "everything" and integrity == "ok"
    report.line(ok, f"R2 {name} import: {len(killed)} kills of {len(result.attempts)} imports "
                f"of {result.people} stakeholders + {result.ties} ties (whole run "
                f"{result.full_seconds:.1f} s, exit {whole.exit_code}): "
                f"{verdicts[1:].count('nothing')} left nothing, "
                f"{verdicts[1:].count('everything')} everything, "
                f"{verdicts.count('PARTIAL')} partial; integrity {integrity}",
                [f"{a.prefix}: killed after {a.killed_after or 0:.1f} s, {a.stakeholders} "
                 f"stakeholders, {a.ties} ties" for a, v in zip(result.attempts, verdicts,
                                                               strict=True) if v == "PARTIAL"])


def r3(report: Report, portal: Portal, name: str, plan: Plan, workdir: Path) -> None:
    prober = hostile.Prober(portal.port)  # the corpus runs whole; crawl and fuzz are timed
    xlsform = workdir / "hostile-check.xlsx"
    xlsform.write_bytes(files.regex_xlsform())
    imported = portal.flask("surveys", "import-xlsform", corpus.CITY, str(xlsform), "--slug",
                            corpus.HOSTILE, timeout=120)
    opened = imported.returncode == 0 and corpus.open_hostile_survey(prober)
    if not opened:
        print(f"R3 {name}: note: the regex XLSForm survey could not be imported and opened "
              f"({imported.stderr.strip()[-300:]})", flush=True)
    ids = corpus.ids(portal.db)
    began = time.monotonic()
    corpus.login(prober)
    corpus.paths_and_queries(prober, ids, plan.roles)
    corpus.forms(prober, ids)
    corpus.uploads(prober, plan.wide_rows, plan.tall_rows)
    corpus.residents(prober)
    fixed = prober.requests
    prober.deadline = time.monotonic() + plan.r3_seconds
    forms = {role: hostile.crawl(prober, role, hostile.seeds(corpus.CITY, corpus.SURVEY),
                                 plan.crawl_pages)
             for role in ("member", "coordinator", "regional", "admin")}
    hostile.fuzz_forms(prober, forms, plan.values)
    fuzz.fuzz(prober, plan.examples)
    out_of_time = " (stopped at its time limit)" if prober.out_of_time() else ""
    failures = prober.failures
    report.line(not failures, f"R3 {name}: {prober.requests} requests ({fixed} corpus, "
                f"{prober.requests - fixed} crawl and fuzz), {len(failures)} responses >= 500 "
                f"or without answer or off-site{out_of_time}; {time.monotonic() - began:.0f} s",
                [f"{f.status:>4}  {f.role:<11} {f.method} {f.path[:160]}  {f.detail}"
                 for f in failures[:200]])


def r6(report: Report, portal: Portal, name: str, plan: Plan, workdir: Path) -> None:
    result = run_backup_check(portal, workdir, plan.r6_flows, seed=66,
                              time_limit=plan.r6_flows * 2.0 + 120)
    if result.skipped:
        print(f"R6 skipped: {result.skipped}", flush=True)
        return
    report.line(result.ok, f"R6 {name}: backup while residents sent ({result.sends_meanwhile} "
                f"acknowledged during it), restored "
                f"{result.restored_responses} responses; acknowledged before the backup "
                f"{result.acknowledged_before}, missing {result.missing_before}; "
                f"{result.unknown_responses} unknown, {result.differing_answers} differing "
                f"answer rows, {result.tables_equal} other tables equal, "
                f"{len(result.tables_differing)} differing; integrity {result.integrity}",
                [result.error] if result.error else result.tables_differing)


def run_r7(report: Report, plan: Plan, limiter: str) -> None:
    """R7 on its own pair of servers and database: needs PostgreSQL and Redis."""
    if not limiter.startswith("redis://"):
        report.line(False, "R7: two servers need Redis at 127.0.0.1:6379 (the limiter's "
                    "shared storage); it does not answer")
        return
    with two_servers(limiter) as pair:
        if pair is None:
            print("R7: skipped (PostgreSQL not reachable at 127.0.0.1:5432)")
            return
        ok, line, details = r7(*pair, flows=plan.r7_flows, seed=7)
        report.line(ok, line, details)


def run(args: argparse.Namespace) -> int:
    plan = SHORT if args.short else FULL
    checks = {c.strip().upper() for c in args.checks.split(",")}
    limiter = "redis://127.0.0.1:6379/0" if redis_ok() else "memory://"
    print(f"reliability ({'short' if args.short else 'full'}): gunicorn 4 sync workers on "
          f"127.0.0.1; limiter {limiter}, limits {HIGH_LIMIT}", flush=True)
    report = Report()
    began = time.monotonic()
    for name in args.db:
        with portal_on(name, limiter) as portal:
            if portal is None:
                print(f"{name}: skipped (PostgreSQL not reachable at 127.0.0.1:5432)")
                continue
            workdir = temp_dir()
            if "R1" in checks:
                r1(report, portal, name, plan.r1_flows, seed=1)
            if "R2" in checks:
                r1(report, portal, name, plan.r2_flows, seed=2, kills=plan.r2_kills)
                r2_import(report, portal, name, plan, workdir)
            if "R6" in checks:
                r6(report, portal, name, plan, workdir)
            if "R3" in checks:
                r3(report, portal, name, plan, workdir)
            portal.stop()
            if name == "sqlite":
                integrity = portal.db.integrity()
                report.line(integrity == "ok", f"{name}: final integrity_check {integrity}")
            if report.failed and args.verbose:
                print(portal.log_tail(60))
    if "R7" in checks and "postgresql" in args.db:
        run_r7(report, plan, limiter)
    verdict = "OK" if not report.failed else "FAILED: " + ", ".join(report.failed)
    print(f"reliability: {verdict} ({time.monotonic() - began:.0f} s)", flush=True)
    return 0 if not report.failed else 1


def _interrupted(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability", description=__doc__)
    parser.add_argument("--short", action="store_true", help="the short run of CI (< 4 min)")
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--checks", default="R1,R2,R3,R6,R7", help="a subset, e.g. R1,R3")
    parser.add_argument("--verbose", action="store_true", help="print gunicorn's log on failure")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("reliability: interrupted, cleaning up", file=sys.stderr)
        return 130
    finally:
        CLEANUP.run()


if __name__ == "__main__":
    sys.exit(main())
