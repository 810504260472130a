"""Turn an analysis payload and the taxonomy into what the network pages show."""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt
from typing import Any

from flask_babel import gettext as _

from portal.models.network import LEVELS, SECTORS
from portal.networks import sentences
from portal.stakeholders.taxonomy import label

# Okabe–Ito, colour-blind safe (black swapped for a mid grey so outlines stay visible).
PALETTE: tuple[str, ...] = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999",
)
SHAPES = {"local": "circle", "national": "square", "international": "diamond"}
FLAG_BITS = {"not_connected": 1, "connected_once": 2, "within_sector_only": 4,
             "single_point_of_failure": 8}
TABLE_PAGE = 50  # actors per page of the no-JS table
LIST_CAP = 12  # items per gap list on the map page before "and N more" (the report lists all)
FIRST_ACTIONS = 3  # suggested introductions shown first, before the gap lists
# A pair of sectors that would share less than one tie by chance is no finding in a small
# city: those pairs are counted on one line (with a link to the heatmap), not listed.
MIN_EXPECTED_TIES = 1.0
# Working groups (Louvain communities) of fewer actors are not named or coloured.
MIN_GROUP = 3
# Colours of working groups: Paul Tol's "muted" scheme (colour-blind safe), grey for the rest.
GROUP_PALETTE: tuple[str, ...] = (
    "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933",
    "#AA4499",
)
NO_GROUP = "#DDDDDD"


@dataclass(frozen=True)
class SectorStyle:
    """How one sector is drawn: colour, a number for the legend, and a dashed outline or not."""

    key: str
    label: str
    number: int
    colour: str
    dashed: bool


def sector_styles() -> list[SectorStyle]:
    """Return the style of every sector in canonical order (8 colours, then dashed outlines)."""
    return [SectorStyle(key, label("sector", key), i + 1, PALETTE[i % len(PALETTE)],
                        i >= len(PALETTE)) for i, key in enumerate(SECTORS)]


def level_styles() -> list[dict[str, str]]:
    """Return each level with its translated label and shape."""
    return [{"key": key, "label": label("level", key), "shape": SHAPES[key]} for key in LEVELS]


def node_radius(betweenness: float, top: float) -> float:
    """Return a node's radius in map units: size follows betweenness."""
    return round(5 + 11 * sqrt(betweenness / top), 1) if top > 0 else 5.0


def flag_bits(flags: dict[str, bool]) -> int:
    """Pack a node's gap flags into an integer."""
    return sum(bit for name, bit in FLAG_BITS.items() if flags.get(name))


def names_of(analysis: dict[str, Any]) -> dict[int, str]:
    """Return id → name for the nodes of an analysis."""
    return {n["id"]: n["name"] for n in analysis["nodes"]}


def top_betweenness(analysis: dict[str, Any]) -> float:
    """Return the largest betweenness of the analysis (0 for none)."""
    return max((n["metrics"]["betweenness"] for n in analysis["nodes"]), default=0.0)


def summary_figures(analysis: dict[str, Any]) -> dict[str, Any]:
    """Return the network-level figures a page shows."""
    summary = analysis["summary"]
    flags = [n["flags"] for n in analysis["nodes"]]
    return {
        "size": summary["size"],
        "ties": summary["ties"],
        "density": summary["density"],
        "components": len(summary["components"]),
        "centralisation": summary["centralisation"],
        "not_connected": sum(1 for f in flags if f["not_connected"]),
        "single_points": sum(1 for f in flags if f["single_point_of_failure"]),
        "missing_pairs": len(summary["missing_sector_pairs"]),
        "national_link": summary["national_path"]["status"] == "path",
    }


def unconnected_ids(analysis: dict[str, Any]) -> list[int]:
    """Return the ids of the actors not yet connected, in the order of the gap list."""
    nodes = sorted(analysis["nodes"], key=lambda n: n["name"].casefold())
    return [n["id"] for n in nodes if n["flags"]["not_connected"]]


def spof_ids(analysis: dict[str, Any]) -> list[int]:
    """Return the ids of the single points of failure, in the order of the gap list."""
    cut_off = {g["stakeholder"]: g.get("cut_off") or 0 for g in analysis["gaps"]
               if g["type"] == "single_point_of_failure_actor"}
    nodes = [n for n in analysis["nodes"] if n["flags"]["single_point_of_failure"]]
    return [n["id"] for n in sorted(nodes, key=lambda n: (-cut_off.get(n["id"], 0),
                                                          n["name"].casefold()))]


def gap_lists(analysis: dict[str, Any], cap: int | None = LIST_CAP) -> dict[str, Any]:
    """Return the gap panel as translated text: the first actions, actors not yet connected,
    single points of failure, the sector pairs worth a look, the national path, the rest."""
    names = names_of(analysis)
    nodes = sorted(analysis["nodes"], key=lambda n: n["name"].casefold())
    unconnected = [n for n in nodes if n["flags"]["not_connected"]]
    cut_off = {g["stakeholder"]: g.get("cut_off") or 0 for g in analysis["gaps"]
               if g["type"] == "single_point_of_failure_actor"}
    spof = sorted((n for n in nodes if n["flags"]["single_point_of_failure"]),
                  key=lambda n: (-cut_off.get(n["id"], 0), n["name"].casefold()))
    missing = analysis["summary"]["missing_sector_pairs"]
    likely = [p for p in missing if p["expected"] >= MIN_EXPECTED_TIES]
    suggestions = [sentences.suggestion(s, names) for s in analysis["suggestions"]]
    return {
        "actions": suggestions[:FIRST_ACTIONS],
        "unconnected": _capped([sentences.isolate(n["name"]) for n in unconnected], cap),
        "spof": _capped([sentences.spof(sentences.isolate(n["name"]), cut_off.get(n["id"], 0))
                         for n in spof], cap),
        "pairs": _capped([sentences.sector_pair(p["a"], p["b"], p["expected"]) for p in likely],
                         cap),
        "pairs_unlikely": len(missing) - len(likely),
        "national": sentences.national_path(analysis["summary"]["national_path"], names),
        "suggestions": suggestions[FIRST_ACTIONS:],
        "other": [sentences.gap(g, names) for g in analysis["gaps"]
                  if g["type"] in ("fragmented", "single_point_of_failure_tie")][: cap or None],
    }


def working_groups(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the working groups (communities of MIN_GROUP or more actors), largest first.

    Each has its number (1, 2… as shown on the map and in the table), colour, members'
    names, and how many of its members' ties stay inside it, for a plain sentence.
    """
    members: dict[int, list[dict[str, Any]]] = {}
    for n in analysis["nodes"]:
        members.setdefault(n["metrics"]["community"], []).append(n)
    big = sorted((c for c, ns in members.items() if len(ns) >= MIN_GROUP),
                 key=lambda c: (-len(members[c]), c))
    group_of = {n["id"]: c for n in analysis["nodes"] for c in [n["metrics"]["community"]]}
    out = []
    for number, c in enumerate(big, start=1):
        inside = sum(1 for e in analysis["edges"]
                     if group_of[e["source"]] == c and group_of[e["target"]] == c)
        touching = sum(1 for e in analysis["edges"]
                       if c in (group_of[e["source"]], group_of[e["target"]]))
        names = sorted((n["name"] for n in members[c]), key=str.casefold)
        out.append({
            "number": number, "community": c, "size": len(names), "names": names,
            "colour": GROUP_PALETTE[(number - 1) % len(GROUP_PALETTE)],
            "inside": inside, "ties": touching,
            "sentence": sentences.working_group(len(names), inside, touching),
        })
    return out


def group_fills(analysis: dict[str, Any]) -> dict[int, str]:
    """Return stakeholder id → fill colour of its working group (grey outside the groups)."""
    colours = {g["community"]: g["colour"] for g in working_groups(analysis)}
    return {n["id"]: colours.get(n["metrics"]["community"], NO_GROUP) for n in analysis["nodes"]}


def group_numbers(groups: list[dict[str, Any]]) -> dict[int, int]:
    """Return community → group number (only the named groups)."""
    return {g["community"]: g["number"] for g in groups}


def _capped(items: list[str], cap: int | None) -> dict[str, Any]:
    """Return the first `cap` items and how many more there are."""
    if cap is None or len(items) <= cap:
        return {"items": items, "more": 0, "total": len(items)}
    return {"items": items[:cap], "more": len(items) - cap, "total": len(items)}


def by_name(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the analysis's nodes sorted by name."""
    return sorted(analysis["nodes"], key=lambda n: (n["name"].casefold(), n["id"]))


def focused(nodes: list[dict[str, Any]], focus_id: int | None) -> tuple[dict | None, int]:
    """Return the node a link focuses on (None when it is not on this map) and its table page."""
    for index, node in enumerate(nodes):
        if node["id"] == focus_id:
            return node, index // TABLE_PAGE + 1
    return None, 1


def actor_rows(nodes: list[dict[str, Any]], page: int = 1,
               per_page: int | None = TABLE_PAGE,
               groups: dict[int, int] | None = None) -> dict[str, Any]:
    """Return one page of the actor table (nodes sorted by name) with labels, gap notes and
    working group number (None outside the named groups)."""
    groups = groups or {}
    pages = max(1, -(-len(nodes) // per_page)) if per_page else 1
    page = min(max(page, 1), pages)
    chosen = nodes[(page - 1) * per_page: page * per_page] if per_page else nodes
    sectors = {k: label("sector", k) for k in SECTORS}
    levels = {k: label("level", k) for k in LEVELS}
    notes = flag_texts()  # translated once per page: gettext is not free
    rows = [{
        "id": n["id"], "name": n["name"],
        "sector": sectors.get(n["sector"]) or label("sector", n["sector"]),
        "level": levels.get(n["level"]) or label("level", n["level"]), "metrics": n["metrics"],
        "notes": [text for name, text in notes.items() if n["flags"].get(name)],
        "group": groups.get(n["metrics"]["community"]),
    } for n in chosen]
    return {"rows": rows, "page": page, "pages": pages, "total": len(nodes)}


def flag_texts() -> dict[str, str]:
    """Return the translated gap note of every flag."""
    return {
        "not_connected": _("Not yet connected"),
        "connected_once": _("Connected only once"),
        "within_sector_only": _("Works only within its sector"),
        "single_point_of_failure": _("Single point of failure"),
    }


def heatmap_rows(analysis: dict[str, Any]) -> dict[str, Any]:
    """Return the sector matrix with labels, as rows of cells (observed, expected, empty)."""
    matrix = analysis["summary"]["sector_matrix"]
    keys = matrix["sectors"]
    labels = [label("sector", k) for k in keys]
    rows = []
    for i, key in enumerate(keys):
        cells = [{"observed": matrix["observed"][i][j], "expected": matrix["expected"][i][j],
                  "empty": matrix["observed"][i][j] == 0, "col": labels[j]}
                 for j in range(len(keys))]
        rows.append({"key": key, "label": labels[i], "cells": cells})
    return {"sectors": keys, "labels": labels, "rows": rows}
