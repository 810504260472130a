"""Import 10,000 stakeholders and 50,000 ties; print the time ÷ a raw executemany of the same rows.

Run: PYTHONPATH=. .venv/bin/python benchmarks/import_bench.py [--db URL] [--repeat N]
The import path measured is the whole service: read the CSV bytes, check every row, plan
against the (empty) city, bulk-insert in one transaction, commit. The baseline inserts the
very same rows with the DB-API's executemany (stakeholders, one SELECT for their ids, ties)
into the same database, in one transaction. Goal: ratio ≤ 2. Each run also prints the CPU-time
ratio (both sides run in this process: SQLite in-process, PostgreSQL's server time not counted),
which moves less than the wall time when other jobs share the machine. The first import of a
process also reads the message catalogs (headers and vocabularies in every language) once.
`PYTHONPATH=.` makes the worktree's `portal` the one measured (the venv's editable install may
point at another checkout).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, select, text

from portal import create_app
from portal.extensions import db
from portal.models import City, MappingRound, Region, Stakeholder, Tie
from portal.models.network import FREQUENCIES, SECTORS, TIE_KINDS
from portal.names import name_key
from portal.stakeholders.spreadsheet import workflow

PEOPLE, TIES = 10_000, 50_000


def make_files(seed: int = 7) -> tuple[bytes, bytes, list[tuple[int, int, str, str]]]:
    """Return the two CSV files and the tie list (indexes) they hold."""
    rng = random.Random(seed)
    people = ["name,sector,level"] + [f"Stakeholder {i},{SECTORS[i % len(SECTORS)]},local"
                                      for i in range(PEOPLE)]
    seen: set[tuple[int, int, str]] = set()
    ties: list[tuple[int, int, str, str]] = []
    while len(ties) < TIES:
        a, b = rng.randrange(PEOPLE), rng.randrange(PEOPLE)
        kind = rng.choice(TIE_KINDS)
        key = (min(a, b), max(a, b), kind)
        if a != b and key not in seen:
            seen.add(key)
            ties.append((a, b, kind, rng.choice(FREQUENCIES)))
    lines = ["from,to,kind,frequency"] + [f"Stakeholder {a},Stakeholder {b},{k},{f}"
                                         for a, b, k, f in ties]
    return "\n".join(people).encode(), "\n".join(lines).encode(), ties


def _reset(city: City) -> None:
    db.session.execute(delete(Tie).where(Tie.city_id == city.id))
    db.session.execute(delete(Stakeholder).where(Stakeholder.city_id == city.id))
    db.session.commit()


def time_import(city: City, people: bytes, links: bytes) -> tuple[float, float]:
    """Return the seconds (wall, CPU) the import service takes, commit included."""
    start, cpu = time.perf_counter(), time.process_time()
    records = workflow.read_records(people, links, max_bytes=1 << 30)
    _plan, summary = workflow.run(city, records, "Baseline", actor=None)
    db.session.commit()
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    assert summary and summary["ties_created"] == TIES, summary
    return elapsed


def time_raw(city: City, round_id: int,
             ties: list[tuple[int, int, str, str]]) -> tuple[float, float]:
    """Return the seconds (wall, CPU) a raw DB-API executemany of the same rows takes."""
    now = datetime.now(UTC)
    conn = db.engine.raw_connection()
    style = "?" if db.engine.dialect.paramstyle == "qmark" else "%s"
    try:
        cur = conn.cursor()
        start, cpu = time.perf_counter(), time.process_time()
        cols = ("city_id, name, name_key, organisation, organisation_key, sector, level, "
                "area_id, is_team_member, notes, contact_person, contact_email, contact_phone, "
                "archived_at, erased_at, created_at, updated_at")
        cur.executemany(
            f"INSERT INTO stakeholder ({cols}) VALUES ({', '.join([style] * 17)})",
            [(city.id, f"Stakeholder {i}", name_key(f"Stakeholder {i}"), "", "",
              SECTORS[i % len(SECTORS)], "local", None, False, "", "", "", "", None, None, now,
              now) for i in range(PEOPLE)])
        cur.execute(f"SELECT id, name FROM stakeholder WHERE city_id = {style}", (city.id,))
        ids = {name: i for i, name in cur.fetchall()}
        cur.executemany(
            "INSERT INTO tie (city_id, round_id, source_id, target_id, kind, frequency, "
            f"reporter_id, notes, created_at) VALUES ({', '.join([style] * 9)})",
            [(city.id, round_id, *sorted((ids[f"Stakeholder {a}"], ids[f"Stakeholder {b}"])),
              k, f, None, "", now) for a, b, k, f in ties])
        conn.commit()
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="sqlite:///" + str(Path(tempfile.mkdtemp()) / "b.db"))
    parser.add_argument("--repeat", type=int, default=1,
                        help="alternate import and raw insert this many times (median shown)")
    args = parser.parse_args()
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": args.db})
    people, links, ties = make_files()
    ratios: list[tuple[float, float]] = []
    with app.app_context():
        db.create_all()
        region = Region(slug="bench", name="Bench")
        city = City(slug="bench-city", name="Bench", region=region)
        db.session.add_all([region, city])
        db.session.commit()
        print(f"rows: {PEOPLE} stakeholders + {TIES} ties on {db.engine.dialect.name}")
        for _ in range(args.repeat):
            imported = time_import(city, people, links)
            round_id = db.session.scalar(
                select(MappingRound.id).where(MappingRound.city_id == city.id))
            _reset(city)
            raw = time_raw(city, round_id, ties)
            db.session.execute(text("SELECT 1"))
            _reset(city)
            db.session.execute(delete(MappingRound).where(MappingRound.city_id == city.id))
            db.session.commit()
            ratios.append((imported[0] / raw[0], imported[1] / raw[1]))
            print(f"import (read + check + plan + bulk insert + commit): {imported[0]:.3f} s "
                  f"(CPU {imported[1]:.3f} s)")
            print(f"raw executemany of the same rows:                    {raw[0]:.3f} s "
                  f"(CPU {raw[1]:.3f} s)")
            print(f"ratio: {ratios[-1][0]:.2f}x (goal <= 2x); CPU time ratio {ratios[-1][1]:.2f}x")
        if args.repeat > 1:
            walls = sorted(r[0] for r in ratios)
            cpus = sorted(r[1] for r in ratios)
            print(f"median of {args.repeat}: {statistics.median(walls):.2f}x "
                  f"(range {walls[0]:.2f}-{walls[-1]:.2f}); CPU time "
                  f"{statistics.median(cpus):.2f}x (range {cpus[0]:.2f}-{cpus[-1]:.2f})")
        db.drop_all()


if __name__ == "__main__":
    main()
