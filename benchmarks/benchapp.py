"""The portal with a benchmark-only route, for gunicorn: ``benchapp:create_app()``.

POST /bench/insert-one inserts one row: the baseline that benchmarks/submit_bench.py compares
the survey send with. It is unauthenticated and CSRF-exempt, so it lives here, never in the
portal package: only an app built by this factory has it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from flask import Flask

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's portal

import portal  # noqa: E402
from portal.extensions import csrf, db  # noqa: E402
from portal.models import AuditEvent  # noqa: E402


def insert_one() -> tuple[str, int]:
    """Insert one row (the baseline the survey send is compared with)."""
    db.session.add(AuditEvent(action="bench.insert", target_type="", target_id="", details=""))
    db.session.flush()
    return "ok", 201


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the portal as usual, plus the benchmark route."""
    app = portal.create_app(test_config)
    app.add_url_rule("/bench/insert-one", "bench_insert_one", csrf.exempt(insert_one),
                     methods=["POST"])
    return app
