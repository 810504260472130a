"""Coordinators author surveys: list, create, edit, open/close, preview, copy."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from portal.auth.scoping import Access, cities_where, city_by_slug, city_view
from portal.i18n import LOCALES, lang_for_this_request
from portal.models import City, Survey
from portal.surveys import bp
from portal.surveys.answering.flow import field_name
from portal.surveys.answering.pages import pages_of
from portal.surveys.answering.state import content_language
from portal.surveys.authoring import services
from portal.surveys.authoring.forms import TYPE_LABELS, ActionForm, CopyForm, SurveyForm
from portal.surveys.labels import BREAKDOWN_LABELS, subscale_label

ERRORS = {
    "no_questions": _l("Add at least one question before opening the survey."),
    "slug_taken": _l("This city already has a survey with that short name."),
    "has_responses": _l("The survey already has responses: its questions can no longer "
                        "change. Copy it as a new wave instead."),
    "expression": _l("The expression could not be read. Check the XLSForm syntax."),
    "regex": _l("The regex needs back-references or look-around, which the portal does not run."),
    "expression_reference": _l("The expression refers to a question that does not exist."),
    "duplicate_name": _l("Another question already has this name."),
    "choices": _l("Give at least one choice, each with a different name."),
    "language": _l("This language is not offered by the survey."),
}


def error_text(exc: services.SurveyError) -> str:
    """Translate a SurveyError code into a sentence."""
    code, _sep, detail = str(exc).partition(":")
    if code == "incomplete":
        names = ", ".join(content_language(c).native_name for c in detail.split(","))
        return _("The survey cannot open: translations are incomplete for %(languages)s.",
                 languages=names)
    return str(ERRORS.get(code, _l("This change is not possible.")))


def survey_or_404(city: City, slug: str) -> Survey:
    """Return the city's survey or abort with 404."""
    survey = services.survey_of(city, slug)
    if survey is None:
        abort(404)
    return survey


def _language_choices(survey: Survey | None) -> list[SelectChoice]:
    """Offer the UI languages plus any other language a (imported) survey already has."""
    codes = [info.code for info in LOCALES]
    codes += [code for code in (survey.languages if survey else []) if code not in codes]
    return [SelectChoice(code, content_language(code).native_name) for code in codes]


def _survey_form(survey: Survey | None, city: City) -> SurveyForm:
    """Build the settings form, prefilled from the survey or the city's default language."""
    form = SurveyForm(obj=survey) if survey else SurveyForm(
        languages=[city.default_locale], default_language=city.default_locale)
    if survey is not None and request.method == "GET":
        form.title.data = survey.title.get(survey.default_language, "")
        form.consent.data = survey.consent.get(survey.default_language, "")
    form.languages.choices = _language_choices(survey)
    form.default_language.choices = _language_choices(survey)
    return form


def _settings(form: SurveyForm) -> services.Settings:
    """Return the settings form as the service's plain data."""
    return services.Settings(
        slug=form.slug.data, wave=form.wave.data or "", languages=list(form.languages.data or []),
        default_language=form.default_language.data, opens_on=form.opens_on.data,
        closes_on=form.closes_on.data, title=form.title.data, consent=form.consent.data or "")


@bp.get("/c/<city>/surveys/")
@city_view(Access.MEMBER)
def index(city: City) -> str:
    """List the city's surveys with status, wave and number of responses."""
    return render_template("surveys/index.html", city=city, surveys=services.surveys_of(city),
                           can_edit=g.city_access >= Access.COORDINATOR)


@bp.route("/c/<city>/surveys/new", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def create(city: City) -> str | WerkzeugResponse:
    """Create a draft survey."""
    return _settings_page(city, None)


@bp.get("/c/<city>/surveys/<slug>/")
@city_view(Access.MEMBER)
def show(city: City, slug: str) -> str:
    """Show a survey: settings, languages with completeness, questions, actions."""
    survey = survey_or_404(city, slug)
    return render_template(
        "surveys/show.html", city=city, survey=survey, action=ActionForm(),
        completeness=services.completeness(survey), responses=services.response_count(survey),
        can_edit=g.city_access >= Access.COORDINATOR, language=content_language,
        type_labels=TYPE_LABELS, subscale_label=subscale_label, breakdown_labels=BREAKDOWN_LABELS)


@bp.route("/c/<city>/surveys/<slug>/edit", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def edit(city: City, slug: str) -> str | WerkzeugResponse:
    """Edit a survey's settings."""
    return _settings_page(city, survey_or_404(city, slug))


def _settings_page(city: City, survey: Survey | None) -> str | WerkzeugResponse:
    """Show the settings form; on a valid POST create the survey, or save its settings."""
    form = _survey_form(survey, city)
    if form.validate_on_submit():
        try:
            if survey is None:
                survey = services.create_survey(city, _settings(form), actor=current_user)
                done = _("Survey created. Now add its questions.")
            else:
                services.update_settings(survey, _settings(form), actor=current_user)
                done = _("Saved.")
        except services.SurveyError as exc:
            form.slug.errors.append(error_text(exc))
        else:
            flash(done, "success")
            return redirect(url_for(".show", city=city.slug, slug=survey.slug))
    return render_template("surveys/edit.html", city=city, form=form, survey=survey)


@bp.post("/c/<city>/surveys/<slug>/status")
@city_view(Access.COORDINATOR)
def set_status(city: City, slug: str) -> WerkzeugResponse:
    """Open or close a survey."""
    survey = survey_or_404(city, slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if request.form.get("to") == "open":
            services.open_survey(survey, actor=current_user)
            flash(_("The survey is open to residents."), "success")
        else:
            services.close_survey(survey, actor=current_user)
            flash(_("The survey is closed."), "success")
    except services.SurveyError as exc:
        flash(error_text(exc), "error")
    return redirect(url_for(".show", city=city.slug, slug=slug))


@bp.get("/c/<city>/surveys/<slug>/preview")
@lang_for_this_request
@city_view(Access.MEMBER)
def preview(city: City, slug: str) -> str:
    """Show every question as a resident would see it, in any of the survey's languages."""
    survey = survey_or_404(city, slug)
    lang = request.args.get("lang", survey.default_language)
    if lang not in survey.languages:
        lang = survey.default_language
    info = content_language(lang)
    with force_locale(info.ui_code or "en"):
        return render_template("surveys/preview.html", survey=survey, lang=lang, content=info,
                               pages=pages_of(survey), field_name=field_name)


@bp.route("/c/<city>/surveys/<slug>/copy", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def copy(city: City, slug: str) -> str | WerkzeugResponse:
    """Copy a survey as a new wave, here or in another city the user coordinates."""
    survey = survey_or_404(city, slug)
    targets = cities_where(current_user, Access.COORDINATOR)
    form = CopyForm(city=city.slug)
    form.city.choices = [SelectChoice(c.slug, c.name) for c in targets]
    if form.validate_on_submit():
        target = city_by_slug(form.city.data)
        if target is None or target not in targets:
            abort(404)
        try:
            new = services.copy_survey(survey, target, form.slug.data, form.wave.data or "",
                                       actor=current_user)
        except services.SurveyError as exc:
            form.slug.errors.append(error_text(exc))
        else:
            flash(_("Survey copied as a draft."), "success")
            return redirect(url_for(".show", city=target.slug, slug=new.slug))
    return render_template("surveys/copy.html", city=city, survey=survey, form=form)
