"""Each rule function on its edge values; missing values (NaN) always score 0."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring_engine import rules

NAN = np.nan
finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
maybe_missing = st.one_of(finite, st.just(NAN))


def test_ratio_is_a_percentage_and_missing_over_zero_or_missing_denominators():
    result = rules.ratio([50, 10, 10, NAN, 0], [1000, 0, NAN, 100, -5])
    assert result[0] == pytest.approx(5.0)
    assert np.isnan(result[1:4]).all()  # zero revenue, missing revenue, missing numerator
    assert np.isnan(result[4])  # negative denominator


def test_growth_negative_missing_and_non_positive_previous_year():
    result = rules.growth([120, 80, 100, 100, 100, NAN], [100, 100, 0, -50, NAN, 100])
    assert result[0] == pytest.approx(20.0)
    assert result[1] == pytest.approx(-20.0)  # a fall is a negative rate, not missing
    assert np.isnan(result[2:]).all()  # previous year zero, negative, missing; current missing


def test_segments_thresholds_are_inclusive_and_below_first_is_zero():
    values = np.array([-5, 0, 99.99, 100, 499.99, 500, 1e12, NAN])
    points = rules.segments(values, [0, 100, 500], [1, 5, 10], cap=10)
    assert points.tolist() == [0, 1, 1, 5, 5, 10, 10, 0]


def test_segments_negative_growth_threshold_and_cap():
    points = rules.segments(np.array([-30, -10, 5]), [-20, 0], [1, 3], cap=2)
    assert points.tolist() == [0, 1, 2]  # 3 capped at 2


def test_segments_with_no_thresholds_scores_nothing():
    assert rules.segments(np.array([1.0, NAN]), [], [], cap=5).tolist() == [0, 0]


def test_percentile_within_groups_ties_and_missing():
    values = np.array([10, 20, 20, 40, NAN, 5, 0])
    groups = np.array(["a", "a", "a", "a", "a", "b", "c"])
    points = rules.percentile(values, groups, cap=10)
    # group a (4 valued): 10 → 0 lower of 3, 20 → 1/3 (tied), 40 → 3/3; missing → 0.
    assert points[:5] == pytest.approx([0, 10 / 3, 10 / 3, 10, 0])
    # a group with one valued enterprise gives it the full cap (even at 0)
    assert points[5] == 10 and points[6] == 10


def test_percentile_all_equal_are_all_highest_and_get_the_full_cap():
    assert rules.percentile(np.array([7.0, 7.0, 7.0]), np.array([1, 1, 1]), cap=4).tolist() == [4, 4, 4]


def test_percentile_tied_leaders_get_the_full_cap_and_the_rest_scale_to_them():
    # 50, 50, 30, 10: below the top are 2; 30 has 1 below it → 1/2 of the cap.
    points = rules.percentile(np.array([50.0, 50.0, 30.0, 10.0]), np.zeros(4), cap=8)
    assert points.tolist() == [8, 8, 4, 0]


@given(st.lists(maybe_missing, min_size=1, max_size=40), st.floats(min_value=0, max_value=100))
def test_percentile_is_bounded_monotone_and_missing_is_zero(values, cap):
    values = np.array(values, dtype=float)
    points = rules.percentile(values, np.zeros(len(values)), cap)
    assert ((points >= 0) & (points <= cap + 1e-9)).all()
    assert (points[np.isnan(values)] == 0).all()
    valued = ~np.isnan(values)
    order = np.argsort(values[valued], kind="mergesort")
    assert (np.diff(points[valued][order]) >= -1e-9).all()


def test_linear_bounds_cap_and_missing():
    points = rules.linear(np.array([-10, 0, 15, 30, 1000, NAN]), lower=0, upper=30, cap=6)
    assert points.tolist() == pytest.approx([0, 0, 3, 6, 6, 0])


def test_linear_with_degenerate_bounds_never_divides_by_zero():
    assert rules.linear(np.array([4.0, 5.0, 6.0]), lower=5, upper=5, cap=2).tolist() == [0, 2, 2]


def test_yes_no():
    assert rules.yes_no(np.array([0, 1, 3, -1, NAN]), cap=5).tolist() == [0, 5, 5, 0, 0]


def test_bonus_per_item_with_cap():
    assert rules.bonus(np.array([0, 1, 2, 5, NAN, -2]), points=2, cap=6).tolist() == [0, 2, 4, 6, 0, 0]


def test_deduction_is_negative_and_capped():
    assert rules.deduction(np.array([0, 1, 3, NAN]), points=10, cap=20).tolist() == [0, -10, -20, 0]


@given(st.lists(maybe_missing, min_size=1, max_size=30), st.floats(min_value=0, max_value=50))
def test_no_rule_raises_or_leaves_its_range(values, cap):
    values = np.array(values, dtype=float)
    for points in (
        rules.segments(values, [0, 10, 100], [1, 2, 3], cap),
        rules.linear(values, -5, 20, cap),
        rules.yes_no(values, cap),
        rules.bonus(values, 1.5, cap),
    ):
        assert not np.isnan(points).any()
        assert ((points >= 0) & (points <= cap + 1e-9)).all()
        assert (points[np.isnan(values)] == 0).all()
    deducted = rules.deduction(values, 3, cap)
    assert ((deducted <= 0) & (deducted >= -cap - 1e-9)).all()


@given(finite, finite)
def test_ratio_and_growth_never_raise(a, b):
    assert rules.ratio([a], [b]).shape == (1,)
    assert rules.growth([a], [b]).shape == (1,)


def test_round2_half_away_from_zero():
    assert rules.round2(np.array([2.675, 1.005, -1.005, 0.125, 3.14159, 0.0])).tolist() == [
        2.68,
        1.01,
        -1.01,
        0.13,
        3.14,
        0.0,
    ]


def test_competition_rank_ties_and_percentile():
    totals = np.array([30, 20, 9, 9, 1.0])
    rank, percent = rules.competition_rank(totals)
    assert rank.tolist() == [1, 2, 3, 3, 5]
    # below ÷ below the top (4): the first is 100 %, the last 0 %, the tied pair level.
    assert percent.tolist() == [100, 75, 25, 25, 0]


def test_tied_first_places_are_100_percent_not_the_share_below():
    rank, percent = rules.competition_rank(np.array([9.0, 9, 9, 9, 9, 9, 1]))
    assert rank.tolist() == [1, 1, 1, 1, 1, 1, 7]
    assert percent.tolist() == [100, 100, 100, 100, 100, 100, 0]


def test_competition_rank_ignores_float_noise_and_works_per_group():
    totals = np.array([0.1 + 0.2, 0.3, 5.0, 4.0])
    rank, _ = rules.competition_rank(totals, np.array(["a", "a", "b", "b"]))
    assert rank.tolist() == [1, 1, 1, 2]


def test_tiers_by_stage_size():
    size = np.full(100, 100)
    tiers = rules.tiers(np.arange(1, 101), size)
    assert (tiers[:5] == "leading").all() and (tiers[5:10] == "racing").all()
    assert (tiers[10:20] == "advancing").all() and (tiers[20:] == "").all()
    # a stage of 5: only its first leads; ties share the tier
    assert rules.tiers(np.array([1, 1, 3, 4, 5]), np.full(5, 5)).tolist() == ["leading", "leading", "", "", ""]
    # a stage of 30: 5 % rounds down to 1, 10 % to 3, 20 % to 6
    assert rules.tiers(np.array([1, 2, 3, 6, 7]), np.full(5, 30)).tolist() == [
        "leading",
        "racing",
        "racing",
        "advancing",
        "",
    ]


class TestStage:
    RULE = {"startup_max_age": 3, "startup_max_revenue": 1000, "mature_min_revenue": 20000}

    def stage(self, age, revenue):
        return rules.assign_stage(np.array([age], dtype=float), np.array([revenue], dtype=float), **self.RULE)[0]

    def test_young_is_startup_whatever_its_revenue(self):
        assert self.stage(2, 50000) == "startup"

    def test_small_revenue_is_startup_whatever_its_age(self):
        assert self.stage(10, 999.99) == "startup"

    def test_boundaries(self):
        assert self.stage(3, 1000) == "growth"
        assert self.stage(3, 19999.99) == "growth"
        assert self.stage(3, 20000) == "mature"

    def test_missing_age_is_not_young_and_missing_revenue_counts_as_zero(self):
        assert self.stage(np.nan, 5000) == "growth"
        assert self.stage(10, np.nan) == "startup"
        assert self.stage(np.nan, np.nan) == "startup"

    def test_zero_revenue(self):
        assert self.stage(8, 0) == "startup"
