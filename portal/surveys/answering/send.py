"""The residents' send: store the answers in progress once, and say what became of them.

A send first tries with the survey as this process last read it, without reading it again:
the statement that stores checks that the survey is still as read and open
(store.store_if_as_read), so the common send costs one statement. Anything else (nothing
read yet in this process, no answers in progress, an answer missing, a bad UUID, a survey
changed since or closed, a UUID already used) falls through to the full path, which reads the
survey and decides with the usual rules. The view renders what the result names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum

from portal.surveys.answering.definition import (
    PublicSurvey,
    availability,
    last_seen_survey,
    public_survey,
)
from portal.surveys.answering.flow import Checked, check_all
from portal.surveys.answering.state import State
from portal.surveys.answering.store import (
    Outcome,
    store_if_as_read,
    store_response,
    valid_uuid,
)


class Sent(Enum):
    """What became of a send."""

    STORED = "stored"  # stored now, or the same answers were stored before under this UUID
    NOT_FOUND = "not_found"  # no survey at this address, or a draft: 404
    NOT_STARTED = "not_started"  # no answers in progress: back to the start
    ALREADY_SENT = "already_sent"  # these answers were sent: the thanks page
    UNAVAILABLE = "unavailable"  # closed or not yet open: the friendly page
    INCOMPLETE = "incomplete"  # a required answer is missing: the send step again
    EMPTY = "empty"  # not one question answered: the send step again, saying so
    BAD_UUID = "bad_uuid"  # not the UUID the answers were started under
    CONFLICT = "conflict"  # this UUID holds other answers: 409


@dataclass(frozen=True)
class SendResult:
    """A send's outcome, with what the page that shows it needs."""

    sent: Sent
    survey: PublicSurvey | None = None
    state: State | None = None
    client_uuid: str = ""  # the stored UUID
    checked: Checked | None = None  # INCOMPLETE, EMPTY: the answers, the page needing attention
    availability: str = "open"  # UNAVAILABLE: 'closed', 'not_yet'


def bound_uuid(state: State, sent_uuid: str | None) -> str | None:
    """Return the sent UUID when it is the one the answers were started under, else None.

    A cookie's answers are thereby sent under one UUID only: a copy of the cookie sent again
    with another UUID stores nothing, and with the same UUID gets the earlier acknowledgement.
    """
    sent = valid_uuid(sent_uuid)
    return sent if sent is not None and sent == state.uuid else None


def send_answers(city: str, slug: str, sent_uuid: str | None,
                 load_state: Callable[[int], State | None], today: date,
                 mode: str = "web") -> SendResult:
    """Store the answers in progress at this address under the sent UUID, at most once.

    ``load_state`` returns the answers in progress for a survey id (the signed session's);
    ``mode`` is how they were collected ("paper" from the data entry mode, else "web").
    """
    quick = _send_as_last_seen(city, slug, sent_uuid, load_state, today, mode)
    if quick is not None:
        return quick
    survey = public_survey(city, slug)
    if survey is None or survey.status == "draft":
        return SendResult(Sent.NOT_FOUND)
    state = load_state(survey.id)
    if state is not None and state.sent:
        return SendResult(Sent.ALREADY_SENT, survey, state)
    if state is None:
        return SendResult(Sent.NOT_STARTED, survey)
    available = availability(survey, today)
    if available != "open":
        return SendResult(Sent.UNAVAILABLE, survey, state, availability=available)
    checked = check_all(survey, state.answers, state.language)
    if checked.missing_page is not None:
        return SendResult(Sent.INCOMPLETE, survey, state, checked=checked)
    if not checked.answers:
        return SendResult(Sent.EMPTY, survey, state, checked=checked)
    client_uuid = bound_uuid(state, sent_uuid)
    if client_uuid is None:
        return SendResult(Sent.BAD_UUID, survey, state)
    if store_response(survey, client_uuid, checked.answers, today,
                      mode=mode) is Outcome.CONFLICT:
        return SendResult(Sent.CONFLICT, survey, state)
    return SendResult(Sent.STORED, survey, state, client_uuid)


def _send_as_last_seen(city: str, slug: str, sent_uuid: str | None,
                       load_state: Callable[[int], State | None],
                       today: date, mode: str = "web") -> SendResult | None:
    """Store with the survey as this process last read it; None when that cannot decide."""
    survey = last_seen_survey(city, slug)
    if survey is None:
        return None
    state = load_state(survey.id)
    if state is None or state.sent or availability(survey, today) != "open":
        return None
    checked = check_all(survey, state.answers, state.language)
    client_uuid = bound_uuid(state, sent_uuid)
    if checked.missing_page is not None or not checked.answers or client_uuid is None:
        return None
    if not store_if_as_read(survey, client_uuid, checked.answers, today, mode=mode):
        return None
    return SendResult(Sent.STORED, survey, state, client_uuid)
