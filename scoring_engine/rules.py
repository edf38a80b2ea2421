"""The scoring rules: a closed set of pure, vectorised functions (NumPy arrays in, arrays out).

Conventions shared by every rule:

- Input values are float64 arrays; NaN means "missing" (no figure filed, a ratio over a
  zero or missing denominator, a growth rate over a missing or non-positive previous year).
  **A missing value scores 0 points**, whatever the rule; no rule ever raises on it.
- Points lie between 0 and `cap` (a deduction between −`cap` and 0).
- Nothing here rounds; `round2` rounds the weighted points once, half away from zero.

The scheme picks a rule and its parameters per indicator (`SchemeIndicator.rule`); the engine
applies the stage weight afterwards.
"""

import numpy as np
import pandas as pd

# ---------------------------------------------------------------------------------------
# Values


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator × 100 (a percentage); NaN where the denominator is ≤ 0 or missing."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(all="ignore"):
        result = numerator / denominator * 100.0
    return np.where(denominator > 0, result, np.nan)


def growth(current: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """(current − previous) / previous × 100 (a percentage); NaN where previous is ≤ 0 or missing.

    A fall gives a negative rate (which then scores like any other low value).
    """
    current = np.asarray(current, dtype=float)
    previous = np.asarray(previous, dtype=float)
    with np.errstate(all="ignore"):
        result = (current - previous) / previous * 100.0
    return np.where(previous > 0, result, np.nan)


# ---------------------------------------------------------------------------------------
# Rules: value → points


def segments(values: np.ndarray, thresholds, points, cap: float) -> np.ndarray:
    """Step function: from each threshold up (inclusive), its points; below the first, 0.

    `thresholds` must rise. E.g. thresholds (0, 100, 500), points (0, 5, 10): 99 → 0,
    100 → 5, 499.99 → 5, 500 → 10. Points are capped at `cap`.
    """
    values = np.asarray(values, dtype=float)
    thresholds = np.asarray(thresholds, dtype=float)
    points = np.asarray(points, dtype=float)
    if thresholds.size == 0:
        return np.zeros_like(values)
    index = np.searchsorted(thresholds, np.nan_to_num(values, nan=-np.inf), side="right") - 1
    result = np.where(index >= 0, points[np.clip(index, 0, None)], 0.0)
    result = np.where(np.isnan(values), 0.0, result)
    return np.clip(result, 0.0, cap)


def percentile(values: np.ndarray, groups: np.ndarray, cap: float) -> np.ndarray:
    """cap × the enterprise's percentile within its group (stage).

    The percentile is the share of the *other* enterprises of the group (those with a value)
    that have a strictly lower value: the group's highest value gets the full `cap`, its lowest
    0, equal values equal points. A group with a single valued enterprise gives it the full cap.
    Missing values score 0 and are not counted in the group.
    """
    values = np.asarray(values, dtype=float)
    frame = pd.DataFrame({"value": values, "group": np.asarray(groups)})
    grouped = frame.groupby("group", sort=False)["value"]
    lower = grouped.rank(method="min", ascending=True) - 1  # how many strictly lower (NaN for missing)
    count = grouped.transform("count")
    with np.errstate(all="ignore"):
        share = np.where(count > 1, lower / (count - 1), 1.0)
    share = np.where(np.isnan(values), 0.0, share)
    return np.clip(share, 0.0, 1.0) * cap


def linear(values: np.ndarray, lower: float, upper: float, cap: float) -> np.ndarray:
    """0 at or below `lower`, `cap` at or above `upper`, proportional in between."""
    values = np.asarray(values, dtype=float)
    if upper <= lower:
        return np.where(values >= upper, cap, 0.0)
    share = np.clip((values - lower) / (upper - lower), 0.0, 1.0)
    return np.where(np.isnan(values), 0.0, share * cap)


def yes_no(values: np.ndarray, cap: float) -> np.ndarray:
    """`cap` when the value is positive (has at least one record, a positive figure), else 0."""
    values = np.asarray(values, dtype=float)
    return np.where(values > 0, cap, 0.0)


def bonus(values: np.ndarray, points: float, cap: float) -> np.ndarray:
    """`points` per item (the value is a count), at most `cap`; negative or missing values give 0."""
    values = np.asarray(values, dtype=float)
    return np.clip(np.nan_to_num(values, nan=0.0) * points, 0.0, cap)


def deduction(values: np.ndarray, points: float, cap: float) -> np.ndarray:
    """−`points` per item (e.g. per 失信或行政处罚记录), at most `cap` deducted; returns ≤ 0."""
    return -bonus(values, points, cap)


def round2(points: np.ndarray) -> np.ndarray:
    """Round to two decimals, half away from zero (2.675 → 2.68), robust to binary noise."""
    points = np.asarray(points, dtype=float)
    return np.sign(points) * np.floor(np.abs(points) * 100.0 + 0.5 + 1e-9) / 100.0


# ---------------------------------------------------------------------------------------
# Ranks and tiers


def competition_rank(totals: np.ndarray, groups: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(rank, percentile) of each total, within its group when groups are given.

    rank: "1224" competition ranking, highest total first; equal totals share a rank.
    percentile: share of the group's enterprises scoring strictly lower, in percent 0–100,
    rounded to two decimals. Totals are compared in whole cents, so float noise never splits
    a tie.
    """
    cents = np.rint(np.asarray(totals, dtype=float) * 100.0).astype(np.int64)
    frame = pd.DataFrame({"cents": cents, "group": 0 if groups is None else np.asarray(groups)})
    grouped = frame.groupby("group", sort=False)["cents"]
    rank = grouped.rank(method="min", ascending=False).to_numpy(dtype=np.int64)
    lower = grouped.rank(method="min", ascending=True).to_numpy(dtype=np.int64) - 1
    count = grouped.transform("count").to_numpy(dtype=np.int64)
    percent = round2(lower / count * 100.0)
    return rank, percent


# Tier thresholds, within stage: (tier, share of the stage's enterprises). See models.Tier.
TIER_SHARES = (("leading", 5), ("racing", 10), ("advancing", 20))


def tiers(stage_rank: np.ndarray, stage_size: np.ndarray) -> np.ndarray:
    """领跑 when stage_rank ≤ 5 % of the stage's enterprises (rounded down, but at least the
    first), 竞跑 ≤ 10 %, 进取 ≤ 20 % (rounded down), else "" — by competition rank, so tied
    enterprises share a tier."""
    stage_rank = np.asarray(stage_rank, dtype=np.int64)
    stage_size = np.asarray(stage_size, dtype=np.int64)
    result = np.full(stage_rank.shape, "", dtype=object)
    for tier, percent in reversed(TIER_SHARES):
        limit = stage_size * percent // 100
        if tier == "leading":
            limit = np.maximum(limit, 1)
        result = np.where(stage_rank <= limit, tier, result)
    return result


# ---------------------------------------------------------------------------------------
# Stage


def assign_stage(
    age: np.ndarray, revenue: np.ndarray, startup_max_age: float, startup_max_revenue: float, mature_min_revenue: float
) -> np.ndarray:
    """初创期 if age < startup_max_age or revenue < startup_max_revenue; else 稳定期 if revenue ≥
    mature_min_revenue; else 成长期. Unknown age is not young; unknown revenue counts as 0."""
    age = np.asarray(age, dtype=float)
    revenue = np.nan_to_num(np.asarray(revenue, dtype=float), nan=0.0)
    young = np.where(np.isnan(age), False, age < startup_max_age)
    startup = young | (revenue < startup_max_revenue)
    mature = ~startup & (revenue >= mature_min_revenue)
    return np.where(startup, "startup", np.where(mature, "mature", "growth")).astype(object)
