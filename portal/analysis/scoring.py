"""Survey scoring from aggregated inputs: Likert subscales, summaries, wave differences."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from scipy import stats

from portal.analysis.disclosure import K_DEFAULT, check_k, publishable, suppress_counts

SCALE = (1, 2, 3, 4, 5)
DONT_KNOW = "dont_know"
PREFER_NOT = "prefer_not"
MISSING_CODES = (DONT_KNOW, PREFER_NOT)

# Per respondent and subscale, the database does the work (never loop over responses in
# Python). Answers hold value NULL for "don't know" / "prefer not to answer", so those
# are never a scale point; COUNT(value) counts only the answered items.
SUBSCALE_MOMENTS_SQL = """
WITH per_respondent AS (
    SELECT r.wave_id, a.response_id,
           SUM(CASE WHEN q.reverse_scored THEN 6 - a.value ELSE a.value END) AS item_sum,
           COUNT(a.value) AS answered
    FROM answer a
    JOIN question q ON q.id = a.question_id
    JOIN response r ON r.id = a.response_id
    WHERE q.survey_id = :survey_id AND q.subscale = :subscale
      AND a.value BETWEEN 1 AND 5
    GROUP BY r.wave_id, a.response_id
), scored AS (
    SELECT wave_id, CAST(item_sum AS FLOAT) / answered AS score
    FROM per_respondent
    WHERE answered * 2 >= :n_items
)
SELECT wave_id, COUNT(*) AS n, SUM(score) AS s, SUM(score * score) AS ss
FROM scored
GROUP BY wave_id
"""
# :n_items is the number of questions in the subscale (not the number answered).
# Feed each row to summary_from_moments(n, s, ss, k=city.k).


def normalize_answer(raw: int | str | None) -> int | None:
    """Return a scale point 1..5, or None for don't know / prefer not / no answer."""
    if raw is None or raw in MISSING_CODES:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw not in SCALE:
        raise ValueError(f"not a Likert answer: {raw!r}")
    return raw


def reverse(value: int) -> int:
    """Reverse-score a scale point (1 <-> 5, 2 <-> 4)."""
    if normalize_answer(value) is None:
        raise ValueError("only a scale point can be reversed")
    return 6 - value


def enough_answered(answered: int, n_items: int) -> bool:
    """Tell whether at least half of a subscale's items were answered."""
    return answered > 0 and answered * 2 >= n_items


def subscale_score(
    answers: Mapping[str, int | str | None],
    items: Sequence[str],
    reversed_items: Collection[str] = (),
) -> float | None:
    """Return one respondent's subscale mean after reverse scoring, or None if too few answers."""
    points = []
    for item in items:
        value = normalize_answer(answers.get(item))
        if value is not None:
            points.append(reverse(value) if item in reversed_items else value)
    if not enough_answered(len(points), len(items)):
        return None
    return sum(points) / len(points)


def moments(scores: Iterable[float | None]) -> tuple[int, float, float]:
    """Return (n, sum, sum of squares) of the scored respondents, as the SQL does."""
    kept = [s for s in scores if s is not None]
    return len(kept), math.fsum(kept), math.fsum(s * s for s in kept)


def to_index(mean: float) -> float:
    """Map a 1..5 scale value onto a 0..100 index."""
    return (mean - 1) / 4 * 100


@lru_cache(maxsize=4096)
def t_975(df: float) -> float:
    """Return Student's t quantile of a two-sided 95% interval (scipy's is slow per call, and
    a results page asks for the same few degrees of freedom on every view)."""
    return float(stats.t.ppf(0.975, df))


def summary_from_moments(n: int, s: float, ss: float, k: int = K_DEFAULT) -> dict[str, Any]:
    """Summarise a group from its moments with a 95% t interval, suppressed below k."""
    check_k(k)
    if not publishable(n, k):
        # A group size below k is itself disclosive; only an empty group says n = 0.
        return {"n": 0 if n == 0 else None, "mean": None, "sd": None,
                "ci_low": None, "ci_high": None, "suppressed": True}
    mean = s / n
    # One-pass variance can dip below zero by rounding when all scores are equal.
    var = max(0.0, (ss - s * s / n) / (n - 1))
    sd = math.sqrt(var)
    half = t_975(n - 1) * sd / math.sqrt(n)
    return {"n": n, "mean": mean, "sd": sd, "ci_low": mean - half,
            "ci_high": mean + half, "suppressed": False}


def index_summary(summary: Mapping[str, Any]) -> dict[str, Any]:
    """Return a summary with mean and interval bounds mapped onto the 0..100 index."""
    out = dict(summary)
    for key in ("mean", "ci_low", "ci_high"):
        if out.get(key) is not None:
            out[key] = to_index(out[key])
    if out.get("sd") is not None:
        out["sd"] = out["sd"] * 25
    return out


def difference(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """Return mean(a) - mean(b) of two independent groups with a 95% Welch interval."""
    if a.get("suppressed") or b.get("suppressed"):
        return {"diff": None, "se": None, "df": None, "ci_low": None, "ci_high": None,
                "index_diff": None, "suppressed": True}
    diff = a["mean"] - b["mean"]
    va, vb = a["sd"] ** 2 / a["n"], b["sd"] ** 2 / b["n"]
    se = math.sqrt(va + vb)
    if se == 0:
        df, half = None, 0.0
    else:
        # Welch-Satterthwaite degrees of freedom.
        df = (va + vb) ** 2 / (va**2 / (a["n"] - 1) + vb**2 / (b["n"] - 1))
        half = t_975(df) * se
    # A difference on the index is 25 index points per scale point (no offset).
    return {"diff": diff, "se": se, "df": df, "ci_low": diff - half, "ci_high": diff + half,
            "index_diff": diff * 25, "suppressed": False}


def likert_distribution(counts: Mapping[int | str, int], k: int = K_DEFAULT) -> dict[str, Any]:
    """Return disclosure-controlled counts and shares per scale point, don't know and prefer not."""
    unknown = set(counts) - set(SCALE) - set(MISSING_CODES)
    if unknown:
        raise ValueError(f"unknown answer codes: {sorted(map(str, unknown))}")
    keys: list[int | str] = [*SCALE, *MISSING_CODES]
    # One flat distribution over everybody who saw the question: a separate "answered"
    # total would be a second published sum, and shares of it would leak don't-know counts.
    result = suppress_counts({str(key): int(counts.get(key, 0)) for key in keys}, k)
    total = result["total"]
    cells = result["cells"]
    for cell in cells.values():
        exact = not total["suppressed"] and not total["rounded"] and total["value"]
        shown = cell["value"] is not None and exact
        cell["share"] = cell["value"] / total["value"] if shown else None
    return {
        "k": k,
        "points": {point: cells[str(point)] for point in SCALE},
        DONT_KNOW: cells[DONT_KNOW],
        PREFER_NOT: cells[PREFER_NOT],
        "total": total,
    }
