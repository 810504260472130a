"""Map page of a 2,000-actor city (analysis cached) against a trivial route; prints the ratio.

Usage: PORTAL_TESTING=1 .venv/bin/python benchmarks/pages_bench.py [--actors 2000] [--runs 30]
Goals: median(map page) <= 3 x median(trivial route); the cached network JSON (map.json and
the API's network, asked for as a browser does, Accept-Encoding: br, gzip) <= 3 x the trivial
route and <= 300 KB on the wire. Also the 304 answer to a client that holds the data.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's portal

os.environ.setdefault("PORTAL_TESTING", "1")

SECTORS = ("education", "religious", "youth", "municipality", "police", "health", "social",
           "civil_society", "media", "national_government", "international", "private",
           "community_leader", "other")
KINDS = ("information", "referral", "joint_activity", "funding", "agreement")
FREQUENCIES = ("weekly", "monthly", "quarterly", "yearly")
PASSWORD = "bench password 123"


def build(actors: int) -> Any:
    """Create an app on a temporary SQLite file with one city of `actors` stakeholders."""
    from portal import create_app
    from portal.auth import services as accounts
    from portal.extensions import db
    from portal.models import City, MappingRound, Region, Stakeholder, Tie

    folder = tempfile.mkdtemp(prefix="lpn-bench-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                      "SECRET_KEY": "b" * 64, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False,
                      # The warm-up request analyses the map itself (the timed ones read the
                      # cache): no background job, whatever --actors says.
                      "ANALYSIS_INLINE_UP_TO": 10**9, "JOBS_URL": "immediate"})
    rng = random.Random(7)
    with app.app_context():
        db.create_all()
        region = Region(slug="bench", name="Bench")
        city = City(slug="bigcity", name="Big city", region=region, default_locale="en",
                    disclosure_threshold=10)
        db.session.add_all([region, city])
        db.session.flush()
        round_ = MappingRound(city_id=city.id, name="Baseline", held_on=date(2025, 1, 1),
                              is_current=True)
        db.session.add(round_)
        people = [Stakeholder(city_id=city.id, name=f"Actor {i:04d} <{SECTORS[i % 14]}>",
                              sector=SECTORS[i % 14],
                              level="national" if i % 97 == 0 else "local")
                  for i in range(actors)]
        db.session.add_all(people)
        db.session.flush()
        pairs = set()
        while len(pairs) < actors * 2:
            a, b = rng.randrange(actors), rng.randrange(actors)
            if a != b and rng.random() < 0.8:
                pairs.add((min(a, b), max(a, b)))
        db.session.add_all(Tie(city_id=city.id, round_id=round_.id, source_id=people[a].id,
                               target_id=people[b].id, kind=rng.choice(KINDS),
                               frequency=rng.choice(FREQUENCIES)) for a, b in sorted(pairs))
        user = accounts.create_user("bench@example.org", PASSWORD, "Bench", is_admin=False,
                                    actor=None)
        accounts.grant_membership(user, city, "member", actor=None)
        db.session.commit()
    return app


BROWSER = {"Accept-Encoding": "gzip, deflate, br"}
WIRE_GOAL = 300 * 1000  # bytes


def timed(client: Any, url: str, runs: int, headers: dict[str, str] | None = None,
          status: int = 200) -> tuple[float, int]:
    """Return the median seconds of `runs` GETs and the body size (as sent: on the wire)."""
    samples, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, headers=headers or {})
        samples.append(time.perf_counter() - start)
        assert response.status_code == status, (url, response.status_code)
        size = len(response.data)
    return statistics.median(samples), size


def network_json(client: Any, runs: int, trivial: float) -> None:
    """Time the cached network JSON as a browser asks for it; print the ratios and sizes."""
    for label, url in (("map.json", "/c/bigcity/map.json"),
                       ("API network", "/api/v1/cities/bigcity/network")):
        _raw, raw_size = timed(client, url, 1)
        took, wire = timed(client, url, runs, BROWSER)
        etag = client.get(url, headers=BROWSER).headers["ETag"]
        again, _ = timed(client, url, runs, {**BROWSER, "If-None-Match": etag}, status=304)
        ratio = took / trivial
        ok = ratio <= 3 and wire <= WIRE_GOAL
        print(f"{label:12s} {took * 1000:6.1f} ms, {wire / 1000:.0f} KB on the wire "
              f"({raw_size / 1000:.0f} KB raw) | ratio / trivial {ratio:.2f} (goal <= 3, "
              f"<= {WIRE_GOAL // 1000} KB) -> {'OK' if ok else 'MISS'} | 304 revalidation "
              f"{again * 1000:.1f} ms ({again / trivial:.2f} x trivial)")


def main() -> None:
    """Build, warm up, measure in one run, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    app = build(args.actors)
    client = app.test_client()
    client.post("/login", data={"email": "bench@example.org", "password": PASSWORD})
    start = time.perf_counter()
    client.get("/c/bigcity/map")  # computes and caches the analysis
    client.get("/c/bigcity/map.json")
    client.get("/c/bigcity/map.svg")
    print(f"first map page (computes the analysis): {time.perf_counter() - start:.2f} s")
    trivial, _ = timed(client, "/cities", args.runs)
    page, page_size = timed(client, "/c/bigcity/map", args.runs)
    data, data_size = timed(client, "/c/bigcity/map.json", args.runs)
    svg, svg_size = timed(client, "/c/bigcity/map.svg", max(5, args.runs // 3))
    print(f"actors: {args.actors}, runs: {args.runs}")
    print(f"trivial route /cities: {trivial * 1000:.1f} ms")
    print(f"map page:              {page * 1000:.1f} ms  ({page_size / 1024:.0f} KiB HTML)")
    print(f"map JSON:              {data * 1000:.1f} ms  ({data_size / 1024:.0f} KiB)")
    print(f"map SVG:               {svg * 1000:.1f} ms  ({svg_size / 1024:.0f} KiB)")
    ratio = page / trivial
    print(f"ratio map page / trivial: {ratio:.2f}  (goal <= 3) -> {'OK' if ratio <= 3 else 'MISS'}")
    browser_trivial, trivial_wire = timed(client, "/cities", args.runs, BROWSER)
    print(f"trivial route, compressed: {browser_trivial * 1000:.1f} ms ({trivial_wire} bytes)")
    network_json(client, args.runs, browser_trivial)


if __name__ == "__main__":
    main()
