"""Residents answer a survey: no account, nothing stored until the final send."""

from __future__ import annotations

from datetime import date

from flask import abort, redirect, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import ratelimit
from portal.auth.scoping import public
from portal.surveys import bp
from portal.surveys.answering.answers import TamperedInput
from portal.surveys.answering.definition import PublicSurvey
from portal.surveys.answering.flow import (
    Checked,
    PageResult,
    check_all,
    field_name,
    read_page,
    shown_ids,
)
from portal.surveys.answering.forms import PageForm, SendForm, StartForm
from portal.surveys.answering.logic import by_name, next_page, offered, revealable, visible
from portal.surveys.answering.pages import NOT_ASKED
from portal.surveys.answering.rendering import (
    language_of,
    open_survey,
    open_survey_in_progress,
    page_url,
    render,
    render_static,
    survey_at,
    unavailable,
)
from portal.surveys.answering.send import Sent, send_answers
from portal.surveys.answering.state import State, content_language, fits, load, new_uuid, save
from portal.surveys.answering.store import valid_uuid
from portal.surveys.field import entry

Reply = str | WerkzeugResponse | tuple[str, int]


_SEND_LIMIT = ("SURVEY_SEND_RATE_LIMIT", "20 per minute")  # the setting and its default
_read_limit = ratelimit.limit("SURVEY_RATE_LIMIT", "120 per minute")
_send_limit = ratelimit.limit(*_SEND_LIMIT)
_send_post_limit = ratelimit.limit(*_SEND_LIMIT, methods=("POST",))


@bp.get("/s/<city>/<slug>/")
@public
@_read_limit
def answer_languages(city: str, slug: str) -> Reply:
    """Offer the survey's languages by their native names."""
    survey, language = open_survey(city, slug)
    if len(survey.languages) == 1:
        return redirect(url_for(".answer_consent", city=city, slug=slug,
                                lang=survey.languages[0]))
    options = [content_language(code) for code in survey.languages]
    return render("surveys/public_languages.html", survey, language, options=options)


@bp.get("/s/<city>/<slug>/consent")
@public
@_read_limit
def answer_consent(city: str, slug: str) -> Reply:
    """Explain purpose, data holder, voluntariness and anonymity; hand out a new client UUID."""
    survey, language = open_survey(city, slug)
    form = StartForm(uuid=new_uuid(), lang=language)
    return render("surveys/public_consent.html", survey, language, form=form)


@bp.post("/s/<city>/<slug>/start")
@public
@_send_limit
def answer_start(city: str, slug: str) -> Reply:
    """Begin a fresh set of answers, bound in the signed session to the form's UUID.

    From here on this UUID is the only one a send of these answers may use (send.bound_uuid).
    """
    survey, language = open_survey(city, slug)
    form = StartForm()
    client_uuid = valid_uuid(form.uuid.data)
    if not form.validate_on_submit() or client_uuid is None:
        return render("surveys/public_error.html", survey, language, 400, kind="bad_request")
    save(State(survey.id, language, client_uuid, {}))
    first = next_page(survey.pages, -1, by_name(survey, {}))
    return redirect(page_url(survey, first))


@bp.route("/s/<city>/<slug>/p/<int:number>", methods=["GET", "POST"])
@public
@_read_limit
def answer_page(city: str, slug: str, number: int) -> Reply:
    """Show one section; on POST, check it and move on (skip logic runs here, on the server).

    A POST with ``nav=reveal`` (the page's script, after each change) stores nothing and
    returns the page as these answers would show it: which questions are relevant now.
    """
    survey, state = open_survey_in_progress(city, slug)
    pages = survey.pages
    if not 1 <= number <= len(pages):
        abort(404)
    page, form = pages[number - 1], PageForm()
    if request.method == "GET":
        return _page(survey, state, page.index, form, PageResult(state.answers))
    if not form.validate_on_submit():
        return render("surveys/public_error.html", survey, state.language, 400,
                       kind="expired")
    nav = request.form.get("nav")
    try:
        result = read_page(survey, page, request.form.to_dict(flat=False), state.answers,
                           state.language, strict=nav not in ("back", "reveal"),
                           shown=shown_ids(request.form.get("shown")))
    except TamperedInput:
        return render("surveys/public_error.html", survey, state.language, 400,
                       kind="bad_request")
    if nav == "reveal":
        return _page(survey, State(state.survey_id, state.language, state.uuid,
                                   result.answers), page.index, form, result)
    state.answers = result.answers
    if not fits(state):
        return render("surveys/public_error.html", survey, state.language, 400,
                       kind="too_long")
    save(state)
    if result.errors or result.revealed:
        return _page(survey, state, page.index, form, result)
    step = -1 if nav == "back" else 1
    target = next_page(pages, page.index, by_name(survey, state.answers), step)
    if nav == "back" and target is None:
        return redirect(url_for(".answer_consent", city=city, slug=slug, lang=state.language))
    return redirect(page_url(survey, target))


def _page(survey: PublicSurvey, state: State, index: int, form: PageForm,
          result: PageResult) -> tuple[str, int]:
    """Render a page of questions with the answers so far, and any errors or new questions.

    A question an answer on this page may reveal is in the HTML, ``hidden`` while not
    relevant, so the page's script can show it as soon as an answer reveals it.
    """
    pages = survey.pages
    names = by_name(survey, state.answers)
    shown = [p.index for p in pages if any(q.qtype not in NOT_ASKED for q in visible(p, names))]
    position = shown.index(index) + 1 if index in shown else 1
    relevant = {q.id for q in visible(pages[index], names)}
    questions = revealable(pages[index], names)
    return render(
        "surveys/public_page.html", survey, state.language, 422 if result.errors else 200,
        page=pages[index], questions=questions, relevant=relevant,
        answers=state.answers, entered=result.entered, errors=result.errors,
        revealed=result.revealed, form=form, position=position, total=max(len(shown), 1),
        offered={q.id: offered(q, names) for q in questions if getattr(q, "choice_filter", None)},
        field_name=field_name)


def _send_page(survey: PublicSurvey, state: State, checked: Checked,
               status: int = 200) -> tuple[str, int]:
    """Render the last step: how many answers, or the first page that needs attention."""
    first = next_page(survey.pages, -1, by_name(survey, state.answers))
    return render("surveys/public_send.html", survey, state.language, status,
                   form=SendForm(uuid=state.uuid), answered=len(checked.answers),
                   missing=checked.missing_page, first_page=first or 0, page_url=page_url)


@bp.route("/s/<city>/<slug>/send", methods=["GET", "POST"])
@public
@_send_post_limit
def answer_send(city: str, slug: str) -> Reply:
    """Show the last step; on POST store everything at once, retry-safe by the client UUID."""
    if request.method == "POST":
        return _send(city, slug)
    survey, state = open_survey_in_progress(city, slug, when_sent=".answer_thanks")
    return _send_page(survey, state, check_all(survey, state.answers, state.language))


def _send(city: str, slug: str) -> Reply:
    """Send the answers in progress (one service call) and show what became of them."""
    # The global CSRFProtect has checked the token; the form's one field is the UUID, read
    # without building the form (which only the GET of the send step renders).
    if entry.lapsed(city):  # the role went while typing: nothing stored, not even as web
        found = survey_at(city, slug)
        language = language_of(found, load(found.id))
        entry.end_lapsed()
        return render("surveys/public_error.html", found, language, 403, kind="entry_ended")
    paper = entry.active(city)
    result = send_answers(city, slug, request.form.get("uuid"), load, date.today(),
                          mode="paper" if paper else "web")
    if result.sent is Sent.NOT_FOUND:
        abort(404)
    if result.sent is Sent.NOT_STARTED:
        return redirect(url_for(".answer_languages", city=city, slug=slug))
    if result.sent is Sent.ALREADY_SENT:
        return redirect(url_for(".answer_thanks", city=city, slug=slug))
    survey, state = result.survey, result.state
    assert survey is not None and state is not None  # every other result names both
    if result.sent is Sent.UNAVAILABLE:
        return unavailable(survey, state.language, result.availability)
    if result.sent in (Sent.INCOMPLETE, Sent.EMPTY) and result.checked is not None:
        return _send_page(survey, state, result.checked, 400)
    if result.sent is Sent.BAD_UUID:
        return render("surveys/public_error.html", survey, state.language, 400,
                       kind="bad_request")
    if result.sent is Sent.CONFLICT:
        return render("surveys/public_error.html", survey, state.language, 409,
                       kind="conflict")
    if paper:
        entry.entered(city)
    return _acknowledge(survey, state, result.client_uuid)


def _acknowledge(survey: PublicSurvey, state: State, client_uuid: str) -> Reply:
    """Mark the answers as sent (the session keeps only the UUID) and thank the resident."""
    state.sent, state.uuid, state.answers = True, client_uuid, {}
    save(state)
    return render_static("surveys/public_thanks.html", survey, state.language)


@bp.get("/s/<city>/<slug>/thanks")
@public
@_read_limit
def answer_thanks(city: str, slug: str) -> Reply:
    """Thank the resident (the acknowledgement of a sent survey)."""
    survey = survey_at(city, slug)
    state = load(survey.id)
    if state is None or not state.sent:
        return redirect(url_for(".answer_languages", city=city, slug=slug))
    return render_static("surveys/public_thanks.html", survey, state.language)
