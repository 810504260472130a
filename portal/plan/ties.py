"""Expected against observed ties: do an activity's partners work together on the map yet?"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import select

from portal.extensions import db
from portal.models import City, MappingRound, PlanActivity, Stakeholder, Tie
from portal.stakeholders.rounds import current_round, time_order

MAX_PARTNERS_CHECKED = 15  # 105 pairs; a larger partnership is a forum, not a set of ties


@dataclass(frozen=True)
class PairCheck:
    """Two partners of an activity and what the map says about them.

    state: "missing" (no tie in the current round: the activity's own gap), "existing" (they
    were already tied when the activity was planned) or "recorded" (a tie recorded since, in
    `round`).
    """

    a: Stakeholder
    b: Stakeholder
    state: str
    round: MappingRound | None = None


def check_partners(city: City, activity: PlanActivity) -> list[PairCheck]:
    """Return every pair of the activity's partners with its state against the current round."""
    partners = activity.partners[:MAX_PARTNERS_CHECKED]
    ids = [p.id for p in partners]
    if len(ids) < 2:
        return []
    ties = list(db.session.execute(select(Tie.source_id, Tie.target_id, Tie.round_id,
                                          Tie.created_at).where(
        Tie.city_id == city.id, Tie.source_id.in_(ids), Tie.target_id.in_(ids))))
    rounds = {r.id: r for r in db.session.scalars(
        select(MappingRound).where(MappingRound.city_id == city.id))}
    current = current_round(city)
    baseline = rounds.get(activity.round_id or -1)
    out = []
    for a, b in combinations(sorted(partners, key=lambda s: s.id), 2):
        pair = [t for t in ties if (t.source_id, t.target_id) == (a.id, b.id)]
        if current is None or all(t.round_id != current.id for t in pair):
            out.append(PairCheck(a, b, "missing"))
            continue
        if baseline is not None and any(t.round_id == baseline.id
                                        and t.created_at <= activity.created_at for t in pair):
            out.append(PairCheck(a, b, "existing"))
            continue
        since = [rounds[t.round_id] for t in pair
                 if baseline is None or time_order(rounds[t.round_id]) >= time_order(baseline)]
        out.append(PairCheck(a, b, "recorded", min(since or [current], key=time_order)))
    return out


def missing_count(checks: list[PairCheck]) -> int:
    """Return how many partner pairs have no tie yet."""
    return sum(1 for c in checks if c.state == "missing")
