"""Translated names of subscales, demographic breakdowns and answer codes (shared with results)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SUBSCALE_LABELS = {
    "belonging": _l("Belonging"),
    "bridging": _l("Bridging ties"),
    "linking": _l("Linking ties"),
    "collective_efficacy": _l("Collective efficacy"),
    "youth_voice": _l("Youth voice"),
    "non_violence": _l("Non-violence norms"),
}
BREAKDOWN_LABELS = {"age_band": _l("Age band"), "gender": _l("Gender"), "area": _l("Area"),
                    "collection_mode": _l("Collection mode")}
# How a response came in: a property of the response (portal.models.Response), not of a person.
MODE_LABELS = {
    "web": _l("Online form"),
    "device": _l("Enumerator device (ODK Collect)"),
    "paper": _l("Paper questionnaire"),
}
CODE_LABELS = {
    "dont_know": _l("Don't know"),
    "prefer_not": _l("Prefer not to answer"),
    "no_answer": _l("Not answered or not asked"),
    "not_stated": _l("Not stated"),
}


def subscale_label(name: str) -> str:
    """Return the translated name of a subscale (its code when unknown)."""
    return str(SUBSCALE_LABELS.get(name, name.replace("_", " ")))


def code_label(code: str) -> str:
    """Return the translated label of an answer code."""
    return str(CODE_LABELS[code])
