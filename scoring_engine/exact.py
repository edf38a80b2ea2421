"""Exact, vectorised arithmetic for scoring: no binary fraction ever decides a band or a point.

**Values** are integers in ten-thousandths (`UNIT`): a figure of 1,100.11 万元 is 11,001,100
units. Filing figures and record sums have at most two decimals, so they are exact; ratios
and growth rates are computed exactly from them and kept to four decimals, rounded *down*
(toward −∞): 80.10 / 1,001.25 × 100 is exactly 8.0000 %, and 80.09 / 1,001.25 × 100 is
7.9990 %, never "8.00". A value on the four-decimal grid compares with any threshold of at
most four decimals exactly as the unrounded value would, so the four-decimal value is both
the value shown to the enterprise and the value every rule compares.

**Points** are exact fractions `num / den` (a scheme's parameters are decimals, turned into
`fractions.Fraction`) until the stage weight is applied; the weighted points are then
rounded once, to whole cents, half away from zero.

Arrays are int64 while no intermediate product can overflow (checked from the largest
magnitudes before each product) and Python integers (`object` arrays) otherwise, so the
usual case runs at NumPy speed and an extreme one stays exact.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np

UNIT = 10_000  # value units per 1 (four decimals)
# A ratio or growth rate beyond ±1,000,000,000 % is held at that bound: far beyond any
# threshold a scheme may set (rules.MAX_PARAMETER), and small enough that the value prints
# exactly as a JSON number.
MAX_RATE_UNITS = 1_000_000_000 * UNIT
_SAFE = 1 << 62


def _magnitude(x) -> int:
    if isinstance(x, np.ndarray):
        if x.size == 0:
            return 0
        return max(int(x.max()), -int(x.min()))  # no temporary array, unlike abs()
    return abs(int(x))


def _objects(x):
    return x.astype(object) if isinstance(x, np.ndarray) and x.dtype != object else x


def mul(a, b):
    """a × b exactly (arrays or ints): int64 when no product can overflow, else Python ints."""
    if _fits(a) and _fits(b) and _magnitude(a) * _magnitude(b) < _SAFE:
        return np.multiply(a, b, dtype=np.int64)
    return np.multiply(_objects(np.asarray(a)), _objects(np.asarray(b)))


def add(a, b):
    """a + b exactly, as `mul`."""
    if _fits(a) and _fits(b) and _magnitude(a) + _magnitude(b) < _SAFE:
        return np.add(a, b, dtype=np.int64)
    return np.add(_objects(np.asarray(a)), _objects(np.asarray(b)))


def _fits(x) -> bool:
    return (not isinstance(x, np.ndarray) or x.dtype != object) and _magnitude(x) < _SAFE


def where(mask, a, b):
    """np.where over exact integers (arrays or ints): int64 when both fit, else Python ints."""
    if _fits(a) and _fits(b):
        return np.where(mask, a, b).astype(np.int64)
    return np.where(mask, _objects(np.asarray(a)), _objects(np.asarray(b)))


def clip(x, low, high):
    """x held between the integers low and high, exactly."""
    return where(x < low, low, where(x > high, high, x))


def ints(numbers) -> np.ndarray:
    """Python integers as an array: int64 when every one fits, else Python ints (object)."""
    numbers = [int(n) for n in numbers]
    if all(abs(n) < _SAFE for n in numbers):
        return np.array(numbers, dtype=np.int64)
    return np.array(numbers + [None], dtype=object)[:-1]


def floor_div(num, den):
    """⌊num / den⌋ for den > 0 (arrays or ints), exact."""
    return np.floor_divide(num, den)


def round_div(num, den):
    """num / den rounded to an integer, half away from zero (den > 0), exact; int64 result."""
    twice = mul(np.abs(num), 2)
    magnitude = floor_div(add(twice, den), mul(den, 2))
    result = np.where(np.asarray(num) < 0, -magnitude, magnitude)
    return np.asarray(result).astype(np.int64)


def fraction(value) -> Fraction:
    """A scheme parameter (Decimal, text, int or float) as an exact fraction."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(value)
    return Fraction(Decimal(str(value)))


def threshold_units(value) -> int:
    """The least value (in units) that is ≥ `value`: V ≥ value ⇔ V ≥ threshold_units(value)
    for every integer V, whatever the decimals of `value`."""
    scaled = fraction(value) * UNIT
    return -((-scaled.numerator) // scaled.denominator)


@dataclass
class Values:
    """One indicator's values: `units` (int64, ten-thousandths) and `missing` (bool)."""

    units: np.ndarray
    missing: np.ndarray

    @classmethod
    def of(cls, numbers) -> "Values":
        """From float numbers (NaN = missing), taken to four decimals."""
        numbers = np.asarray(numbers, dtype=float)
        missing = ~np.isfinite(numbers)
        units = np.rint(np.where(missing, 0.0, numbers) * UNIT).astype(np.int64)
        return cls(units, missing)

    @classmethod
    def of_figures(cls, numbers) -> "Values":
        """From float figures with at most two decimals (万元, 人, counts): read as whole
        cents first, which is exact for any figure below 10¹³."""
        numbers = np.asarray(numbers, dtype=float)
        missing = ~np.isfinite(numbers)
        cents = np.rint(np.where(missing, 0.0, numbers) * 100).astype(np.int64)
        return cls(cents * (UNIT // 100), missing)

    def floats(self) -> np.ndarray:
        """The values as float (NaN where missing): the four-decimal value, for JSON and display."""
        return np.where(self.missing, np.nan, self.units / UNIT)

    def __len__(self):
        return len(self.units)


def ratio(numerator: Values, denominator: Values) -> Values:
    """numerator / denominator × 100 (a percentage) to four decimals, rounded down; missing
    where either is missing or the denominator is ≤ 0."""
    missing = numerator.missing | denominator.missing | (denominator.units <= 0)
    safe_denominator = np.where(missing, 1, denominator.units)
    units = floor_div(mul(np.where(missing, 0, numerator.units), 100 * UNIT), safe_denominator)
    units = np.clip(units, -MAX_RATE_UNITS, MAX_RATE_UNITS).astype(np.int64)
    return Values(np.where(missing, 0, units), missing)


def growth(current: Values, previous: Values) -> Values:
    """(current − previous) / previous × 100 to four decimals, rounded down; missing where
    either is missing or previous is ≤ 0. A fall is a negative rate."""
    change = Values(current.units - previous.units, current.missing | previous.missing)
    return ratio(change, previous)


@dataclass
class Points:
    """Exact points before the stage weight: num / den, den > 0 (one per row or shared)."""

    num: np.ndarray
    den: object
    # The percentile rule also says how each row was compared (see rules.percentile_points).
    below: np.ndarray | None = None
    scope: dict = field(default_factory=dict)

    @classmethod
    def constant(cls, mask: np.ndarray, value: Fraction) -> "Points":
        """`value` where `mask`, else 0."""
        return cls(where(mask, value.numerator, 0), value.denominator)

    def weighted_cents(self, weights) -> np.ndarray:
        """points × weight (a Fraction per row, given as int arrays of numerators and one
        common denominator) in whole cents, rounded half away from zero (int64)."""
        numerators, denominator = weights
        return round_div(mul(mul(self.num, numerators), 100), mul(self.den, denominator))

    def floats(self) -> np.ndarray:
        """The points as floats (for reading and tests; the engine uses `weighted_cents`)."""
        if _fits(self.num) and _fits(self.den):
            return np.asarray(self.num, dtype=float) / np.asarray(self.den, dtype=float)
        # Python's int / int is correctly rounded whatever the size of either.
        quotient = np.asarray(_objects(np.asarray(self.num))) / np.asarray(_objects(np.asarray(self.den)))
        return np.asarray(quotient, dtype=float)


def weights_of(per_row: list[Fraction], codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Stage weights as (numerator per row, common denominator) for `Points.weighted_cents`."""
    common = math.lcm(*(weight.denominator for weight in per_row))
    numerators = np.array([int(w * common) for w in per_row], dtype=np.int64)
    return numerators[codes], common


def _group_order(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """An order of the rows by group, then value (ties in any order): one integer sort of
    group × span + value when that fits in int64, else a two-key lexsort."""
    low, high = int(values.min()), int(values.max())
    group_low, group_high = int(groups.min()), int(groups.max())
    span = high - low + 1
    if group_low == group_high:
        return np.argsort(values)
    if group_low >= 0 and (group_high + 1) * span < _SAFE:
        return np.argsort((groups.astype(np.int64) * span) + (values - low))
    return np.lexsort((values, groups))


def rank_below(values: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each row, within its group, exactly: how many rows have a strictly lower value
    (`below`), how many share its value (`ties`, itself included), and how many are
    strictly below the group's highest value (`below_top`). Integer values, any order."""
    values = np.asarray(values)
    groups = np.asarray(groups)
    n = len(values)
    below = np.zeros(n, dtype=np.int64)
    ties = np.zeros(n, dtype=np.int64)
    below_top = np.zeros(n, dtype=np.int64)
    if n == 0:
        return below, ties, below_top
    order = _group_order(values, groups)
    v, g = values[order], groups[order]
    index = np.arange(n)
    new_group = np.r_[True, g[1:] != g[:-1]]
    new_value = new_group | np.r_[True, v[1:] != v[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, index, 0))
    run_start = np.maximum.accumulate(np.where(new_value, index, 0))
    # Ends, from the right: the last index of each row's value run and group.
    last_group = np.r_[g[1:] != g[:-1], True]
    last_value = last_group | np.r_[v[1:] != v[:-1], True]
    group_end = np.minimum.accumulate(np.where(last_group, index, n - 1)[::-1])[::-1]
    run_end = np.minimum.accumulate(np.where(last_value, index, n - 1)[::-1])[::-1]
    # The top run of a group starts where the group's last run starts.
    top_start = run_start[group_end]
    below[order] = run_start - group_start
    ties[order] = run_end - run_start + 1
    below_top[order] = top_start - group_start
    return below, ties, below_top
