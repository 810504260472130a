"""Rounds: rename and re-date (UI and CLI, audited), and the order of rounds in time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, City, MappingRound
from portal.stakeholders import rounds, services, ties


@pytest.fixture
def city(make_city: Callable[..., City]) -> City:
    """A city with a baseline (Jan 2025) and a follow-up (Sep 2025)."""
    found = make_city(name="Roundtown")
    rounds.create_round(found, "Baseline", date(2025, 1, 15), actor=None)
    rounds.create_round(found, "Follow-up", date(2025, 9, 1), actor=None)
    db.session.commit()
    return found


def _round(city: City, name: str) -> MappingRound:
    found = rounds.round_by_name(city, name)
    assert found is not None
    return found


def _state(city: City) -> list[tuple[str, date]]:
    db.session.expire_all()
    return sorted((r.name, r.held_on) for r in rounds.rounds_of(city))


def test_coordinator_renames_and_redates_a_round_and_it_is_audited(
    city: City, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    user = make_user("coordinator", city=city)
    client = login(user)
    baseline = _round(city, "Baseline")
    page = client.get(f"/c/{city.slug}/stakeholders/rounds").get_data(as_text=True)
    assert f"/c/{city.slug}/stakeholders/rounds/{baseline.id}/edit" in page
    form = client.get(f"/c/{city.slug}/stakeholders/rounds/{baseline.id}/edit")
    assert form.status_code == 200 and 'value="2025-01-15"' in form.get_data(as_text=True)

    response = client.post(f"/c/{city.slug}/stakeholders/rounds/{baseline.id}/edit",
                           data={"name": "Baseline 2024", "held_on": "2024-11-30"})
    assert response.status_code == 302
    assert _state(city) == [("Baseline 2024", date(2024, 11, 30)),
                            ("Follow-up", date(2025, 9, 1))]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.update"))
    assert event is not None and event.user_id == user.id and event.city_id == city.id
    assert "Baseline -> Baseline 2024" in event.details and "2024-11-30" in event.details


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "held_on": "2025-01-15"}, "This field is required."),
    ({"name": "   ", "held_on": "2025-01-15"}, None),
    ({"name": "follow-UP", "held_on": "2025-01-15"}, "A round with this name exists already."),
    ({"name": "Baseline", "held_on": "2025-02-30"}, "Not a valid date value."),
    ({"name": "Baseline", "held_on": "15.01.2025"}, "Not a valid date value."),
    ({"name": "x" * 101, "held_on": "2025-01-15"}, None),
])
def test_bad_edits_show_an_error_and_change_nothing(
    city: City, make_user: Callable[..., Any], login: Callable[..., Any],
    data: dict[str, str], message: str | None
) -> None:
    client = login(make_user("coordinator", city=city))
    before = _state(city)
    response = client.post(f"/c/{city.slug}/stakeholders/rounds/{_round(city, 'Baseline').id}"
                           "/edit", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html
    if message:
        assert message in html
    assert _state(city) == before
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.update")) \
        is None


def test_unchanged_edit_records_nothing(city: City, make_user: Callable[..., Any],
                                        login: Callable[..., Any]) -> None:
    client = login(make_user("coordinator", city=city))
    response = client.post(f"/c/{city.slug}/stakeholders/rounds/{_round(city, 'Baseline').id}"
                           "/edit", data={"name": "Baseline", "held_on": "2025-01-15"})
    assert response.status_code == 302
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.update")) \
        is None


@pytest.mark.parametrize("role", ["member", "regional"])
def test_only_coordinators_may_edit_rounds(city: City, make_user: Callable[..., Any],
                                           login: Callable[..., Any], role: str) -> None:
    client = login(make_user(role, city=city, region=city.region))
    url = f"/c/{city.slug}/stakeholders/rounds/{_round(city, 'Baseline').id}/edit"
    assert "/edit" not in client.get(f"/c/{city.slug}/stakeholders/rounds").get_data(
        as_text=True)
    assert client.get(url).status_code == 403
    assert client.post(url, data={"name": "X", "held_on": "2020-01-01"}).status_code == 403
    assert ("Baseline", date(2025, 1, 15)) in _state(city)


def test_a_round_of_another_city_is_404(city: City, make_city: Callable[..., City],
                                        make_user: Callable[..., Any],
                                        login: Callable[..., Any]) -> None:
    other = make_city()
    client = login(make_user("coordinator", city=other))
    rounds.create_round(other, "Baseline", date(2025, 1, 1), actor=None)
    db.session.commit()
    assert client.get(f"/c/{other.slug}/stakeholders/rounds/"
                      f"{_round(city, 'Baseline').id}/edit").status_code == 404


def test_cli_lists_and_edits_rounds(city: City, runner: Any) -> None:
    listed = runner.invoke(args=["stakeholders", "rounds", "list", city.slug])
    assert listed.exit_code == 0
    assert listed.output.splitlines() == ["2025-01-15  Baseline",
                                          "2025-09-01  Follow-up (current)"]
    done = runner.invoke(args=["stakeholders", "rounds", "edit", city.slug, "follow-up",
                               "--name", "Follow-up 2023", "--date", "2023-05-01"])
    assert done.exit_code == 0, done.output
    assert _state(city) == [("Baseline", date(2025, 1, 15)),
                            ("Follow-up 2023", date(2023, 5, 1))]
    listed = runner.invoke(args=["stakeholders", "rounds", "list", city.slug])
    assert listed.output.splitlines()[0] == "2023-05-01  Follow-up 2023 (current)"
    assert db.session.scalar(select(AuditEvent.details).where(
        AuditEvent.action == "round.update")) == (
        "name: Follow-up -> Follow-up 2023; held_on: 2025-09-01 -> 2023-05-01")


@pytest.mark.parametrize(("args", "error"), [
    (["Baseline", "--date", "2025-13-01"], "not a date"),
    (["Baseline", "--date", " 2025-01-01"], "not a date"),
    (["Baseline", "--name", "Follow-up"], "exists already"),
    (["Baseline", "--name", ""], "at most 100 characters"),
    (["Nothing", "--name", "X"], "no round"),
])
def test_cli_refuses_bad_edits_and_changes_nothing(city: City, runner: Any, args: list[str],
                                                   error: str) -> None:
    before = _state(city)
    result = runner.invoke(args=["stakeholders", "rounds", "edit", city.slug, *args])
    assert result.exit_code == 1 and error in result.output
    assert _state(city) == before


def test_previous_round_is_by_date_then_id(make_city: Callable[..., City]) -> None:
    city = make_city()
    late = rounds.create_round(city, "Late", date(2025, 9, 1), actor=None)
    early = rounds.create_round(city, "Early", date(2024, 1, 1), actor=None)  # created later
    same_a = rounds.create_round(city, "Same A", date(2025, 3, 1), actor=None)
    same_b = rounds.create_round(city, "Same B", date(2025, 3, 1), actor=None)
    assert rounds.previous_round(city, late) == same_b
    assert rounds.previous_round(city, same_b) == same_a
    assert rounds.previous_round(city, same_a) == early
    assert rounds.previous_round(city, early) is None
    assert rounds.in_time_order(late, early) == (early, late)
    assert rounds.in_time_order(same_b, same_a) == (same_a, same_b)


def _older_import_then_follow_up(city: City) -> None:
    """An import of older data made after the follow-up: created last, dated first."""
    follow = rounds.create_round(city, "Follow-up", date(2025, 9, 1), actor=None)
    older = rounds.create_round(city, "Imported 2023", date(2023, 6, 1), make_current=False,
                                actor=None)
    a = services.create_stakeholder(city, {"name": "School", "sector": "education"}, actor=None)
    b = services.create_stakeholder(city, {"name": "Police", "sector": "police"}, actor=None)
    ties.add_ties(city, a, follow, [ties.TieEntry(b.id, "referral", "weekly")], actor=None)
    assert older.id > follow.id
    db.session.commit()


def test_compare_runs_forward_in_time_whatever_the_order_chosen(
    make_city: Callable[..., City], make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    city = make_city()
    _older_import_then_follow_up(city)
    client = login(make_user("member", city=city))
    follow, older = _round(city, "Follow-up"), _round(city, "Imported 2023")
    for query in ("", f"?a={follow.id}&b={older.id}", f"?a={older.id}&b={follow.id}"):
        html = client.get(f"/c/{city.slug}/compare{query}").get_data(as_text=True)
        added = html.split("Ties added")[1].split("</section>")[0]
        removed = html.split("Ties removed")[1].split("</section>")[0]
        assert "School" in added and "School" not in removed, query
        before = html.split('name="a"')[1].split("</select>")[0]
        assert f'value="{older.id}" selected' in before


def test_regional_change_is_since_the_previous_round_by_date(
    make_city: Callable[..., City], make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    city = make_city(name="Datetown")
    _older_import_then_follow_up(city)
    html = login(make_user("regional", region=city.region)).get(
        f"/regions/{city.region.slug}/").get_data(as_text=True)
    assert "since Imported 2023:" in html
    assert "ties +1" in " ".join(html.split())


def test_compare_defaults_to_the_current_round_and_the_one_before_it(
    make_city: Callable[..., City], make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    city = make_city()
    first = rounds.create_round(city, "First", date(2024, 1, 1), actor=None)
    second = rounds.create_round(city, "Second", date(2024, 6, 1), actor=None)
    rounds.create_round(city, "Planned", date(2026, 1, 1), make_current=False, actor=None)
    db.session.commit()
    client = login(make_user("member", city=city))
    html = client.get(f"/c/{city.slug}/compare").get_data(as_text=True)
    before = html.split('name="a"')[1].split("</select>")[0]
    after = html.split('name="b"')[1].split("</select>")[0]
    assert f'value="{first.id}" selected' in before and f'value="{second.id}" selected' in after
    rounds.set_current(city, first, actor=None)  # the earliest is current: compare it forward
    db.session.commit()
    html = client.get(f"/c/{city.slug}/compare").get_data(as_text=True)
    assert f'value="{first.id}" selected' in html.split('name="a"')[1].split("</select>")[0]
