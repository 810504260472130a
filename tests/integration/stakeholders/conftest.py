"""Factories of the stakeholder room: stakeholders, rounds and ties."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from portal.extensions import db
from portal.models import City, MappingRound, Stakeholder, Tie


@pytest.fixture
def make_stakeholder(app: Any) -> Callable[..., Stakeholder]:
    counter = iter(range(1, 100_000))

    def factory(city: City, name: str | None = None, **fields: Any) -> Stakeholder:
        stakeholder = Stakeholder(city_id=city.id, name=name or f"Stakeholder {next(counter)}",
                                  **fields)
        db.session.add(stakeholder)
        db.session.commit()
        return stakeholder

    return factory


@pytest.fixture
def make_round(app: Any) -> Callable[..., MappingRound]:
    def factory(city: City, name: str = "Baseline", current: bool = True,
                held_on: date | None = None) -> MappingRound:
        found = MappingRound(city_id=city.id, name=name, held_on=held_on or date(2025, 1, 15),
                             is_current=current)
        db.session.add(found)
        db.session.commit()
        return found

    return factory


@pytest.fixture
def make_tie(app: Any) -> Callable[..., Tie]:
    def factory(a: Stakeholder, b: Stakeholder, round_: MappingRound, kind: str = "information",
                frequency: str = "monthly", reporter: Stakeholder | None = None) -> Tie:
        low, high = sorted((a.id, b.id))
        tie = Tie(city_id=a.city_id, round_id=round_.id, source_id=low, target_id=high, kind=kind,
                  frequency=frequency, reporter_id=reporter.id if reporter else None)
        db.session.add(tie)
        db.session.commit()
        return tie

    return factory


@pytest.fixture
def team_city(make_city: Callable[..., City], make_user: Callable[..., Any],
              login: Callable[..., Any]) -> City:
    """A city with a logged-in member."""
    city = make_city(name="Testgrad")
    login(make_user("member", city=city))
    return city
