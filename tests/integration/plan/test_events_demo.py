"""The demo's year of meetings and trainings: present, linked to the plan, idempotent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Event
from portal.plan import demo as plan_demo
from portal.plan import demo_events, events
from portal.stakeholders import demo


def test_demo_city_gets_a_year_of_events_once(make_city, make_user):
    city = make_city(slug="zelenovo", name="Zelenovo")
    make_user("coordinator", city=city)
    demo.seed_city(city)
    plan_demo.seed([city])
    db.session.commit()
    held = events.events_of(city)
    assert len(held) == 18
    kinds = sorted(e.kind for e in held)
    assert kinds.count("meeting") == 12 and kinds.count("training") == 4
    assert len({(e.held_on.year, e.held_on.month) for e in held if e.kind == "meeting"}) == 12
    assert all(e.held_on < date.today() for e in held)
    assert all(len(e.attendees) >= 3 for e in held)
    assert any(e.activity_id is not None for e in held if e.kind == "meeting")
    assert events.met_without_tie(city)  # the comparison has something to show
    demo_events.seed([city])
    assert db.session.scalar(select(func.count()).select_from(Event)) == 18
