"""The regional dashboard."""

from __future__ import annotations

from flask import render_template

from portal.auth.scoping import region_view
from portal.models import Region
from portal.regions import bp, presenters, services


@bp.get("/regions/<region>/")
@region_view
def dashboard(region: Region) -> str:
    """One row per city of the region, with small maps; cities in alphabetical order."""
    rows = [presenters.dashboard_row(row) for row in services.region_rows(region)]
    return render_template("regions/dashboard.html", region=region, rows=rows,
                           refresh=any(row["pending"] is not None for row in rows))
