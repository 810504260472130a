"""The data entry mode: a team member or enumerator types in paper questionnaires.

The mode lives in the signed session only (``pe``: the city and how many questionnaires were
entered in this sitting). While it is on, and the user still holds a role in that city (not
a regional one), the residents' pages show a data entry banner and the send stores the
response with the collection mode "paper". Nothing records who entered which response: the
response row has no user, no audit event is written per questionnaire, and the count exists
only in the user's own cookie.
"""

from __future__ import annotations

from typing import Any

from flask import session
from flask_login import current_user

from portal.auth.revocation import DATA_ENTRY_KEY
from portal.auth.scoping import Access, access_to, city_by_slug
from portal.i18n import may_be_logged_in
from portal.surveys.answering.state import KEY as STATE_KEY

KEY = DATA_ENTRY_KEY
MAY_ENTER = (Access.ENUMERATOR, Access.MEMBER, Access.COORDINATOR, Access.ADMIN)


def may_enter(access: Access | None) -> bool:
    """Return True for the roles that may type in paper questionnaires (not regional)."""
    return access in MAY_ENTER


def start(city_slug: str) -> None:
    """Turn the data entry mode on for a city (the count goes on within the same city)."""
    current = session.get(KEY) or {}
    count = int(current.get("n", 0)) if current.get("c") == city_slug else 0
    session[KEY] = {"c": city_slug, "n": count}


def stop() -> None:
    """Turn the data entry mode off."""
    session.pop(KEY, None)


def count(city_slug: str) -> int:
    """Return how many questionnaires were entered in this sitting in the city."""
    current = session.get(KEY) or {}
    return int(current.get("n", 0)) if current.get("c") == city_slug else 0


def active(city_slug: str) -> bool:
    """Return True when the data entry mode is on for this city and the user may enter.

    Residents (no login session) cost no query: the mode needs a login.
    """
    current = session.get(KEY)
    if not current or current.get("c") != city_slug or not may_be_logged_in():
        return False
    if not current_user.is_authenticated:
        return False
    city = city_by_slug(city_slug)
    return city is not None and may_enter(access_to(current_user, city))


def lapsed(city_slug: str) -> bool:
    """Return True when the mode is on for this city but the user may no longer enter.

    A mode whose user has since lost the role (or the login) must not turn into a web
    response: the send is refused, and end_lapsed() ends it.
    """
    current = session.get(KEY) or {}
    return current.get("c") == city_slug and not active(city_slug)


def end_lapsed() -> None:
    """End a lapsed mode and drop the answers in progress, so no later send stores them."""
    stop()
    session.pop(STATE_KEY, None)


def entered(city_slug: str) -> None:
    """Count one more questionnaire entered in this sitting."""
    current: dict[str, Any] = dict(session.get(KEY) or {})
    if current.get("c") == city_slug:
        current["n"] = int(current.get("n", 0)) + 1
        session[KEY] = current
