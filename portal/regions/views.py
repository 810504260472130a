"""The regional dashboard."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_login import current_user

from portal.auth.scoping import region_view
from portal.models import Region
from portal.plan.outcome_views import network_labels
from portal.regions import bp, presenters, rollup, services


@bp.get("/regions/<region>/")
@region_view
def dashboard(region: Region) -> str:
    """One row per city of the region, with small maps; cities in alphabetical order."""
    rows = [presenters.dashboard_row(row) for row in services.region_rows(region)]
    return render_template("regions/dashboard.html", region=region, rows=rows,
                           refresh=any(row["pending"] is not None for row in rows))


@bp.get("/regions/<region>/plan")
@region_view
def plans(region: Region) -> str:
    """The cities' action plans side by side: outputs and outcomes, cities by name."""
    return render_template("regions/plans.html", region=region, today=date.today(),
                           labels=network_labels(),
                           **rollup.rollup(region, current_user, date.today()))
