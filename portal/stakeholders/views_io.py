"""Exports of the map: tables and network files."""

from __future__ import annotations

from flask import abort, g, render_template, request
from werkzeug.wrappers import Response

from portal.auth.scoping import city_view, is_team
from portal.models import City
from portal.stakeholders import bp, rounds
from portal.stakeholders.spreadsheet import export


@bp.get("/c/<city>/stakeholders/export")
@city_view()
def export_page(city: City) -> str:
    """Offer the downloads."""
    return render_template("stakeholders/export.html", city=city, rounds=rounds.rounds_of(city),
                           show_contact=is_team(g.city_access))


@bp.get("/c/<city>/stakeholders/export/<what>")
@city_view()
def export_file(city: City, what: str) -> Response:
    """Download a table or the network; contact columns only for the city's team."""
    if what not in export.FILES:
        abort(404)
    try:
        chosen = rounds.requested_round(city, request.args.get("round"))
    except rounds.MapError:
        abort(404)
    data = export.file_bytes(city, what, is_team(g.city_access), chosen)
    filename = f"{city.slug}-{what}"
    return Response(data, mimetype=export.FILES[what].split(";")[0], headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Content-Type": export.FILES[what], "Cache-Control": "no-store"})
