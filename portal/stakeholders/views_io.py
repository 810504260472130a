"""Spreadsheet import (preview, then apply) and exports."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.scoping import Access, city_view, is_team
from portal.models import City
from portal.stakeholders import bp, rounds
from portal.stakeholders.forms import ApplyForm, ImportForm
from portal.stakeholders.messages import TABLES, row_reason
from portal.stakeholders.spreadsheet import export, workflow
from portal.stakeholders.spreadsheet.reading import encoding_name


def _upload(field: object) -> bytes | None:
    storage = getattr(field, "data", None)
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return storage.read()


def _max_bytes() -> int:
    return int(current_app.config.get("STAKEHOLDER_IMPORT_MAX_BYTES", workflow.DEFAULT_MAX_BYTES))


@bp.route("/c/<city>/stakeholders/import", methods=["GET", "POST"])
@city_view(Access.MEMBER)
def import_page(city: City) -> str:
    """Upload files and preview what the import would create or update."""
    form = ImportForm()
    result = token = None
    encodings: dict[str, str] = {}
    if form.validate_on_submit():
        people, links = _upload(form.stakeholders_file), _upload(form.ties_file)
        records = workflow.read_records(people, links, _max_bytes())
        encodings = {k: encoding_name(v) for k, v in records.encodings.items()}
        round_name = workflow.default_round(city, form.round_name.data or "", _("Baseline"))
        result = workflow.check(city, records, round_name)
        if not result.errors and result.changes:
            token = workflow.save_draft(city, current_user.id, records,
                                       workflow.digest(people, links), round_name)
    return render_template(
        "stakeholders/import.html", city=city, form=form, result=result,
        apply_form=ApplyForm(token=token) if token else None, tables=TABLES,
        reason=row_reason, encodings=encodings)


@bp.post("/c/<city>/stakeholders/import/apply")
@city_view(Access.MEMBER)
def import_apply(city: City) -> str | Response:
    """Apply a previewed import, re-checked against the map as it is now."""
    form = ApplyForm()
    if not form.validate_on_submit():
        abort(400)
    draft = workflow.take_draft(city, current_user.id, form.token.data or "")
    if draft is None:
        flash(_("This preview has expired. Upload the files again."), "error")
        return redirect(url_for("stakeholders.import_page", city=city.slug))
    records, round_name = draft
    result, summary = workflow.run(city, records, round_name, actor=current_user)
    if summary is None:
        return render_template("stakeholders/import.html", city=city, form=ImportForm(),
                               result=result, apply_form=None, tables=TABLES,
                               reason=row_reason, encodings={}), 422  # type: ignore[return-value]
    flash(_("Import applied. Stakeholders created: %(people)d. Ties created: %(ties)d. "
            "Records updated: %(changed)d.", people=summary["stakeholders_created"],
            ties=summary["ties_created"],
            changed=summary["stakeholders_updated"] + summary["ties_updated"]), "success")
    return redirect(url_for("stakeholders.index", city=city.slug))


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
