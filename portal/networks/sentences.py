"""Translated sentences for gaps and suggested introductions (reason and measured effect)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import format_decimal, format_percent, ngettext
from flask_babel import gettext as _
from markupsafe import Markup, escape

from portal.stakeholders.taxonomy import label


def isolate(text: str) -> str:
    """Wrap a name in Unicode isolates so it keeps its own direction inside an RTL sentence."""
    return f"\u2068{text}\u2069"


def isolates_as_bdi(text: str) -> Markup:
    """Return the text escaped, each isolated name as <bdi>, for HTML (the JSON keeps FSI/PDI).

    A browser lays out FSI…PDI like <bdi>, but some screen readers and copy-paste do not; in
    an Arabic sentence with Latin or Cyrillic names the element is the sure way.
    """
    return Markup(_ISOLATE.sub(lambda m: f"<bdi>{m.group(1)}</bdi>", str(escape(text))))


_ISOLATE = re.compile("\u2068([^\u2068\u2069]*)\u2069")


def _name(names: dict[int, str], sid: int | None) -> str:
    return isolate(names.get(sid, "?") if sid is not None else "?")


def sector_pair(a: str, b: str, expected: float) -> str:
    """Return 'Education and Police never meet (about 2.5 ties expected)'."""
    return _("%(a)s and %(b)s never meet (ties expected: about %(expected)s).",
             a=label("sector", a), b=label("sector", b),
             expected=format_decimal(round(expected, 1)))


def working_group(size: int, inside: int, ties: int) -> str:
    """Return 'These 9 actors work mostly among themselves: 80% of their ties stay…'."""
    share = format_percent(inside / ties if ties else 0.0)
    if ties and inside * 2 > ties:
        return ngettext("This group of %(num)d actor works mostly within itself: %(share)s of "
                        "its ties stay inside.",
                        "These %(num)d actors work mostly among themselves: %(share)s of their "
                        "ties stay within the group.", size, share=share)
    return ngettext("This group of %(num)d actor is more tied within itself than to the rest: "
                    "%(share)s of its ties stay inside.",
                    "These %(num)d actors are more tied to each other than to the rest: "
                    "%(share)s of their ties stay within the group.", size, share=share)


def spof(name: str, cut_off: int) -> str:
    """Return the sentence for an actor that is a single point of failure."""
    return ngettext("%(name)s: without it, %(num)d actor would be cut off.",
                    "%(name)s: without it, %(num)d actors would be cut off.",
                    cut_off, name=name)


def national_path(path: dict[str, Any], names: dict[int, str]) -> dict[str, Any]:
    """Return the municipal → national path as text, or why there is none."""
    status = path["status"]
    if status == "path":
        steps = [_name(names, sid) for sid in path["path"]]
        return {"ok": True, "steps": steps,
                "text": ngettext("The municipality reaches the national level in %(num)d step.",
                                 "The municipality reaches the national level in %(num)d steps.",
                                 path["length"] or 0)}
    texts = {
        "no_municipal": _("No local municipal actor is on the map, so there is no path to the "
                          "national level."),
        "no_national": _("No national-level actor is on the map yet."),
        "no_path": _("No chain of ties links the municipality to the national level."),
    }
    return {"ok": False, "steps": [], "text": texts.get(status, texts["no_path"])}


def gap(g: dict[str, Any], names: dict[int, str]) -> str:
    """Return one gap as a translated sentence."""
    kind = g["type"]
    who = _name(names, g.get("stakeholder"))
    if kind == "not_connected":
        return _("%(name)s is not yet connected to any other actor.", name=who)
    if kind == "connected_once":
        return _("%(name)s is connected only through %(partner)s.", name=who,
                 partner=_name(names, g.get("partner")))
    if kind == "within_sector_only":
        return _("%(name)s works only within its own sector (%(sector)s).", name=who,
                 sector=label("sector", g.get("sector")))
    if kind == "single_point_of_failure_actor":
        return spof(who, g.get("cut_off") or 0)
    if kind == "single_point_of_failure_tie":
        return _("The tie between %(a)s and %(b)s is the only link between two parts of the "
                 "network.", a=_name(names, g["source"]), b=_name(names, g["target"]))
    if kind == "fragmented":
        return ngettext("The network falls into %(num)d separate group.",
                        "The network falls into %(num)d separate groups.",
                        g["components"])
    if kind == "sector_pair_never_meets":
        return sector_pair(g["sectors"][0], g["sectors"][1], g.get("expected", 0.0))
    return national_path({"status": g.get("status", "no_path")}, names)["text"]


def suggestion(s: dict[str, Any], names: dict[int, str]) -> str:
    """Return one suggested introduction: who, why, and what it would change."""
    a, b = _name(names, s["source"]), _name(names, s["target"])
    e = s["effect"]
    reason = s["reason"]
    if reason == "joins_components":
        return ngettext(
            "Introduce %(a)s to %(b)s: this joins a separate group of %(num)d actor to the "
            "network (groups: %(before)d → %(after)d).",
            "Introduce %(a)s to %(b)s: this joins a separate group of %(num)d actors to the "
            "network (groups: %(before)d → %(after)d).",
            e.get("component_size", 0), a=a, b=b,
            before=e["components_before"], after=e["components_after"])
    if reason == "shortens_national_path":
        if e.get("national_path_length_before") is None:
            return ngettext("Introduce %(a)s to %(b)s: this creates a path from the "
                            "municipality to the national level (%(num)d step).",
                            "Introduce %(a)s to %(b)s: this creates a path from the "
                            "municipality to the national level (%(num)d steps).",
                            e.get("national_path_length_after") or 0, a=a, b=b)
        return ngettext("Introduce %(a)s to %(b)s: the path from the municipality to the "
                        "national level shortens from %(before)d to %(num)d step.",
                        "Introduce %(a)s to %(b)s: the path from the municipality to the "
                        "national level shortens from %(before)d to %(num)d steps.",
                        e.get("national_path_length_after") or 0, a=a, b=b,
                        before=e["national_path_length_before"])
    if reason == "removes_single_point_of_failure":
        return ngettext("Introduce %(a)s to %(b)s: %(hub)s is then no longer the only link "
                        "for %(num)d actor (single points of failure: %(before)d → %(after)d).",
                        "Introduce %(a)s to %(b)s: %(hub)s is then no longer the only link "
                        "for %(num)d actors (single points of failure: %(before)d → %(after)d).",
                        e.get("cut_off_before") or 0, a=a, b=b,
                        hub=_name(names, e.get("single_point_of_failure")),
                 before=e["single_points_of_failure_before"],
                 after=e["single_points_of_failure_after"])
    sectors = e.get("sectors") or ["", ""]
    return _("Introduce %(a)s to %(b)s: %(sa)s and %(sb)s would meet for the first time "
             "(sector pairs that never meet: %(before)d → %(after)d).", a=a, b=b,
             sa=label("sector", sectors[0]), sb=label("sector", sectors[1]),
             before=e["missing_sector_pairs_before"], after=e["missing_sector_pairs_after"])
