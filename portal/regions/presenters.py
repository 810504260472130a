"""The regional dashboard's rows as shown: each city's row with its small map drawn."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from portal.networks import svg


def dashboard_row(row: dict[str, Any]) -> dict[str, Any]:
    """Return a city row of `regions.services` with its small map (`mini`) drawn as SVG."""
    city = row["city"]
    mini = svg.map_svg(row["analysis"], title=_("Coordination map of %(city)s", city=city.name),
                       small=True, svg_id=f"mini-{city.slug}")
    return {**row, "mini": mini}
