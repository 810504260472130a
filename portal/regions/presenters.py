"""The regional dashboard's rows as shown: each city's row with its small map drawn."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from portal.networks import svg

NAMED_UP_TO = 8  # actors named per city; the rest are counted, the map lists them all


def dashboard_row(row: dict[str, Any]) -> dict[str, Any]:
    """Return a city row of `regions.services` with its small map (`mini`) drawn as SVG,
    and the actors not yet connected named, each linked to the city's map focused on it."""
    city = row["city"]
    if row["pending"] is not None:  # a large map being analysed by a job: nothing to draw yet
        return {**row, "mini": None, "unconnected": None}
    mini = svg.map_svg(row["analysis"], title=_("Coordination map of %(city)s", city=city.name),
                       small=True, svg_id=f"mini-{city.slug}")
    return {**row, "mini": mini, "unconnected": unconnected_links(row)}


def unconnected_links(row: dict[str, Any]) -> dict[str, Any]:
    """Return the not-yet-connected actors as (name, map link), by name, and how many more.

    Names as the map shows them to a regional user (stakeholder names, no contact fields).
    """
    city, current = row["city"], row["round"]
    round_arg = {"round": current.id} if current is not None else {}
    nodes = sorted((n for n in row["analysis"]["nodes"] if n["flags"]["not_connected"]),
                   key=lambda n: (n["name"].casefold(), n["id"]))
    links = [(n["name"], url_for("networks.map", city=city.slug, focus=n["id"], **round_arg))
             for n in nodes[:NAMED_UP_TO]]
    return {"links": links, "more": max(0, len(nodes) - NAMED_UP_TO),
            "all": url_for("networks.map", city=city.slug, **round_arg) + "#gaps-title"}
