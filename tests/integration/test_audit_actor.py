"""Services record the actor they are given: the view's signed-in user, or none for the CLI."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth import services as accounts
from portal.extensions import db
from portal.models import AuditEvent
from portal.stakeholders import services


def _event(action: str) -> AuditEvent:
    found = db.session.scalar(select(AuditEvent).where(AuditEvent.action == action))
    assert found is not None
    return found


def test_service_outside_a_request_records_the_actor_it_is_given(make_city, make_user):
    city, coordinator = make_city(), make_user("coordinator")
    services.create_stakeholder(city, {"name": "Youth centre"}, actor=coordinator)
    invitation, _token = accounts.create_invitation(city, "new@example.org", "member", 7,
                                                    actor=coordinator)
    assert _event("stakeholder.create").user_id == coordinator.id
    assert _event("invitation.create").user_id == coordinator.id
    assert invitation.created_by_id == coordinator.id


def test_view_passes_the_signed_in_user_as_actor(client, make_city, make_user, login):
    city = make_city()
    member = make_user("member", city=city)
    login(member)
    client.post(f"/c/{city.slug}/stakeholders/new", data={"name": "School", "sector": "education",
                                                          "level": "local"})
    assert _event("stakeholder.create").user_id == member.id
