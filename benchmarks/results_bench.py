"""Results speed from the aggregates, and the microdata export's peak memory.

Usage:
  .venv/bin/python benchmarks/results_bench.py [--size 1000000] [--database-url URL] [--reuse]

Generates SIZE synthetic responses to the demo survey with a fixed seed (COPY on PostgreSQL,
executemany in one transaction on SQLite, in chunks of 20,000), then prints, in one run:
(a) the results page, warm (aggregates built), ÷ a trivial page (/cities), both as HTTP
requests through the app's test client, logged in (goal <= 3x); (b) three times: inserting
1,000 new responses (the bulk insert: one transaction, executemany or COPY) and then bringing
the aggregates up to date (refresh_aggregates + commit), and their ratio (goal <= 2x); the
raw GROUP BY over every answer (what each view ran before the aggregates), and the peak
Python memory of streaming the microdata CSV.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from datetime import date
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import func, select  # noqa: E402

from portal import create_app  # noqa: E402
from portal.auth import services as accounts  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Answer, City, Region, Response, Survey, User  # noqa: E402
from portal.results import aggregates, exports, services  # noqa: E402
from portal.results.counts import counts_between  # noqa: E402
from portal.testing import fake  # noqa: E402

SLUG = "resilience-demo"


def _survey(size: int, seed: int, reuse: bool) -> Survey:
    """Return the benchmark survey, generating its responses unless reused."""
    city = db.session.scalar(select(City).where(City.slug == "bench"))
    if city is None:
        region = Region(slug="bench-region", name="Bench region")
        city = City(slug="bench", name="Bench", region=region, disclosure_threshold=10)
        db.session.add(city)
        db.session.flush()
    survey = db.session.scalar(select(Survey).where(Survey.city_id == city.id,
                                                    Survey.slug == SLUG))
    have = 0 if survey is None else db.session.scalar(
        select(func.count()).where(Response.survey_id == survey.id))
    if survey is not None and reuse and have >= size:  # (b) of an earlier run added some
        print(f"reusing {have:,} responses")
        return survey
    if survey is not None:
        db.session.delete(survey)
        db.session.flush()
    survey = fake.build_demo_survey(city, slug=SLUG)
    db.session.commit()
    started = time.perf_counter()
    survey_id = survey.id
    _generate(survey, size, seed)
    print(f"generated {size:,} responses in {time.perf_counter() - started:.1f} s", flush=True)
    found = db.session.get(Survey, survey_id)
    assert found is not None
    return found


def _generate(survey: Survey, size: int, seed: int) -> None:
    """Bulk-load the responses in one transaction, indexes built afterwards, then analyse."""
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:  # no fsync while generating; dispose() below drops this connection setting
        connection.exec_driver_sql("PRAGMA synchronous=OFF")
    indexes = [i for model in (Response, Answer) for i in model.__table__.indexes]
    for index in indexes:  # one sort per index afterwards beats 20M random index inserts
        index.drop(connection)
    fake.insert_responses(survey, size, seed=seed, chunk=20_000)
    for index in indexes:
        index.create(connection)
    db.session.commit()
    if sqlite:
        db.session.close()
        db.engine.dispose()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:  # autovacuum would get there later; VACUUM also sets the visibility map
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE survey_response")
            conn.exec_driver_sql("VACUUM ANALYZE survey_answer")


PASSWORD = "bench password 123"
EMAIL = "results-bench@example.org"


def _member(city: City) -> None:
    """Give the benchmark a member of the city to log in as."""
    if db.session.scalar(select(User).where(User.email == EMAIL)) is None:
        user = accounts.create_user(EMAIL, PASSWORD, "Bench", is_admin=False, actor=None)
        accounts.grant_membership(user, city, "member", actor=None)
    db.session.commit()


def _median_get(client: Any, url: str, runs: int) -> float:
    """Return the median seconds of `runs` GETs of a page (each must answer 200)."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def _raw_group_by(survey_id: int) -> float:
    """Time the raw GROUP BYs over every answer (what each view ran before the aggregates)."""
    survey = services.survey_by_id(survey_id)
    assert survey is not None
    started = time.perf_counter()
    counts_between(db.session, aggregates.survey_plan(survey))
    took = time.perf_counter() - started
    db.session.rollback()
    return took


def _new_responses(app: Any, survey_id: int, rounds: int) -> None:
    """(b): insert 1,000 responses, then bring the aggregates up to date; print the ratios."""
    ratios = []
    for i in range(rounds):
        with app.app_context():
            survey = db.session.get(Survey, survey_id)
            assert survey is not None
            fake.insert_responses(survey, 0)  # nothing: loads the questions outside the timing
            db.session.commit()
            started = time.perf_counter()
            fake.insert_responses(survey, 1000, seed=1000 + i, start=date(2025, 6, 2))
            db.session.commit()
            inserting = time.perf_counter() - started
            db.session.close()
            started = time.perf_counter()
            folded = aggregates.refresh_aggregates(survey_id)
            db.session.commit()
            refreshing = time.perf_counter() - started
        assert folded == 1000, folded
        ratios.append(refreshing / inserting)
        print(f"  1,000 new responses: insert {inserting * 1000:.0f} ms, bring the aggregates "
              f"up to date {refreshing * 1000:.0f} ms, ratio {refreshing / inserting:.2f}x")
    ratio = statistics.median(ratios)
    print(f"(b) aggregates up to date / inserting 1,000 responses: median {ratio:.2f}x "
          f"(goal <= 2x) -> {'OK' if ratio <= 2 else 'MISS'}", flush=True)


def run(url: str, size: int, seed: int, runs: int, reuse: bool) -> None:
    """Generate, then time the page against a trivial one, the refresh, the export."""
    app = create_app({"SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
                      # Above RESULTS_INLINE_UP_TO a job builds the aggregates: Huey's immediate
                      # mode runs it when the first view's request commits.
                      "JOBS_URL": "immediate"})
    with app.app_context():
        db.create_all()
        survey = _survey(size, seed, reuse)
        survey_id, dialect = survey.id, db.engine.dialect.name
        _member(survey.city)
        raw = _raw_group_by(survey_id)
        print(f"[{dialect}] raw GROUP BY over every answer: {raw:.2f} s", flush=True)
    client = app.test_client()  # requests run outside any app context, as in production
    assert client.post("/login", data={"email": EMAIL, "password": PASSWORD}).status_code == 302
    page_url = f"/c/bench/results/{SLUG}"
    started = time.perf_counter()
    first = client.get(page_url).status_code
    assert first in (200, 202)
    if first == 202:  # the request queued the job, which ran as it committed
        assert client.get(page_url).status_code == 200
    print(f"[{dialect}] first view (builds the aggregates, or its job does, unless a "
          f"refresh did): "
          f"{time.perf_counter() - started:.2f} s", flush=True)
    trivial = _median_get(client, "/cities", runs)
    page = _median_get(client, page_url, runs)
    ratio = page / trivial
    print(f"[{dialect}] {size:,} responses: (a) results page, warm {page * 1000:.1f} ms, "
          f"trivial page {trivial * 1000:.1f} ms, ratio {ratio:.2f}x (goal <= 3x) -> "
          f"{'OK' if ratio <= 3 else 'MISS'}", flush=True)
    _new_responses(app, survey_id, 3)
    with app.app_context(), app.test_request_context():
        _microdata(survey_id)


def _stream_csv(survey: Survey) -> tuple[int, int]:
    """Stream the microdata CSV through the export code to nowhere; return (rows, bytes)."""
    size = rows = 0
    for piece in exports.microdata_csv(exports.microdata_plan(survey), db.engine):
        size += len(piece)
        rows += piece.count("\n")
    return rows - 1, size


def _microdata(survey_id: int) -> None:
    """Time the microdata CSV export, then measure its peak traced memory in a second pass.

    tracemalloc slows every allocation several times, so it must not be on while timing.
    """
    survey = services.survey_by_id(survey_id)
    assert survey is not None
    started = time.perf_counter()
    rows, size = _stream_csv(survey)
    elapsed = time.perf_counter() - started
    db.session.rollback()
    tracemalloc.start()
    _stream_csv(survey)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"[{db.engine.dialect.name}] microdata CSV: {rows:,} rows, {size / 1e6:.0f} MB "
          f"streamed in {elapsed:.1f} s, peak Python memory {peak / 1e6:.1f} MB")


def main() -> None:
    """Parse the flags and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20250301)
    parser.add_argument("--runs", type=int, default=30, help="GETs per page (median)")
    parser.add_argument("--database-url", default="sqlite:////tmp/lpn-results-bench.sqlite3")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the responses of an earlier run of the same size")
    args = parser.parse_args()
    run(args.database_url, args.size, args.seed, args.runs, args.reuse)


if __name__ == "__main__":
    main()
