"""Simultaneous accepts of one invitation, through a real threaded server."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import func, select

from portal.auth import services
from portal.extensions import db
from portal.models import Invitation, Membership, User

ACCEPTS = 6


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _post(url: str, data: dict[str, str]) -> int:
    opener = urllib.request.build_opener(_NoRedirect)
    body = urllib.parse.urlencode(data).encode()
    try:
        with opener.open(url, data=body, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_simultaneous_accepts_make_one_account_and_the_rest_are_told_it_is_used(live_server,
                                                                              make_city):
    city = make_city()
    _invitation, token = services.create_invitation(city, "race@example.org", "member", 7,
                                                    actor=None)
    db.session.commit()
    form = {"display_name": "Racer", "new_password": "long enough pass",
            "confirm": "long enough pass"}
    barrier = threading.Barrier(ACCEPTS)
    statuses: list[int] = []

    def accept() -> None:
        barrier.wait()
        statuses.append(_post(f"{live_server}/invite/{token}", form))

    threads = [threading.Thread(target=accept) for _ in range(ACCEPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302] + [410] * (ACCEPTS - 1)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
    assert db.session.scalar(select(Invitation.used_at)) is not None


def test_an_account_made_meanwhile_for_the_email_spends_nothing(make_city, make_user):
    city = make_city()
    invitation, _token = services.create_invitation(city, "late@example.org", "member", 7,
                                                    actor=None)
    db.session.commit()
    make_user("member", email="late@example.org")  # e.g. by a second invitation, accepted first
    with pytest.raises(services.InvitationSpent):
        services.accept_invitation(invitation, display_name="Late", password="long enough pass",
                                   actor=None)
    db.session.rollback()
    assert db.session.scalar(select(Invitation.used_at)) is None
