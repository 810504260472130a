"""Results speed: page data vs the raw GROUP BY queries, and the microdata export's peak memory.

Usage:
  .venv/bin/python benchmarks/results_bench.py [--size 1000000] [--database-url URL] [--reuse]

Generates SIZE synthetic responses to the demo survey with a fixed seed (COPY on PostgreSQL,
executemany in one transaction on SQLite, in chunks of 20,000), then prints: the time to build
the results page data ÷ the time of the raw SQL GROUP BY queries producing the same numbers
(goal ≤ 1.5×), and the peak Python memory of streaming the microdata CSV.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import func, select  # noqa: E402

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Answer, City, Region, Response, Survey  # noqa: E402
from portal.results import exports, queries, services  # noqa: E402
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
    if survey is not None and reuse and have == size:
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


def _best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def _raw_sql(survey_id: int) -> list[str]:
    """The same GROUP BY statements the service runs, as literal SQL text."""
    survey = services.survey_by_id(survey_id)
    assert survey is not None
    plan = queries.plan_for(survey.questions, survey.id)
    statements = [queries.weekly_query(survey.id), queries.answer_counts_query(plan),
                  queries.multi_respondents_query(plan), queries.subscale_moments_query(plan)]
    dialect = db.engine.dialect
    return [str(s.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
            for s in statements]


def run(url: str, size: int, seed: int, repeat: int, reuse: bool) -> None:
    """Generate, then time the page data, the raw SQL and the microdata export."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_ENABLED": False})
    with app.app_context(), app.test_request_context():
        db.create_all()
        survey_id = _survey(size, seed, reuse).id
        db.session.expire_all()
        sql = _raw_sql(survey_id)

        def raw() -> None:
            connection = db.engine.raw_connection()
            try:
                cursor = connection.cursor()
                for statement in sql:
                    cursor.execute(statement)
                    cursor.fetchall()
                cursor.close()
            finally:
                connection.close()

        def page() -> None:
            db.session.expire_all()
            survey = services.survey_by_id(survey_id)
            services.survey_results(survey)
            db.session.rollback()

        page()  # warm caches equally
        raw()
        t_raw, t_page = _best(raw, repeat), _best(page, repeat)
        print(f"[{db.engine.dialect.name}] {size:,} responses: page data {t_page:.3f} s, "
              f"raw GROUP BY SQL {t_raw:.3f} s, ratio {t_page / t_raw:.2f}x (goal <= 1.5x)")
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
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default="sqlite:////tmp/lpn-results-bench.sqlite3")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the responses of an earlier run of the same size")
    args = parser.parse_args()
    run(args.database_url, args.size, args.seed, args.repeat, args.reuse)


if __name__ == "__main__":
    main()
