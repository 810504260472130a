"""Survey scoring: reverse items, the half-answered rule, summaries, Welch differences."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.analysis.scoring import (
    DONT_KNOW,
    PREFER_NOT,
    difference,
    enough_answered,
    index_summary,
    likert_distribution,
    moments,
    normalize_answer,
    reverse,
    subscale_score,
    summary_from_moments,
    to_index,
)

answer = st.one_of(st.integers(1, 5), st.sampled_from([DONT_KNOW, PREFER_NOT, None]))


# --- items and respondents ---


@pytest.mark.parametrize(("value", "reversed_value"), [(1, 5), (2, 4), (3, 3), (4, 2), (5, 1)])
def test_reverse_maps_the_scale_onto_itself(value, reversed_value):
    assert reverse(value) == reversed_value
    assert reverse(reverse(value)) == value


@pytest.mark.parametrize("bad", [0, 6, DONT_KNOW, None, 2.5, True])
def test_reverse_refuses_anything_but_a_scale_point(bad):
    with pytest.raises(ValueError):
        reverse(bad)


@pytest.mark.parametrize("code", [DONT_KNOW, PREFER_NOT, None])
def test_dont_know_and_prefer_not_are_missing_not_a_scale_point(code):
    assert normalize_answer(code) is None


@pytest.mark.parametrize(("answered", "items", "ok"),
                         [(2, 4, True), (1, 4, False), (2, 3, True), (1, 3, False),
                          (3, 5, True), (2, 5, False), (1, 1, True), (1, 2, True), (0, 0, False)])
def test_at_least_half_of_the_items_must_be_answered(answered, items, ok):
    assert enough_answered(answered, items) is ok


def test_subscale_score_reverses_then_averages_answered_items():
    items = ["q1", "q2", "q3", "q4"]
    answers = {"q1": 4, "q2": 2, "q3": DONT_KNOW, "q4": 5}
    # q2 is reversed: 6 - 2 = 4; mean of 4, 4, 5 = 13 / 3.
    assert subscale_score(answers, items, {"q2"}) == pytest.approx(13 / 3)


def test_subscale_score_is_none_below_half_answered():
    items = ["q1", "q2", "q3", "q4", "q5"]
    assert subscale_score({"q1": 5, "q2": PREFER_NOT, "q3": 4}, items) is None
    assert subscale_score({"q1": 5, "q2": 1, "q3": 4}, items) == pytest.approx(10 / 3)


@given(st.lists(answer, min_size=1, max_size=8), st.data())
def test_subscale_score_matches_a_direct_computation(raw, data):
    items = [f"q{i}" for i in range(len(raw))]
    flipped = set(data.draw(st.lists(st.sampled_from(items), unique=True)))
    answers = dict(zip(items, raw, strict=True))
    points = [6 - v if q in flipped else v for q, v in answers.items() if isinstance(v, int)]
    score = subscale_score(answers, items, flipped)
    if len(points) * 2 >= len(items) and points:
        assert score == pytest.approx(sum(points) / len(points))
        assert 1 <= score <= 5
    else:
        assert score is None


@given(st.lists(st.sampled_from([DONT_KNOW, PREFER_NOT]), min_size=1, max_size=6))
def test_missing_codes_never_count_towards_a_score(missing):
    items = ["a", "b"] + [f"m{i}" for i in range(len(missing))]
    answers = {"a": 5, "b": 5} | dict(zip(items[2:], missing, strict=True))
    score = subscale_score(answers, items)
    assert score is None if len(missing) > 2 else score == 5


# --- summaries ---

# Hand-worked: scores 2,3,3,4,4,4,5,5,3,2 -> n = 10, s = 35, ss = 133, mean = 3.5.
# Squared deviations: 4 x 2.25 + 6 x 0.25 = 10.5; variance 10.5 / 9 = 1.1666667,
# sd = 1.0801234, se = sd / sqrt(10) = 0.3415650; t(0.975, 9) = 2.262157;
# half-width = 0.772674, CI = [2.727326, 4.272674].
HAND = [2, 3, 3, 4, 4, 4, 5, 5, 3, 2]


def test_summary_matches_hand_computed_values():
    assert moments(HAND) == (10, 35.0, 133.0)
    out = summary_from_moments(10, 35.0, 133.0, k=10)
    assert out["n"] == 10 and out["suppressed"] is False
    assert out["mean"] == pytest.approx(3.5)
    assert out["sd"] == pytest.approx(1.0801234, abs=1e-7)
    assert out["ci_low"] == pytest.approx(2.727326, abs=1e-6)
    assert out["ci_high"] == pytest.approx(4.272674, abs=1e-6)


def test_index_maps_mean_and_interval_bounds():
    assert to_index(1) == 0 and to_index(3) == 50 and to_index(5) == 100
    out = index_summary(summary_from_moments(10, 35.0, 133.0, k=10))
    # (3.5 - 1) / 4 * 100 = 62.5; (2.727326 - 1) * 25 = 43.18316.
    assert out["mean"] == pytest.approx(62.5)
    assert out["ci_low"] == pytest.approx(43.18316, abs=1e-4)
    assert out["ci_high"] == pytest.approx(81.81684, abs=1e-4)


@pytest.mark.parametrize("n", [1, 4, 9])
def test_summary_below_k_shows_neither_mean_nor_n(n):
    out = summary_from_moments(n, 3.0 * n, 9.0 * n, k=10)
    assert out == {"n": None, "mean": None, "sd": None, "ci_low": None, "ci_high": None,
                   "suppressed": True}


def test_summary_refuses_k_below_five():
    with pytest.raises(ValueError):
        summary_from_moments(10, 35.0, 133.0, k=4)


def test_summary_of_identical_scores_has_zero_width_interval():
    out = summary_from_moments(12, 12 * 4.2, 12 * 4.2**2, k=10)
    assert out["sd"] == pytest.approx(0, abs=1e-6)
    assert out["ci_low"] == pytest.approx(4.2, abs=1e-6)


@settings(deadline=None)
@given(st.lists(st.floats(1, 5), min_size=5, max_size=60))
def test_moments_agree_with_the_two_pass_statistics(scores):
    out = summary_from_moments(*moments(scores), k=5)
    assert out["mean"] == pytest.approx(statistics.fmean(scores))
    assert out["sd"] == pytest.approx(statistics.stdev(scores), abs=1e-6)
    assert out["ci_low"] <= out["mean"] <= out["ci_high"]


# --- differences between waves ---

# Hand-worked Welch: a: n = 10, mean 3.5, var 1.2; b: n = 15, mean 3.0, var 0.6.
# va/na = 0.12, vb/nb = 0.04, se = sqrt(0.16) = 0.4;
# df = 0.16^2 / (0.12^2 / 9 + 0.04^2 / 14) = 0.0256 / 0.00171429 = 14.93333;
# t(0.975, 14.9333) = 2.132279 (between t14 = 2.144787 and t15 = 2.131450);
# half-width 0.852911, CI = [-0.352911, 1.352911].


def test_welch_difference_matches_hand_computed_values():
    a = {"n": 10, "mean": 3.5, "sd": math.sqrt(1.2), "suppressed": False}
    b = {"n": 15, "mean": 3.0, "sd": math.sqrt(0.6), "suppressed": False}
    out = difference(a, b)
    assert out["diff"] == pytest.approx(0.5)
    assert out["se"] == pytest.approx(0.4)
    assert out["df"] == pytest.approx(14.93333, abs=1e-5)
    assert out["ci_low"] == pytest.approx(-0.352911, abs=1e-5)
    assert out["ci_high"] == pytest.approx(1.352911, abs=1e-5)
    assert out["index_diff"] == pytest.approx(12.5)


def test_difference_with_a_suppressed_wave_is_suppressed():
    shown = summary_from_moments(10, 35.0, 133.0, k=10)
    hidden = summary_from_moments(6, 18.0, 60.0, k=10)
    assert difference(shown, hidden)["suppressed"] is True
    assert difference(shown, hidden)["diff"] is None


def test_difference_of_constant_groups_has_a_point_interval():
    a = {"n": 10, "mean": 4.0, "sd": 0.0, "suppressed": False}
    b = {"n": 10, "mean": 3.0, "sd": 0.0, "suppressed": False}
    out = difference(a, b)
    assert (out["ci_low"], out["ci_high"], out["df"]) == (1.0, 1.0, None)


# --- distributions ---


def test_distribution_counts_points_and_missing_separately_with_shares():
    out = likert_distribution({1: 12, 2: 10, 3: 20, 4: 15, 5: 13, DONT_KNOW: 10, PREFER_NOT: 0})
    assert [out["points"][p]["value"] for p in range(1, 6)] == [12, 10, 20, 15, 13]
    assert out[DONT_KNOW]["value"] == 10 and out[PREFER_NOT]["value"] == 0
    assert out["total"]["value"] == 80
    assert out["points"][3]["share"] == pytest.approx(0.25)
    assert out[DONT_KNOW]["share"] == pytest.approx(0.125)


def test_distribution_protects_a_small_dont_know_count():
    out = likert_distribution({1: 3, 2: 10, 3: 20, 4: 15, 5: 12, DONT_KNOW: 4})
    assert out[DONT_KNOW]["suppressed"] and out[DONT_KNOW]["share"] is None
    assert out["points"][1]["suppressed"]
    published = [c["value"] for c in out["points"].values() if not c["suppressed"]]
    assert all(v >= 10 for v in published)


def test_distribution_rejects_unknown_codes():
    with pytest.raises(ValueError):
        likert_distribution({6: 3})


@given(st.dictionaries(st.sampled_from([1, 2, 3, 4, 5, DONT_KNOW, PREFER_NOT]),
                       st.integers(0, 40)), st.integers(5, 12))
def test_distribution_shares_only_where_counts_show(counts, k):
    out = likert_distribution(counts, k)
    cells = [*out["points"].values(), out[DONT_KNOW], out[PREFER_NOT]]
    total = sum(counts.values())
    for cell in cells:
        assert (cell["share"] is None) == (cell["suppressed"] or total == 0)
        assert cell["suppressed"] or cell["value"] == 0 or cell["value"] >= k
