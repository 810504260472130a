"""The resident's place in a survey, kept only in the signed session cookie (never the DB)."""

from __future__ import annotations

import json
import uuid as uuid_module
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from flask import session

from portal.i18n import LOCALE_BY_CODE, normalise

KEY = "sv"
MAX_STATE_BYTES = 2600  # JSON size; with signing and the CSRF token the cookie stays < 4 KB


@dataclass
class State:
    """One survey in progress (or just sent): survey id, language, client UUID, answers."""

    survey_id: int
    language: str
    uuid: str
    answers: dict[str, Any]
    sent: bool = False

    def compact(self) -> dict[str, Any]:
        """Return the short-keyed dict stored in the cookie."""
        data: dict[str, Any] = {"s": self.survey_id, "l": self.language, "u": self.uuid,
                                "a": self.answers}
        if self.sent:
            data["x"] = 1
        return data


def new_uuid() -> str:
    """Return a fresh client UUID for a form that is starting."""
    return str(uuid_module.uuid4())


def load(survey_id: int) -> State | None:
    """Return the session's state for this survey, if it is the one in progress."""
    data = session.get(KEY)
    if not isinstance(data, dict) or data.get("s") != survey_id:
        return None
    answers = data.get("a")
    return State(survey_id, str(data.get("l", "")), str(data.get("u", "")),
                 answers if isinstance(answers, dict) else {}, bool(data.get("x")))


def fits(state: State) -> bool:
    """Return True when the state is small enough for the cookie."""
    return len(json.dumps(state.compact(), separators=(",", ":"))) <= MAX_STATE_BYTES


def save(state: State) -> None:
    """Write the state into the session (one survey at a time)."""
    session[KEY] = state.compact()


@dataclass(frozen=True)
class ContentLanguage:
    """How a survey content language is tagged and named on the page."""

    code: str
    tag: str
    direction: str
    native_name: str
    ui_code: str | None  # the UI catalog to use with it, when the portal has one


@lru_cache(maxsize=64)
def content_language(code: str) -> ContentLanguage:
    """Describe a content language: the locale table first, Babel for any other language."""
    ui_code = normalise(code)
    if ui_code:
        info = LOCALE_BY_CODE[ui_code]
        return ContentLanguage(code, info.tag, info.direction, info.native_name, ui_code)
    try:
        locale = Locale.parse(code)
        name = locale.get_display_name(locale) or code
        direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    except (ValueError, UnknownLocaleError):
        name, direction = code, "ltr"
    return ContentLanguage(code, code.replace("_", "-"), direction, name[:1].upper() + name[1:],
                           None)
