"""The outcome indicators as the pages print them: translated labels and formatted values."""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from portal.plan.outcomes import NetworkOutcomes, SurveyOutcomes
from portal.stakeholders.taxonomy import label

NO_VALUE = "—"


def _density(figures: dict[str, Any]) -> str:
    if figures["team_density"] is None:
        return _("fewer than two team members on the map")
    return ngettext("%(density)s among %(num)d team member",
                    "%(density)s among %(num)d team members", figures["team_size"],
                    density=format_decimal(figures["team_density"], "0.000"))


def _sectors(figures: dict[str, Any]) -> str:
    if figures["municipal_sectors"] is None:
        return _("no municipality actor on the map")
    names = ", ".join(label("sector", s) for s in figures["municipal_sector_names"])
    count = figures["municipal_sectors"]
    return f"{count} ({names})" if names else str(count)


def _national(figures: dict[str, Any]) -> str:
    status = figures["national_status"]
    if status == "path":
        return ngettext("yes, in %(num)d step", "yes, in %(num)d steps",
                        figures["national_steps"] or 0)
    return {"no_municipal": _("no municipality actor on the map"),
            "no_national": _("no national actor on the map")}.get(status, _("not yet"))


def _value(key: str, figures: dict[str, Any] | None) -> str:
    if figures is None:
        return NO_VALUE
    if key == "team_density":
        return _density(figures)
    if key == "municipal_sectors":
        return _sectors(figures)
    if key == "national_reach":
        return _national(figures)
    return str(figures[key])


def _change(key: str, change: dict[str, float | None] | None) -> str:
    value = None if change is None else change[key]
    if value is None:
        return NO_VALUE
    if key == "national_reach":
        return {1: _("now reached"), -1: _("no longer reached")}.get(int(value),
                                                                      _("unchanged"))
    return signed(value, "0.000" if key == "team_density" else "#,##0")


def signed(value: float, pattern: str) -> str:
    """Return a change with an ASCII sign ("+1", "−0.250", "0"), the same in every script:
    the locale's own signs carry bidi marks that turn "+1" into "1+" in right-to-left pages."""
    text = format_decimal(abs(value), pattern)
    if text.strip("0.,٫٬ ") == "":
        return text
    return ("+" if value > 0 else "−") + text


def network_labels() -> dict[str, str]:
    """Return the translated label of each network outcome, in the order shown."""
    return {
        "team_density": _("Density among team members"),
        "municipal_sectors": _("Sectors tied to the municipality"),
        "not_connected": _("Actors not yet connected"),
        "single_points": _("Single points of failure"),
        "national_reach": _("Reach to the national level"),
    }


def network_rows(net: NetworkOutcomes) -> list[dict[str, str]]:
    """Return one row per outcome: its label, the earlier and later round's value, the change."""
    labels = network_labels()
    return [{"key": key, "label": text, "before": _value(key, net.before),
             "after": _value(key, net.after), "change": _change(key, net.change)}
            for key, text in labels.items()]


def _index(summary: dict[str, Any] | None, k: int) -> str:
    if summary is None:
        return NO_VALUE
    if summary["suppressed"]:
        return ngettext("not shown: fewer than %(num)d answer",
                        "not shown: fewer than %(num)d answers", k)
    return ngettext("%(index)s (%(num)d answer)", "%(index)s (%(num)d answers)", summary["n"],
                    index=format_decimal(summary["index"]["mean"], "0.0"))


def survey_rows(surveys: SurveyOutcomes) -> list[dict[str, str]]:
    """Return one row per subscale: the earlier and latest wave's index and the change."""
    rows = []
    for s in surveys.subscales:
        diff = s["difference"]
        if diff is None:
            change = NO_VALUE
        elif diff["suppressed"]:
            change = _("not shown")
        else:
            change = signed(diff["index_diff"], "0.0")
        rows.append({"label": str(s["label"]), "previous": _index(s["previous"], surveys.k),
                     "latest": _index(s["latest"], surveys.k), "change": change})
    return rows
