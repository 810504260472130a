"""A region with cities whose maps are built through the stakeholder services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from portal.extensions import db
from portal.models import City, Region
from portal.stakeholders import rounds, services, ties


@pytest.fixture
def mapped_city(make_city: Callable[..., City]) -> Callable[..., City]:
    """Make a city with three stakeholders (one with contact fields) and one tie."""

    def factory(region: Region, name: str, first: str = "School") -> City:
        city = make_city(region=region, name=name)
        baseline = rounds.create_round(city, "Baseline", date(2025, 1, 15), actor=None)
        a = services.create_stakeholder(city, {"name": first, "sector": "education",
                                               "contact_email": "secret@example.org"}, actor=None)
        b = services.create_stakeholder(city, {"name": "Police", "sector": "police"}, actor=None)
        services.create_stakeholder(city, {"name": "Mosque council", "sector": "religious"},
                                    actor=None)
        ties.add_ties(city, a, baseline, [ties.TieEntry(b.id, "information", "monthly")],
                      actor=None)
        db.session.commit()
        return city

    return factory


@pytest.fixture
def region_with_cities(make_region: Callable[..., Region],
                       mapped_city: Callable[..., City]) -> Any:
    region = make_region(name="Valley")
    cities = [mapped_city(region, name) for name in ("Zeta", "Alpha", "Mu")]
    return region, cities
