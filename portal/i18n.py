"""The locale table and the locale selector: one place for every language the portal speaks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from babel import Locale, localedata
from flask import current_app, g, request, session
from flask_login import current_user


@dataclass(frozen=True)
class LocaleInfo:
    """One UI language."""

    code: str  # gettext catalog folder and Babel identifier
    tag: str  # BCP 47 tag for <html lang>
    native_name: str
    direction: str  # "ltr" or "rtl"
    formatting: str  # Babel locale used for dates and numbers
    plural_forms: str  # CLDR rule for integers, written into the catalog header


LOCALES: tuple[LocaleInfo, ...] = (
    LocaleInfo("en", "en", "English", "ltr", "en", "nplurals=2; plural=(n != 1);"),
    LocaleInfo(
        "mk", "mk", "Македонски", "ltr", "mk",
        # CLDR: one = i % 10 = 1 and i % 100 != 11 (so 1, 21, 31…; not 11). Babel writes 3 forms.
        "nplurals=2; plural=(n % 10 == 1 && n % 100 != 11) ? 0 : 1;",
    ),
    LocaleInfo("sq", "sq", "Shqip", "ltr", "sq", "nplurals=2; plural=(n != 1);"),
    LocaleInfo(
        "sr", "sr-Cyrl", "Српски", "ltr", "sr",
        "nplurals=3; plural=(n % 10 == 1 && n % 100 != 11) ? 0 : "
        "((n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)) ? 1 : 2);",
    ),
    LocaleInfo(
        "sr_Latn", "sr-Latn", "Srpski", "ltr", "sr_Latn",
        "nplurals=3; plural=(n % 10 == 1 && n % 100 != 11) ? 0 : "
        "((n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)) ? 1 : 2);",
    ),
    LocaleInfo("tr", "tr", "Türkçe", "ltr", "tr", "nplurals=2; plural=(n != 1);"),
    LocaleInfo(
        "ar", "ar", "العربية", "rtl", "ar",
        "nplurals=6; plural=(n == 0) ? 0 : ((n == 1) ? 1 : ((n == 2) ? 2 : "
        "((n % 100 >= 3 && n % 100 <= 10) ? 3 : ((n % 100 >= 11 && n % 100 <= 99) ? 4 : 5))));",
    ),
    # Babel has no CLDR data for Romani: its catalog is its own, its dates and numbers are
    # formatted as Serbian (Latin script), the closest Latin-script neighbour with full data.
    LocaleInfo("rom", "rom", "Romani ćhib", "ltr", "sr_Latn", "nplurals=2; plural=(n != 1);"),
)

F = TypeVar("F", bound=Callable[..., Any])

LOCALE_BY_CODE = {info.code: info for info in LOCALES}
DEFAULT_LOCALE = "en"


def register_fallback_locales() -> None:
    """Give Babel locale data for the languages CLDR lacks, borrowed from their fallback."""
    for info in LOCALES:
        if info.formatting != info.code and not localedata.exists(info.code):
            data = dict(localedata.load(info.formatting))
            localedata._cache[info.code] = data  # Babel's own lookup table; no public hook
    # Babel 2.19 memoises exists(), which has just answered False for those codes.
    forget = getattr(localedata.exists, "cache_clear", None)
    if forget is not None:
        forget()


def normalise(code: str | None) -> str | None:
    """Map a user-supplied code (sr-Latn, sr_latn, AR) to a supported catalog code."""
    if not code:
        return None
    wanted = code.strip().replace("-", "_").lower()
    for info in LOCALES:
        if wanted in (info.code.lower(), info.tag.replace("-", "_").lower()):
            return info.code
    return None


def info_for(code: str | None) -> LocaleInfo:
    """Return the table row for a code, English when unknown."""
    return LOCALE_BY_CODE.get(normalise(code) or DEFAULT_LOCALE, LOCALE_BY_CODE[DEFAULT_LOCALE])


def _from_accept_language() -> str | None:
    for value, _quality in request.accept_languages:
        code = normalise(value) or normalise(value.split("-")[0])
        if code:
            return code
    return None


def may_be_logged_in() -> bool:
    """Return False for a visitor without a login session (residents): no user to load."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return "_user_id" in session or remember in request.cookies


def lang_for_this_request(view: F) -> F:
    """Mark a view whose ?lang= picks the language of what it shows, for this request only.

    A survey preview in Albanian or a relationship-survey link printed in Romani must not
    become the visitor's language (session) or the logged-in user's preference.
    """
    view.lang_for_this_request = True  # type: ignore[attr-defined]
    return view


def lang_is_for_this_request() -> bool:
    """Return True when the view of this request marks ?lang= as not to be remembered."""
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "lang_for_this_request", False))


def select_locale() -> str:
    """Explicit ?lang= → user preference → session → Accept-Language → city default → en."""
    explicit = normalise(request.args.get("lang"))
    if explicit:
        if not lang_is_for_this_request():
            session["lang"] = explicit
        return explicit
    if may_be_logged_in() and current_user.is_authenticated and normalise(
            current_user.preferred_locale):
        return normalise(current_user.preferred_locale) or DEFAULT_LOCALE
    chosen = normalise(session.get("lang")) or _from_accept_language()
    if chosen:
        return chosen
    return _city_default() or DEFAULT_LOCALE


def _city_default() -> str | None:
    """Return the default locale of the city this request was granted, if any.

    Only `g.city`, which the access rules set once the user may see the city: a city named
    in the URL but hidden from the user must not colour the 404 (its language would tell
    that it exists), and its slug is never looked up here with whatever the URL holds.
    """
    city = getattr(g, "city", None)
    return normalise(city.default_locale) if city is not None else None


def current_info() -> LocaleInfo:
    """Return the table row of the locale of this request."""
    from flask_babel import get_locale

    locale = get_locale()
    return info_for(str(locale) if locale else None)


def formatting_locale(code: str) -> Locale:
    """Return the Babel locale used to format dates and numbers for a UI language."""
    return Locale.parse(info_for(code).formatting)
