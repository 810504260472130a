"""The round comparison as view data: names instead of ids, sentences, two small maps."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from portal.networks import sentences, svg
from portal.networks.presenters import names_of, summary_figures

MEASURES = ("size", "ties", "density", "components", "centralisation")


def comparison_view(found: dict[str, Any]) -> dict[str, Any]:
    """Return what changed between two analyses, ready for the template."""
    before, after, change = found["before"], found["after"], found["change"]
    names = {**names_of(before), **names_of(after)}
    fig_before, fig_after = summary_figures(before), summary_figures(after)
    measures = [{"key": k, "before": fig_before[k], "after": fig_after[k]} for k in MEASURES]
    measures.append({"key": "not_connected", "before": fig_before["not_connected"],
                     "after": fig_after["not_connected"]})
    measures.append({"key": "missing_pairs", "before": fig_before["missing_pairs"],
                     "after": fig_after["missing_pairs"]})
    return {
        "measures": measures,
        "added": [sentences.isolate(n) for n in sorted(
            (names.get(i, "?") for i in change["stakeholders_added"]), key=str.casefold)],
        "removed": [sentences.isolate(n) for n in sorted(
            (names.get(i, "?") for i in change["stakeholders_removed"]), key=str.casefold)],
        "ties_added": [(names.get(a, "?"), names.get(b, "?")) for a, b in change["ties_added"]],
        "ties_removed": [(names.get(a, "?"), names.get(b, "?"))
                         for a, b in change["ties_removed"]],
        "gaps_closed": [sentences.gap(g, names) for g in change["gaps_closed"]],
        "gaps_opened": [sentences.gap(g, names) for g in change["gaps_opened"]],
        "map_before": svg.map_svg(before, title=_("Map before"), small=True, svg_id="map-before"),
        "map_after": svg.map_svg(after, title=_("Map after"), small=True, svg_id="map-after"),
    }
