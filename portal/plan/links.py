"""What the map needs to offer "Add to the plan" next to each suggested introduction."""

from __future__ import annotations

from typing import Any

from flask import g

from portal.auth.scoping import Access
from portal.models import City
from portal.plan.services import goals_of_current


def add_to_plan(city: City, pairs: list[tuple[int, int, str]], unconnected: list[int],
                spof: list[int]) -> dict[str, Any] | None:
    """Return the goals to choose from and what each "Add to the plan" button sends, or None.

    A suggested introduction sends its two actors and its reason; an actor not yet connected
    sends itself alone, as the gap "not_connected"; so does a single point of failure
    ("single_point_of_failure").

    None when the user may not change the plan (only coordinators may) or the plan has no goal.
    """
    if g.city_access < Access.COORDINATOR:
        return None
    goals = goals_of_current(city)
    if not goals:
        return None
    return {"goals": goals, "pairs": pairs,
            "unconnected": [(sid, None, "not_connected") for sid in unconnected],
            "spof": [(sid, None, "single_point_of_failure") for sid in spof]}
