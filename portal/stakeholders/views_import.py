"""Import: upload, preview row by row, map foreign values, apply; blank templates."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.scoping import Access, city_view
from portal.i18n import LOCALE_BY_CODE, LOCALES
from portal.models import City
from portal.stakeholders import bp, import_jobs
from portal.stakeholders.forms import ApplyForm, ImportForm, options_form
from portal.stakeholders.messages import TABLES, VOCABULARY_NAMES, row_reason
from portal.stakeholders.spreadsheet import mapping, preview, template_files, workflow
from portal.stakeholders.spreadsheet.plan import Plan
from portal.stakeholders.spreadsheet.reading import encoding_name


def _upload(field: object) -> bytes | None:
    storage = getattr(field, "data", None)
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return storage.read()


def _max_bytes() -> int:
    return int(current_app.config.get("STAKEHOLDER_IMPORT_MAX_BYTES", workflow.DEFAULT_MAX_BYTES))


def _upload_page(city: City, form: ImportForm, result: Plan | None,
                 encodings: dict[str, str]) -> str:
    return render_template("stakeholders/import.html", city=city, form=form, result=result,
                           tables=TABLES, reason=row_reason, encodings=encodings,
                           locales=LOCALES)


def _options(result: Plan, draft: workflow.Draft, formdata: object = None) -> Any:
    questions = preview.questions(result)
    fields = [(q["field"], q["value"] or _("(empty)"), mapping.choices(q["vocabulary"]))
              for q in questions]
    current = {q["field"]: q["current"] for q in questions}
    return options_form(fields, formdata=formdata, round_name=draft.round_name,
                        held_on=draft.held_on, **current)


def _preview_page(city: City, draft: workflow.Draft, result: Plan, number: int,
                  options: object = None) -> str:
    lines, pages = preview.page(preview.lines(result), number)
    return render_template(
        "stakeholders/import_preview.html", city=city, draft=draft, result=result,
        lines=lines, page=min(max(number, 1), pages), pages=pages, tables=TABLES,
        reason=row_reason, questions=preview.questions(result),
        vocabulary_names=VOCABULARY_NAMES, options=options or _options(result, draft),
        apply_form=ApplyForm(token=draft.token) if result.ready and result.changes else None,
        encodings={k: encoding_name(v) for k, v in draft.records.encodings.items()})


@bp.route("/c/<city>/stakeholders/import", methods=["GET", "POST"])
@city_view(Access.MEMBER)
def import_page(city: City) -> str:
    """Upload files; a readable upload is kept as a draft and previewed row by row."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _upload_page(city, form, None, {})
    people, links = _upload(form.stakeholders_file), _upload(form.ties_file)
    records = workflow.read_records(people, links, _max_bytes())
    round_name = workflow.default_round(city, form.round_name.data or "", _("Baseline"))
    result = workflow.check(city, records, round_name)
    if result.errors:
        return _upload_page(city, form, result,
                            {k: encoding_name(v) for k, v in records.encodings.items()})
    token = workflow.save_draft(city, current_user.id, records,
                                workflow.digest(people, links), round_name)
    draft = workflow.load_draft(city, current_user.id, token)
    assert draft is not None  # saved just now
    return _preview_page(city, draft, result, 1)


@bp.get("/c/<city>/stakeholders/import/<token>")
@city_view(Access.MEMBER)
def import_preview(city: City, token: str) -> str:
    """Show a kept preview again: another page of rows, or after the mapping step."""
    draft = workflow.load_draft(city, current_user.id, token)
    if draft is None:
        abort(404)
    result = workflow.check(city, draft.records, draft.round_name)
    return _preview_page(city, draft, result, request.args.get("page", 1, type=int) or 1)


@bp.post("/c/<city>/stakeholders/import/<token>/options")
@city_view(Access.MEMBER)
def import_options(city: City, token: str) -> str | Response:
    """Save the mapping answers (remembered for the city), the round and its date."""
    draft = workflow.load_draft(city, current_user.id, token)
    if draft is None:
        abort(404)
    result = workflow.check(city, draft.records, draft.round_name)
    form = _options(result, draft, formdata=request.form)
    if not form.validate():
        return _preview_page(city, draft, result, 1, form), 422  # type: ignore[return-value]
    answers = {(q["vocabulary"], mapping.value_key(q["value"])): form[q["field"]].data
               for q in preview.questions(result) if form[q["field"]].data}
    mapping.remember(city, answers, actor=current_user)
    workflow.update_draft(city, current_user.id, token, " ".join(form.round_name.data.split()),
                          form.held_on.data)
    return redirect(url_for("stakeholders.import_preview", city=city.slug, token=token))


@bp.post("/c/<city>/stakeholders/import/apply")
@city_view(Access.MEMBER)
def import_apply(city: City) -> str | Response:
    """Apply a previewed import, re-checked against the map as it is now.

    Above JOBS_IMPORT_ABOVE rows a background job applies it (same checks, all or nothing).
    """
    form = ApplyForm()
    if not form.validate_on_submit():
        abort(400)
    waiting = workflow.load_draft(city, current_user.id, form.token.data or "")
    if waiting is not None and import_jobs.rows(waiting) > int(
            current_app.config["JOBS_IMPORT_ABOVE"]):
        job = import_jobs.submit(city, waiting, actor=current_user)
        return redirect(url_for("jobs.status", city=city.slug, job_id=job.uuid))
    draft = workflow.take_draft(city, current_user.id, form.token.data or "")
    if draft is None:
        flash(_("This preview has expired. Upload the files again."), "error")
        return redirect(url_for("stakeholders.import_page", city=city.slug))
    result, summary = workflow.run(city, draft.records, draft.round_name, actor=current_user,
                                   held_on=draft.held_on)
    if summary is None:
        return _upload_page(city, ImportForm(), result, {}), 422  # type: ignore[return-value]
    flash(_("Import applied. Stakeholders created: %(people)d. Ties created: %(ties)d. "
            "Records updated: %(changed)d.", people=summary["stakeholders_created"],
            ties=summary["ties_created"],
            changed=summary["stakeholders_updated"] + summary["ties_updated"]), "success")
    return redirect(url_for("stakeholders.index", city=city.slug))


@bp.get("/c/<city>/stakeholders/import/template/<lang>/<what>")
@city_view(Access.MEMBER)
def import_template(city: City, lang: str, what: str) -> Response:
    """Download a blank template in one language (CSV per table, or one XLSX)."""
    if lang not in LOCALE_BY_CODE or what not in template_files.FILES:
        abort(404)
    with force_locale(lang):
        data = template_files.template_bytes(lang, what)
    stem, ext = what.rsplit(".", 1)
    return Response(data, mimetype=template_files.FILES[what].split(";")[0], headers={
        "Content-Disposition": f'attachment; filename="lpn-{stem}-template-{lang}.{ext}"',
        "Content-Type": template_files.FILES[what], "Cache-Control": "no-store"})
