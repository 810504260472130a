"""The residents' pages: rendering in the survey's language, and the survey at an address."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from typing import Any

from flask import abort, make_response, redirect, render_template, request, session, url_for
from flask_babel import force_locale

from portal.surveys.answering.definition import PublicSurvey, availability, public_survey
from portal.surveys.answering.state import State, content_language, load
from portal.surveys.field import entry


def render(template: str, survey: PublicSurvey, language: str, status: int = 200,
            **context: Any) -> tuple[str, int]:
    """Render a resident page in the survey language (UI strings too, when translated)."""
    info = content_language(language)
    if info.ui_code and session.get("lang") != info.ui_code:  # unchanged: no new cookie
        session["lang"] = info.ui_code
    paper = entry.active(survey.city.slug)
    with force_locale(info.ui_code) if info.ui_code else nullcontext():
        html = render_template(template, survey=survey, lang=language, content=info,
                               paper_entry=entry.count(survey.city.slug) if paper else None,
                               **context)
    return html, status


def render_static(template: str, survey: PublicSurvey, language: str) -> tuple[str, int]:
    """Render a page without per-request content once per survey revision and language."""
    info = content_language(language)
    # The UI language then follows the visitor, or the page shows the data entry banner:
    # nothing to share with other visitors.
    if not info.ui_code or entry.active(survey.city.slug):
        return render(template, survey, language)
    key = (template, language, survey.city.name)
    html = survey.rendered.get(key)
    if html is None:
        html, _status = render(template, survey, language)
        survey.rendered[key] = html
    elif session.get("lang") != info.ui_code:
        session["lang"] = info.ui_code
    return html, 200


def survey_at(city: str, slug: str) -> PublicSurvey:
    """Return the survey at this address; drafts and unknown ones are 404."""
    survey = public_survey(city, slug)
    if survey is None or survey.status == "draft":
        abort(404)
    return survey


def unavailable(survey: PublicSurvey, language: str | None, state: str) -> tuple[str, int]:
    """Render the friendly page of a closed or not-yet-open survey."""
    lang = str(language) if language in survey.languages else survey.default_language
    code = 410 if state == "closed" else 403
    return render("surveys/public_unavailable.html", survey, lang, code, state=state)


def stop_unless_open(survey: PublicSurvey, language: str | None) -> None:
    """Stop with the friendly page when the survey is closed or not yet open today."""
    state = availability(survey, date.today())
    if state != "open":
        abort(make_response(unavailable(survey, language, state)))


def open_survey(city: str, slug: str) -> tuple[PublicSurvey, str]:
    """Return the survey at this address, open today, and the content language asked for.

    Drafts and unknown addresses are 404; a closed or not-yet-open survey stops the request
    with its friendly page.
    """
    survey = survey_at(city, slug)
    language = language_of(survey)
    stop_unless_open(survey, language)
    return survey, language


def open_survey_in_progress(city: str, slug: str,
                            when_sent: str = ".answer_languages") -> tuple[PublicSurvey, State]:
    """Return the open survey at this address and the answers in progress.

    Without answers in progress the resident goes back to the start; with answers already
    sent, to ``when_sent``.
    """
    survey = survey_at(city, slug)
    state = load(survey.id)
    if state is None or state.sent:
        endpoint = when_sent if state is not None else ".answer_languages"
        abort(redirect(url_for(endpoint, city=city, slug=slug)))
    stop_unless_open(survey, state.language)
    return survey, state


def language_of(survey: PublicSurvey, state: State | None = None) -> str:
    """Pick the content language: ?lang= among the survey's, then the state's, then default."""
    wanted = request.args.get("lang") or request.form.get("lang")
    if wanted in survey.languages:
        return str(wanted)
    if state is not None and state.language in survey.languages:
        return state.language
    return survey.default_language


def page_url(survey: PublicSurvey, index: int | None) -> str:
    """Return the address of a page, or of the send step after the last page."""
    if index is None:
        return url_for(".answer_send", city=survey.city.slug, slug=survey.slug)
    return url_for(".answer_page", city=survey.city.slug, slug=survey.slug, number=index + 1)
