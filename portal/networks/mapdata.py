"""The compact JSON the interactive map loads: arrays, not objects, and short keys."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import format_decimal, format_number, ngettext
from flask_babel import gettext as _

from portal.memo import Memo, app_memo
from portal.models.network import LEVELS, SECTORS, TIE_KINDS
from portal.networks import sentences
from portal.networks.explain import EXPLANATIONS
from portal.networks.presenters import (
    flag_bits,
    group_numbers,
    level_styles,
    names_of,
    node_radius,
    sector_styles,
    top_betweenness,
    working_groups,
)
from portal.stakeholders.taxonomy import label

# Only what the map draws and its panel shows at once; the rest of an actor's measures come
# from the actor's detail endpoint (networks.actor_detail) when its panel opens.
NODE_FIELDS = ("id", "name", "sector", "level", "x", "y", "radius", "flags", "degree",
               "betweenness", "closeness", "group")
DETAIL_METRICS = ("degree", "weighted_degree", "betweenness", "closeness", "core_number",
                  "cross_sector_ties", "constraint", "effective_size", "articulation_point")


def map_data(analysis: dict[str, Any]) -> dict[str, Any]:
    """Return the map's nodes, ties, legend, suggestions and the panel's translated words."""
    sector_index = {k: i for i, k in enumerate(SECTORS)}
    level_index = {k: i for i, k in enumerate(LEVELS)}
    kind_bit = {k: 1 << i for i, k in enumerate(TIE_KINDS)}
    top = top_betweenness(analysis)
    order = {n["id"]: i for i, n in enumerate(analysis["nodes"])}
    groups = working_groups(analysis)
    numbers = group_numbers(groups)
    nodes = []
    for n in analysis["nodes"]:
        m = n["metrics"]
        nodes.append([
            n["id"], n["name"], sector_index.get(n["sector"] or "other", len(SECTORS) - 1),
            level_index.get(n["level"] or "local", 0), n["x"], n["y"],
            node_radius(m["betweenness"], top), flag_bits(n["flags"]), m["degree"],
            round(m["betweenness"], 3), round(m["closeness"], 3),
            numbers.get(m["community"], 0),
        ])
    edges = [[order[e["source"]], order[e["target"]], e["weight"],
              sum(kind_bit.get(k, 0) for k in e["kinds"])] for e in analysis["edges"]]
    names = names_of(analysis)
    return {
        "fields": NODE_FIELDS,
        "nodes": nodes,
        "edges": edges,
        "sectors": [[s.label, s.colour, int(s.dashed), s.number] for s in sector_styles()],
        "levels": [[lv["label"], lv["shape"]] for lv in level_styles()],
        "kinds": [label("kind", k) for k in TIE_KINDS],
        "groups": [[g["colour"], g["sentence"]] for g in groups],
        "suggestions": [[order[s["source"]], order[s["target"]], sentences.suggestion(s, names)]
                        for s in analysis["suggestions"]],
        "centrality": centrality_note(analysis),
        "t": panel_words(),
    }


def centrality_note(analysis: dict[str, Any]) -> str | None:
    """Return the sentence saying betweenness and closeness are estimated, or None if exact."""
    about = analysis["summary"].get("centrality") or {}
    if about.get("method") != "sampled":
        return None
    return ngettext(
        "Betweenness and closeness are estimated from %(pivots)s of %(actors)s actor chosen at "
        "random (fixed seed); standard error up to ±%(error)s.",
        "Betweenness and closeness are estimated from %(pivots)s of %(actors)s actors chosen at "
        "random (fixed seed); standard error up to ±%(error)s.",
        about["actors"], pivots=format_number(about["pivots"]),
        actors=format_number(about["actors"]),
        error=format_decimal(about["standard_error"], "0.0000"))


def actor_detail(analysis: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Return, by stakeholder id, what the map's panel fetches when an actor is chosen."""
    return {
        n["id"]: {"id": n["id"], "name": n["name"], "sector": n["sector"], "level": n["level"],
                  "metrics": {k: n["metrics"].get(k) for k in DETAIL_METRICS},
                  "flags": n["flags"]}
        for n in analysis["nodes"]
    }


def panel_words() -> dict[str, str]:
    """Return the translated words the side panel needs."""
    return {
        "sector": _("Sector"), "level": _("Level"), "degree": _("Ties"),
        "weighted_degree": _("Weighted ties"), "betweenness": _("Betweenness"),
        "closeness": _("Closeness"), "core_number": _("Core number"),
        "ties": _("Ties"), "gaps": _("Gaps"), "suggestions": _("Suggested introductions"),
        "none": _("None"), "close": _("Close"),
        "flag1": _("Not yet connected"), "flag2": _("Connected only once"),
        "flag4": _("Works only within its sector"), "flag8": _("Single point of failure"),
        "shown": _("Actors shown: %(shown)s of %(total)s"),
        "nomatch": _("No actor matches your search."),
        "group": _("Working group"), "open": _("Open the stakeholder's page"),
        "explain": _("What does this mean?"),
        **{f"about_{key}": str(EXPLANATIONS[key].meaning)
           for key in ("degree", "betweenness", "closeness")},
    }


MEMO = "portal.map_views"


def memo_for(app: Flask) -> Memo:
    """Return this app's memo of map views (its keys hold the analysis key, the city's name and
    the language)."""
    return app_memo(app, MEMO)
