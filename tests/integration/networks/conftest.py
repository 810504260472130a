"""Factories of the network room: a small known map, built through the stakeholder services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from portal.extensions import db
from portal.models import City, MappingRound, Stakeholder
from portal.stakeholders import rounds, services, ties


@dataclass
class KnownMap:
    """Six stakeholders, four ties in the current round, one stakeholder not yet connected."""

    city: City
    round: MappingRound
    people: dict[str, Stakeholder]

    def id(self, name: str) -> int:
        """Return the id of a stakeholder by its short name."""
        return self.people[name].id


# short name → (name, sector, level)
PEOPLE = {
    "school": ("Primary school no. 3", "education", "local"),
    "youth": ("Youth centre", "youth", "local"),
    "police": ("Police station", "police", "local"),
    "city": ("Municipal prevention office", "municipality", "local"),
    "ministry": ("Ministry of Interior", "national_government", "national"),
    "health": ("Health centre", "health", "local"),
}
# (from, to, kind, frequency)
TIES = (
    ("school", "youth", "referral", "weekly"),
    ("youth", "police", "information", "monthly"),
    ("city", "youth", "joint_activity", "quarterly"),
    ("city", "ministry", "funding", "yearly"),
)


def add_tie(known: KnownMap, a: str, b: str, kind: str, frequency: str,
            round_: MappingRound | None = None) -> None:
    """Add one tie through the stakeholder services (which bump the network revision)."""
    entry = ties.TieEntry(known.id(b), kind, frequency)
    ties.add_ties(known.city, known.people[a], round_ or known.round, [entry], actor=None)


def fill_known_map(city: City) -> KnownMap:
    """Build the known map in a city through the services and commit it."""
    baseline = rounds.create_round(city, "Baseline", date(2025, 1, 15), actor=None)
    people = {
        short: services.create_stakeholder(city, {
            "name": name, "sector": sector, "level": level,
            "contact_email": f"{short}@example.org", "contact_phone": "+389 70 000 000",
            "contact_person": f"Contact of {short}",
        }, actor=None)
        for short, (name, sector, level) in PEOPLE.items()
    }
    known = KnownMap(city, baseline, people)
    for a, b, kind, frequency in TIES:
        add_tie(known, a, b, kind, frequency)
    db.session.commit()
    return known


def reload_known_map(city_id: int, round_id: int, people: dict[str, int]) -> KnownMap:
    """The known map of a shared database, read in the current session."""
    return KnownMap(db.session.get_one(City, city_id), db.session.get_one(MappingRound, round_id),
                    {short: db.session.get_one(Stakeholder, id_) for short, id_ in people.items()})


@pytest.fixture
def build_map(make_city: Callable[..., City]) -> Callable[..., KnownMap]:
    """Build the known map in a new city (of an optional region) and commit it."""

    def factory(**city_fields: Any) -> KnownMap:
        return fill_known_map(make_city(**city_fields))

    return factory


@pytest.fixture
def count_analyses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the runs of the analysis engine made by the network service."""
    from portal.networks import services as network_services

    calls: list[int] = []
    real = network_services.analyse

    def counting(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(network_services, "analyse", counting)
    return calls
