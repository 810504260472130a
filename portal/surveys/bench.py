"""A benchmark-only route that inserts one row: registered only when BENCHMARK_ROUTES is set."""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from portal.extensions import csrf, db
from portal.models import AuditEvent


def insert_one() -> tuple[str, int]:
    """Insert one row (the baseline the survey send is compared with)."""
    db.session.add(AuditEvent(action="bench.insert", target_type="", target_id="", details=""))
    db.session.flush()
    return "ok", 201


def register(state: BlueprintSetupState) -> None:
    """Add the route to the app when its configuration asks for benchmark routes."""
    app = state.app
    if app.config.get("BENCHMARK_ROUTES"):
        app.add_url_rule("/bench/insert-one", "bench_insert_one", csrf.exempt(insert_one),
                         methods=["POST"])
