"""Fictional demo data: two regions, four cities, a user for every role. Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from portal.admin import services as admin
from portal.auth import services as accounts
from portal.auth.scoping import city_by_slug
from portal.extensions import db
from portal.models import City, Region, User

# Every name here is invented. Passwords are for the demo only and printed by seed-demo.
REGIONS = (
    ("north-valley", "North Valley (demo)"),
    ("cedar-coast", "Cedar Coast (demo)"),
)
CITIES = (
    # slug, name, region, default locale, country
    ("zelenovo", "Зеленово / Zelenovë", "north-valley", "mk", "North Macedonia (fictional city)"),
    ("wadi-nour", "وادي النور", "north-valley", "ar", "Lebanon (fictional city)"),
    ("belopolje", "Белопоље / Bellopojë", "cedar-coast", "mk", "North Macedonia (fictional city)"),
    ("tell-zaytoun", "تل الزيتون", "cedar-coast", "ar", "Jordan (fictional city)"),
)
USERS = (
    # e-mail, name, password, role, city or region
    ("admin@demo.lpn.example", "Demo Administrator", "demo-admin-pass", "admin", None),
    ("regional@demo.lpn.example", "Demo Regional Coordinator", "demo-regional-pass", "regional",
     "north-valley"),
    ("coordinator@demo.lpn.example", "Demo Coordinator (Zelenovo)", "demo-coordinator-pass",
     "coordinator", "zelenovo"),
    ("member@demo.lpn.example", "Demo Team Member (Zelenovo)", "demo-member-pass", "member",
     "zelenovo"),
    ("enumerator@demo.lpn.example", "Demo Enumerator (Zelenovo)", "demo-enumerator-pass",
     "enumerator", "zelenovo"),
    ("coordinator.ar@demo.lpn.example", "منسق تجريبي (وادي النور)", "demo-coordinator-ar-pass",
     "coordinator", "wadi-nour"),
    ("member.ar@demo.lpn.example", "عضو فريق تجريبي (وادي النور)", "demo-member-ar-pass", "member",
     "wadi-nour"),
)


def _region(slug: str, name: str) -> Region:
    return admin.region_by_slug(slug) or admin.create_region(slug, name, actor=None)


def _city(slug: str, name: str, region: Region, locale: str, country: str) -> City:
    return city_by_slug(slug) or admin.create_city(slug, name, region, locale, country, actor=None)


def _user(email: str, name: str, password: str, role: str, scope: str | None) -> User:
    user = accounts.user_by_email(email)
    if user is None:
        user = accounts.create_user(email, password, name, is_admin=role == "admin", actor=None)
    if role == "regional" and scope:
        accounts.grant_regional(user, admin.region_by_slug(scope), actor=None)  # type: ignore[arg-type]
    elif role in ("coordinator", "member", "enumerator") and scope:
        accounts.grant_membership(user, city_by_slug(scope), role, actor=None)  # type: ignore[arg-type]
    return user


def seed() -> list[tuple[str, str, str]]:
    """Create whatever part of the demo is missing; return (e-mail, password, role) logins."""
    regions = {slug: _region(slug, name) for slug, name in REGIONS}
    cities = [_city(slug, name, regions[reg], loc, country)
              for slug, name, reg, loc, country in CITIES]
    for email, name, password, role, scope in USERS:
        _user(email, name, password, role, scope)
    db.session.flush()
    for seeder in _room_seeders():
        seeder(cities)
    return logins()


def logins(only_existing: bool = False) -> list[tuple[str, str, str]]:
    """Return the demo logins as (e-mail, password, role), optionally only those that exist."""
    return [(email, password, f"{role} ({scope})" if scope else role)
            for email, _name, password, role, scope in USERS
            if not only_existing or accounts.user_by_email(email) is not None]


def _room_seeders() -> list:
    """Return the demo seeders of the rooms built so far (stakeholders, surveys…)."""
    from portal.plan.demo import seed as seed_plan  # after stakeholders and users
    from portal.stakeholders.demo import seed as seed_stakeholders
    from portal.surveys.demo.seed import (
        seed as seed_surveys,  # after stakeholders: reads their areas
    )

    return [seed_stakeholders, seed_surveys, seed_plan]


def is_empty() -> bool:
    """Return True when the database holds no city yet."""
    return db.session.scalar(select(City.id).limit(1)) is None
