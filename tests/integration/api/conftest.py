"""Factories of the API tests: a small mapped city, and personal API tokens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from portal.auth import tokens
from portal.extensions import db
from portal.models import City, User
from portal.stakeholders import rounds, services, ties
from tests.integration.results.conftest import add_responses, make_survey  # noqa: F401
from tests.integration.test_access import elsewhere  # noqa: F401  (the access walk's city)


@pytest.fixture
def mapped_city(make_city: Callable[..., City]) -> Callable[..., City]:
    """A city with a round, three stakeholders (one named like a formula) and two ties."""

    def factory(slug: str, **fields: Any) -> City:
        city = make_city(slug=slug, **fields)
        baseline = rounds.create_round(city, "Baseline", date(2025, 1, 15), actor=None)
        a = services.create_stakeholder(city, {"name": "Youth centre", "sector": "youth"},
                                        actor=None)
        b = services.create_stakeholder(city, {"name": "=HYPERLINK(\"x\")",
                                               "sector": "education"}, actor=None)
        c = services.create_stakeholder(city, {"name": "Police", "sector": "police"},
                                        actor=None)
        ties.add_ties(city, a, baseline, [ties.TieEntry(b.id, "referral", "weekly"),
                                          ties.TieEntry(c.id, "information", "monthly")],
                      actor=None)
        db.session.commit()
        return city

    return factory


@pytest.fixture
def make_token(app: Any) -> Callable[..., str]:
    """Make a token through the service and return its secret: make_token(user, [city])."""

    def factory(user: User, cities: list[City], days: int = 30, read_write: bool = False,
                name: str = "script") -> str:
        _token, secret = tokens.create_token(user, name, cities, days, read_write=read_write,
                                             actor=user)
        db.session.commit()
        return secret

    return factory


def bearer(secret: str) -> dict[str, str]:
    """Return the Authorization header of a token."""
    return {"Authorization": f"Bearer {secret}"}
