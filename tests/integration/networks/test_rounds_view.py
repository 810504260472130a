"""Two mapping rounds seen together: a stable layout and a filtered comparison."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from portal.extensions import db
from portal.networks.services import get_analysis
from portal.stakeholders import rounds

from .conftest import KnownMap, add_tie


@pytest.fixture
def two_rounds(build_map: Callable[..., KnownMap]) -> tuple[KnownMap, Any]:
    known = build_map()
    later = rounds.create_round(known.city, "Follow-up", date(2025, 9, 1),
                                copy_from=known.round, actor=None)
    add_tie(known, "health", "school", "referral", "monthly", later)
    add_tie(known, "police", "ministry", "information", "weekly", later)
    db.session.commit()
    return known, later


def _positions(payload: dict[str, Any]) -> dict[int, tuple[float, float]]:
    return {n["id"]: (n["x"], n["y"]) for n in payload["nodes"]}


def test_each_actor_keeps_its_place_from_one_round_to_the_next(two_rounds) -> None:
    known, later = two_rounds
    # The follow-up is computed first: it must compute the baseline's layout to start from.
    after = _positions(get_analysis(known.city, round_id=later.id))
    before = _positions(get_analysis(known.city, round_id=known.round.id))
    assert set(before) == set(after) == {s.id for s in known.people.values()}
    health = known.id("health")  # not yet connected in the baseline, tied to the school now
    assert {k: v for k, v in after.items() if k != health} == {
        k: v for k, v in before.items() if k != health}
    # It leaves the waiting row for a place next to its new partner.
    school = after[known.id("school")]
    assert after[health] != before[health]
    assert abs(after[health][0] - school[0]) < 0.05 and abs(after[health][1] - school[1]) < 0.05
    # Laid out from scratch, the follow-up would have moved the others too.
    from portal.networks.services import SECTORS, analyse
    from portal.stakeholders.graphdata import network_data

    fresh = _positions(analyse(*network_data(known.city, later), sector_order=SECTORS))
    assert {k: v for k, v in fresh.items() if k != health} != {
        k: v for k, v in before.items() if k != health}


def test_compare_applies_the_kind_sector_and_frequency_filters(
    two_rounds, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    known, later = two_rounds
    client = login(make_user("member", city=known.city))
    url = f"/c/{known.city.slug}/compare?a={known.round.id}&b={later.id}"
    everything = client.get(url).get_data(as_text=True)
    added = everything.split("Ties added")[1].split("</section>")[0]
    assert "Health centre" in added and "Police station" in added
    assert "<bdi>Health centre</bdi>" in added  # names keep their direction in Arabic
    filtered = client.get(url + "&kind=information").get_data(as_text=True)
    added = filtered.split("Ties added")[1].split("</section>")[0]
    # Only the new information tie is left; the referral to the school is filtered out.
    assert "Police station" in added and "Primary school no. 3" not in added
    assert "The maps are filtered" in filtered
    assert 'name="kind"' in filtered and '<option selected value="information">' in filtered
    refused = client.get(url + "&sector=nope")
    assert refused.status_code == 400
    assert "Choose one of the options shown." in refused.get_data(as_text=True)


def test_the_map_names_its_round_in_full_under_the_filters(
    two_rounds, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    known, later = two_rounds
    long_name = "Third round, after the training of school staff in the northern villages"
    later.name = long_name
    db.session.commit()
    html = login(make_user("member", city=known.city)).get(
        f"/c/{known.city.slug}/map").get_data(as_text=True)
    shown = html.split('class="round-shown"')[1].split("</p>")[0]
    assert f"<bdi>{long_name}</bdi>" in shown and "September 1, 2025" in shown
    # Right under the round's <select> (cut to one line on a phone), before the other filters.
    form = html.split('id="map-filters"')[1].split("</form>")[0]
    where = [form.index(mark) for mark in ('name="round"', 'class="round-shown"', 'name="kind"')]
    assert where == sorted(where)
