"""What the map needs to offer "Add to the plan" next to each suggested introduction."""

from __future__ import annotations

from typing import Any

from flask import g

from portal.auth.scoping import Access
from portal.models import City
from portal.plan.forms import AddToPlanForm
from portal.plan.services import goals_of_current


def add_to_plan(city: City, pairs: list[tuple[int, int, str]]) -> dict[str, Any] | None:
    """Return the goals to choose from, the form and the suggestion pairs, or None.

    None when the user may not change the plan (only coordinators may) or the plan has no goal.
    """
    if g.city_access < Access.COORDINATOR:
        return None
    goals = goals_of_current(city)
    if not goals:
        return None
    return {"goals": goals, "form": AddToPlanForm(), "pairs": pairs}
