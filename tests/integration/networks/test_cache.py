"""The analysis cache: one computation per (city, round, filter, revision), safe under races."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AnalysisResult, Stakeholder
from portal.models.base import utcnow
from portal.networks import cache, services
from portal.stakeholders import rounds
from portal.stakeholders import services as stakeholder_services

from .conftest import KnownMap, add_tie


def stored_rows() -> list[AnalysisResult]:
    return list(db.session.scalars(select(AnalysisResult).order_by(AnalysisResult.id)))


@pytest.fixture
def known(build_map: Callable[..., KnownMap]) -> KnownMap:
    return build_map(slug="testgrad")


@pytest.fixture
def api_client(client: Any, known: KnownMap, make_user: Callable[..., Any],
               login: Callable[..., Any]) -> Any:
    login(make_user("member", city=known.city))
    return client


def test_second_api_call_does_not_recompute(api_client, count_analyses):
    first = api_client.get("/api/v1/cities/testgrad/network").get_json()
    second = api_client.get("/api/v1/cities/testgrad/network").get_json()
    api_client.get("/api/v1/cities/testgrad/gaps")
    assert len(count_analyses) == 1
    assert first == second
    assert len(stored_rows()) == 1


def test_cached_read_runs_few_queries_whatever_the_map_size(api_client, count_queries):
    api_client.get("/api/v1/cities/testgrad/network")
    with count_queries() as statements:
        assert api_client.get("/api/v1/cities/testgrad/network").status_code == 200
    # user, city, access, current round, cached row (and nothing per stakeholder or tie)
    assert len(statements) <= 7, statements


def test_the_request_commits_the_stored_result(api_client, known):
    expected = (known.city.id, known.round.id, "kind=referral", known.city.network_revision)
    api_client.get("/api/v1/cities/testgrad/network", query_string={"kind": "referral"})
    db.session.remove()  # a fresh session sees only what was committed
    row = db.session.scalars(select(AnalysisResult)).one()
    assert (row.city_id, row.round_id, row.filter_key, row.network_revision) == expected
    assert row.payload["summary"]["ties"] == 1


def test_each_filter_is_computed_once(api_client, count_analyses):
    for params in ({}, {"kind": "referral"}, {"sector": "youth"}, {"kind": "referral"}, {}):
        api_client.get("/api/v1/cities/testgrad/network", query_string=params)
    assert len(count_analyses) == 3


def test_current_round_and_its_id_share_one_result(app, known, count_analyses):
    services.get_analysis(known.city)
    services.get_analysis(known.city, round_id=known.round.id)
    assert len(count_analyses) == 1


def test_filter_key_is_canonical():
    assert cache.filter_key(sector="education", kind="referral", min_frequency="monthly") == (
        "kind=referral;min_frequency=monthly;sector=education")
    assert cache.filter_key(kind=None, sector=None, min_frequency=None) == ""


@pytest.mark.parametrize("edit", ["add_tie", "add_stakeholder", "rename", "archive"])
def test_a_map_edit_invalidates_the_cache(app, known, count_analyses, edit):
    before = services.get_analysis(known.city)
    db.session.commit()
    if edit == "add_tie":
        add_tie(known, "health", "school", "referral", "monthly")
    elif edit == "add_stakeholder":
        stakeholder_services.create_stakeholder(known.city, {"name": "Red Cross",
                                                             "sector": "civil_society"}, actor=None)
    elif edit == "rename":
        stakeholder_services.update_stakeholder(known.city, known.people["police"],
                                                {"name": "Police directorate"}, actor=None)
    else:
        stakeholder_services.set_archived(known.city, known.people["health"], True, actor=None)
    db.session.commit()
    after = services.get_analysis(known.city)
    assert len(count_analyses) == 2
    assert after != before
    services.get_analysis(known.city)
    assert len(count_analyses) == 2


def test_a_new_revision_prunes_older_rows_of_the_city_only(app, known, build_map):
    other = build_map(slug="othergrad")
    services.get_analysis(other.city)
    services.get_analysis(known.city)
    services.get_analysis(known.city, kind="referral")
    db.session.commit()
    add_tie(known, "health", "school", "referral", "monthly")
    db.session.commit()
    services.get_analysis(known.city)
    db.session.commit()
    revisions = {(r.city_id, r.network_revision) for r in stored_rows()}
    assert revisions == {(other.city.id, other.city.network_revision),
                         (known.city.id, known.city.network_revision)}
    assert len(stored_rows()) == 2


def test_unchanged_network_never_recomputed_even_after_other_cities_change(app, known,
                                                                           build_map,
                                                                           count_analyses):
    services.get_analysis(known.city)
    other = build_map(slug="othergrad")
    add_tie(other, "health", "school", "referral", "monthly")
    db.session.commit()
    services.get_analysis(known.city)
    assert len(count_analyses) == 1


def test_store_of_an_existing_key_returns_the_stored_row(app, known):
    revision = known.city.network_revision
    first = cache.store(known.city.id, known.round.id, "", revision, {"winner": True})
    second = cache.store(known.city.id, known.round.id, "", revision, {"winner": False})
    assert second is first and second.payload == {"winner": True}
    db.session.commit()
    assert len(stored_rows()) == 1


def test_store_without_round_is_unique_too(app, make_city):
    city = make_city()
    first = cache.store(city.id, None, "", 0, {"winner": True})
    second = cache.store(city.id, None, "", 0, {"winner": False})
    assert second is first
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AnalysisResult)) == 1


def test_concurrent_computation_reads_the_row_stored_by_the_other_request(
    app, known, count_analyses, monkeypatch
):
    """Another request stored the key between our lookup and our insert: no crash, its row."""
    revision = known.city.network_revision
    with db.engine.begin() as other_request:  # a separate connection, committed
        other_request.execute(AnalysisResult.__table__.insert().values(
            city_id=known.city.id, round_id=known.round.id, filter_key="", computed_at=utcnow(),
            network_revision=revision, payload={"stored": "by the other request"}))
    real_lookup = cache.lookup
    calls: list[int] = []

    def first_misses(*args: Any) -> AnalysisResult | None:
        calls.append(1)
        return None if len(calls) == 1 else real_lookup(*args)

    monkeypatch.setattr(cache, "lookup", first_misses)
    # A change made earlier in the same request must survive the failed insert.
    stakeholder = known.people["police"]
    stakeholder.notes = "kept"
    result = services.get_analysis(known.city)
    assert result == {"stored": "by the other request"}
    assert len(count_analyses) == 1 and len(calls) == 2
    stakeholder_id = stakeholder.id
    db.session.commit()
    db.session.remove()
    assert db.session.get(Stakeholder, stakeholder_id).notes == "kept"
    assert len(stored_rows()) == 1


def test_compare_rounds_uses_two_cached_results(app, known, count_analyses):
    follow_up = rounds.create_round(known.city, "Follow-up", date(2025, 9, 1),
                                    copy_from=known.round, actor=None)
    add_tie(known, "health", "school", "referral", "monthly", follow_up)
    db.session.commit()
    change = services.compare_rounds(known.city, known.round, follow_up.id)
    pair = sorted((known.id("health"), known.id("school")))
    assert change["ties_added"] == [pair] and change["ties_removed"] == []
    assert change["metrics"]["ties"] == {"before": 4, "after": 5, "change": 1}
    assert any(g["type"] == "not_connected" for g in change["gaps_closed"])
    services.compare_rounds(known.city, known.round, follow_up)
    services.get_analysis(known.city)  # the follow-up is current: cached already
    assert len(count_analyses) == 2


@pytest.mark.parametrize(
    "filters",
    [{"kind": "friendship"}, {"sector": "religion"}, {"min_frequency": "daily"},
     {"round_id": 999_999}],
)
def test_service_refuses_unknown_filter_values(app, known, filters):
    with pytest.raises(services.AnalysisRequestError):
        services.get_analysis(known.city, **filters)
