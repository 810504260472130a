"""The fixed vocabularies of the map, their translated labels, and lookup from any language."""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l

from portal.catalogs import ui_catalogs
from portal.models.network import FREQUENCIES, LEVELS, SECTORS, TIE_KINDS

SECTOR_LABELS = {
    "education": _l("Education"),
    "religious": _l("Religious institution"),
    "youth": _l("Youth work"),
    "municipality": _l("Municipality"),
    "police": _l("Police"),
    "health": _l("Health"),
    "social": _l("Social services"),
    "civil_society": _l("Civil society"),
    "media": _l("Media"),
    "national_government": _l("National government"),
    "international": _l("International organisation"),
    "private": _l("Private sector"),
    "community_leader": _l("Community leader"),
    "other": _l("Other"),
}
LEVEL_LABELS = {
    "local": _l("Local"),
    "national": _l("National"),
    "international": _l("International"),
}
KIND_LABELS = {
    "information": _l("Information sharing"),
    "referral": _l("Referral"),
    "joint_activity": _l("Joint activity"),
    "funding": _l("Funding"),
    "agreement": _l("Formal agreement"),
}
FREQUENCY_LABELS = {
    "weekly": _l("Weekly"),
    "monthly": _l("Monthly"),
    "quarterly": _l("Quarterly"),
    "yearly": _l("Yearly"),
}
VOCABULARIES = {
    "sector": (SECTORS, SECTOR_LABELS),
    "level": (LEVELS, LEVEL_LABELS),
    "kind": (TIE_KINDS, KIND_LABELS),
    "frequency": (FREQUENCIES, FREQUENCY_LABELS),
}
# English spellings people type that are neither a key nor a label.
EXTRA_ALIASES = {
    "sector": {"religion": "religious", "ngo": "civil_society", "youth centre": "youth",
               "social": "social", "government": "national_government", "business": "private"},
    "kind": {"information": "information", "joint": "joint_activity", "agreement": "agreement"},
    "frequency": {"annually": "yearly", "annual": "yearly"},
    "level": {},
}


def choices(vocabulary: str) -> list[tuple[str, object]]:
    """Return (key, lazy label) pairs in canonical order, for a select field."""
    keys, labels = VOCABULARIES[vocabulary]
    return [(key, labels[key]) for key in keys]


def label(vocabulary: str, key: str | None) -> str:
    """Return the translated label of a key (the key itself when unknown)."""
    if key is None:
        return ""
    return str(VOCABULARIES[vocabulary][1].get(key, key))


def _fold(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


@cache
def _lookup_table(vocabulary: str) -> dict[str, str]:
    """Map every key and every label in every UI language (folded) to its key."""
    keys, labels = VOCABULARIES[vocabulary]
    table = {_fold(alias): key for alias, key in EXTRA_ALIASES[vocabulary].items()}
    for catalog in ui_catalogs():
        for key in keys:
            table[_fold(catalog.gettext(labels[key]._args[0]))] = key
    for key in keys:
        table[_fold(labels[key]._args[0])] = key
        table[_fold(key)] = key
    return table


def parse(vocabulary: str, text: str | None) -> str | None:
    """Return the key for a key or a label in any UI language (case-insensitive), else None."""
    if text is None:
        return None
    return _lookup_table(vocabulary).get(_fold(str(text)))
