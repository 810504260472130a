"""The compiled message catalogs, read without Flask (importers, templates of files), once each.

The import reader matches headers and vocabulary values in every UI language; parsing a
catalog takes ~10 ms, so each is read once per process and shared by every table built on it.
"""

from __future__ import annotations

import os
from functools import lru_cache

from babel.support import NullTranslations, Translations

TRANSLATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "translations")


@lru_cache(maxsize=32)
def catalog(locale: str) -> NullTranslations:
    """Return the compiled catalog of one locale (a null catalog when it has none)."""
    return Translations.load(TRANSLATIONS, [locale])


def ui_catalogs() -> tuple[NullTranslations, ...]:
    """Return the catalogs of every UI language, in the locale table's order."""
    from portal.i18n import LOCALES

    return tuple(catalog(info.code) for info in LOCALES)
