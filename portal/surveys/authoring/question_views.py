"""Coordinators edit questions and translations, and move surveys in and out as XLSForm."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from portal.auth.scoping import Access, city_view
from portal.models import City, Question, Survey
from portal.spreadsheets import XLSX_MIMETYPE
from portal.surveys import bp
from portal.surveys.answering.state import content_language
from portal.surveys.authoring import import_jobs, questions, services, transfer
from portal.surveys.authoring.forms import ActionForm, ImportForm, QuestionForm, TranslateForm
from portal.surveys.authoring.views import error_text, survey_or_404


def _question_or_404(survey: Survey, question_id: int) -> Question:
    for question in survey.questions:
        if question.id == question_id:
            return question
    abort(404)


def _form_data(form: QuestionForm) -> dict[str, Any]:
    """Return the question form as the service's plain dict."""
    return {
        "name": form.name.data, "qtype": form.qtype.data, "label": form.label.data,
        "hint": form.hint.data, "section": form.section.data or None,
        "section_label": form.section_label.data, "choices": form.choices.data,
        "required": form.required.data, "dont_know": form.dont_know.data,
        "prefer_not": form.prefer_not.data, "min_value": form.min_value.data,
        "max_value": form.max_value.data, "relevant": (form.relevant.data or "").strip() or None,
        "constraint_expr": (form.constraint.data or "").strip() or None,
        "subscale": form.subscale.data or None, "reverse": form.reverse.data,
        "demographic": form.demographic.data or None,
    }


def _prefill(form: QuestionForm, survey: Survey, question: Question) -> None:
    """Fill the question form from a question, texts in the default language."""
    lang = survey.default_language
    form.label.data = question.label.get(lang, "")
    form.hint.data = question.hint.get(lang, "")
    form.section_label.data = question.section_label.get(lang, "")
    form.constraint.data = question.constraint_expr or ""
    form.demographic.data = question.demographic or ""
    form.choices.data = "\n".join(f"{c.name} | {c.label.get(lang, '')}" for c in question.choices)


@bp.route("/c/<city>/surveys/<slug>/questions/new", methods=["GET", "POST"],
          defaults={"question_id": None})
@bp.route("/c/<city>/surveys/<slug>/questions/<id:question_id>", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def question_edit(city: City, slug: str, question_id: int | None) -> str | WerkzeugResponse:
    """Add a question, or edit one (texts in the survey's default language)."""
    survey = survey_or_404(city, slug)
    question = _question_or_404(survey, question_id) if question_id else None
    form = QuestionForm(obj=question)
    if question is not None and request.method == "GET":
        _prefill(form, survey, question)
    if form.validate_on_submit():
        try:
            questions.save_question(survey, question, _form_data(form), actor=current_user)
        except services.SurveyError as exc:
            flash(error_text(exc), "error")
        else:
            flash(_("Question saved."), "success")
            return redirect(url_for(".show", city=city.slug, slug=slug) + "#questions")
    return render_template("surveys/question.html", city=city, survey=survey, form=form,
                           question=question)


@bp.post("/c/<city>/surveys/<slug>/questions/<id:question_id>/<any(up,down,delete):action>")
@city_view(Access.COORDINATOR)
def question_action(city: City, slug: str, question_id: int, action: str) -> WerkzeugResponse:
    """Move a question up or down, or remove it."""
    survey = survey_or_404(city, slug)
    question = _question_or_404(survey, question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if action == "delete":
            questions.delete_question(survey, question, actor=current_user)
            flash(_("Question removed."), "success")
        else:
            questions.move_question(survey, question, -1 if action == "up" else 1)
    except services.SurveyError as exc:
        flash(error_text(exc), "error")
    return redirect(url_for(".show", city=city.slug, slug=slug) + "#questions")


@bp.route("/c/<city>/surveys/<slug>/translate/<lang>", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def translate(city: City, slug: str, lang: str) -> str | WerkzeugResponse:
    """Translate every text of the survey into one of its languages, beside the default."""
    survey = survey_or_404(city, slug)
    if lang not in survey.languages:
        abort(404)
    form = TranslateForm()
    if form.validate_on_submit():
        questions.save_translations(survey, lang, request.form.to_dict(), actor=current_user)
        flash(_("Translations saved."), "success")
        return redirect(url_for(".show", city=city.slug, slug=slug))
    return render_template("surveys/translate.html", city=city, survey=survey, form=form,
                           lang=lang, target=content_language(lang),
                           source=content_language(survey.default_language),
                           slots=questions.text_slots(survey),
                           hints=questions.hint_coverage(survey, lang))


@bp.get("/c/<city>/surveys/<slug>/xlsform.xlsx")
@city_view(Access.COORDINATOR)
def export_xlsform(city: City, slug: str) -> WerkzeugResponse:
    """Download the survey as an XLSForm (KoboToolbox / ODK)."""
    survey = survey_or_404(city, slug)
    data = transfer.export_survey(survey)
    return send_file(data, as_attachment=True, download_name=f"{city.slug}-{slug}.xlsx",
                     mimetype=XLSX_MIMETYPE)


def _attachments(files: list[Any] | None) -> dict[str, bytes]:
    """Return the uploaded choice files by their base name (what the form's type names)."""
    found: dict[str, bytes] = {}
    for upload in files or []:
        name = str(getattr(upload, "filename", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
        if name:
            found[name] = upload.read()
    return found


@bp.route("/c/<city>/surveys/import", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def import_xlsform(city: City) -> tuple[str, int] | WerkzeugResponse:
    """Upload an XLSForm and create a draft survey from it, or list every problem."""
    form = ImportForm()
    outcome = None
    if form.validate_on_submit():
        if services.slug_taken(city, form.slug.data):
            form.slug.errors.append(_("This city already has a survey with that short name."))
        else:
            data, attachments = form.file.data.read(), _attachments(form.attachments.data)
            if import_jobs.too_large(data, attachments):  # a job converts and saves it
                job = import_jobs.start(city, form.slug.data, data, form.file.data.filename,
                                        attachments, current_user)
                return redirect(url_for("jobs.status", city=city.slug, job_id=job.uuid))
            outcome = transfer.import_survey(
                city, form.slug.data, data, name=form.file.data.filename,
                attachments=attachments, actor=current_user)
            if outcome.survey is not None:
                for notice in outcome.notices:
                    flash(notice, "info")
                flash(_("Survey imported as a draft."), "success")
                return redirect(url_for(".show", city=city.slug, slug=outcome.survey.slug))
    status = 422 if outcome is not None else 200
    return render_template("surveys/import.html", city=city, form=form, outcome=outcome), status
