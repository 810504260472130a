"""Map XLSForm language declarations ("English (en)", "العربية", "Deutsch") to portal codes."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError, localedata

# Names the portal writes on export for codes Babel names differently (or not at all).
PORTAL_NAMES: dict[str, str] = {"rom": "Romani", "sr_Latn": "Serbian Latin", "sr": "Serbian"}

_CODE_RE = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?$")
_DECLARATION_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[^()]*)\)\s*$", re.DOTALL)


def normalise_code(text: str) -> str | None:
    """Return a portal code (``sr_Latn``, ``en``, ``pt_BR``) for a BCP47-ish tag, or None."""
    match = _CODE_RE.match(text.strip())
    if match is None:
        return None
    language, script, region = match.groups()
    code = language.lower()
    if script:
        code += "_" + script.title()
    if region:
        code += "_" + region.upper()
    return code


def to_tag(code: str) -> str:
    """Return the BCP47 spelling of a portal code (``sr_Latn`` -> ``sr-Latn``)."""
    return code.replace("_", "-")


def display_name(code: str) -> str:
    """Return the English name the export writes before ``(code)``."""
    if code in PORTAL_NAMES:
        return PORTAL_NAMES[code]
    try:
        name = Locale.parse(code).get_display_name("en")
    except (ValueError, UnknownLocaleError):
        name = None
    return name or code


def declaration(code: str) -> str:
    """Return the XLSForm language declaration for a code, e.g. ``Serbian Latin (sr-Latn)``."""
    return f"{display_name(code)} ({to_tag(code)})"


def _clean(name: str) -> str:
    """Fold a language name for lookup: trim, collapse spaces, casefold, drop accents.

    Accents go because forms write "Francais" for "Français" (Arabic letters keep their marks:
    only Latin letters are folded).
    """
    folded = "".join(char for char in unicodedata.normalize("NFKD", " ".join(name.split()))
                     if not (unicodedata.combining(char) and ord(char) < 0x0370))
    return folded.casefold()


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    """Return English language names -> code, plus the portal's own names."""
    table = {_clean(name): code for code, name in Locale("en").languages.items()}
    table.update({_clean(name): code for code, name in PORTAL_NAMES.items()})
    return table


@lru_cache(maxsize=1)
def _all_names() -> dict[str, str]:
    """Return every language name in every Babel language (native names win ties)."""
    locales = []
    for identifier in localedata.locale_identifiers():
        if "_" not in identifier:
            try:
                locales.append(Locale.parse(identifier))
            except (ValueError, UnknownLocaleError):
                continue
    table: dict[str, str] = {}
    for locale in locales:
        native = locale.languages.get(locale.language)
        if native:
            table.setdefault(_clean(native), locale.language)
    for locale in locales:
        for code, name in locale.languages.items():
            table.setdefault(_clean(name), code)
    return table


def code_for_name(name: str) -> str | None:
    """Return the code whose name (in any language Babel knows) is ``name``, or None."""
    key = _clean(name)
    if not key:
        return None
    return _english_names().get(key) or _all_names().get(key)


def match_declaration(text: str) -> tuple[str | None, bool]:
    """Resolve a declaration; return (code or None, whether it was matched by name only)."""
    text = " ".join(text.split())
    match = _DECLARATION_RE.match(text)
    if match:
        code = normalise_code(match.group("code"))
        if code is not None:
            return code, False
    by_name = code_for_name(text)
    if by_name is None and match:
        by_name = code_for_name(match.group("name"))
    if by_name is None:  # a bare code: label::EN, label::ar, label::sr-Latn
        bare = normalise_code(text)
        if bare is not None and _known(bare):
            return bare, False
    return by_name, by_name is not None


def _known(code: str) -> bool:
    """Return True when Babel knows the code's language (``en``, ``ar``, ``sr_Latn``)."""
    return code.split("_")[0] in Locale("en").languages or code in PORTAL_NAMES
