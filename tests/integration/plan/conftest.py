"""A city with a team, stakeholders, a baseline round and a started plan with one goal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from portal.extensions import db
from portal.plan import services as plan
from portal.stakeholders import rounds, services


@pytest.fixture
def town(make_city: Any, make_user: Any) -> dict[str, Any]:
    city = make_city(slug="home")
    coordinator = make_user("coordinator", city=city, display_name="Ana Coordinator")
    member = make_user("member", city=city, display_name="Besa Member")
    other_member = make_user("member", city=city, display_name="Cveta Member")
    baseline = rounds.create_round(city, "Baseline", date(2025, 1, 15), actor=None)
    people = {name: services.create_stakeholder(city, {"name": name, "sector": sector},
                                                actor=None)
              for name, sector in (("Youth centre", "youth"), ("School no. 3", "education"),
                                   ("Police station", "police"), ("Social work centre",
                                                                  "social"))}
    current = plan.start_plan(city, "Plan 2026", actor=None)
    goal = plan.save_goal(city, None, {"title": "Community resilience", "position": 1},
                          actor=None)
    db.session.commit()
    return {"city": city, "coordinator": coordinator, "member": member,
            "other_member": other_member, "round": baseline, "s": people, "plan": current,
            "goal": goal}
