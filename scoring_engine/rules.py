"""The scoring rules: one registry of rules, each a vectorised function with its parameter
checks and its words.

Conventions shared by every rule (the arithmetic is exact: `scoring_engine.exact`):

- Values are `exact.Values`: ten-thousandths as integers, with a mask of missing values (no
  figure filed, a ratio over a zero or missing denominator, a growth rate over a missing or
  non-positive previous year). **A missing value scores 0 points**, whatever the rule; no
  rule ever raises on it.
- Points are exact fractions (`exact.Points`) between 0 and `cap` (a deduction between
  −`cap` and 0); the engine multiplies them by the stage weight and rounds once, to cents.
- Ties: equal values always get equal points. Where enterprises are compared with each other
  (the percentile rule, and the ranks of totals), one rule holds: an enterprise is counted
  as ahead of those strictly below it and level with those equal to it, the highest value(s)
  come first and the lowest last (see `percentile_points` and `competition_rank`).

`RULES` maps each rule's code to one `ScoringRule`: the indicator fields it takes
(`fields`), the checks of those fields (`check`), the rule in words for the scheme, the
admin and the results page (`words`), its points (`score`) and the working of one
enterprise's points for the results page and the 积分异议 screen (`explain`). The model
(`SchemeIndicator`: choices, validation, words), the admin (which fields a rule takes) and
the engine (the points) all dispatch through `RULES`; a new rule is one more entry here.
Each rule's function also has a float view (`segments`, `percentile`, …: float arrays in,
NaN for missing, float points out) for reading and testing.
"""

import functools
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError

from . import exact
from .exact import Points, Values

# ---------------------------------------------------------------------------------------
# Values


def ratio(numerator, denominator) -> np.ndarray:
    """numerator / denominator × 100 (a percentage, four decimals rounded down) as floats;
    NaN where the denominator is ≤ 0 or missing. Float view of `exact.ratio`."""
    return exact.ratio(Values.of(numerator), Values.of(denominator)).floats()


def growth(current, previous) -> np.ndarray:
    """(current − previous) / previous × 100 (four decimals rounded down) as floats; NaN where
    previous is ≤ 0 or missing. A fall gives a negative rate (which then scores like any
    other low value). Float view of `exact.growth`."""
    return exact.growth(Values.of(current), Values.of(previous)).floats()


def floats(exact_rule):
    """The float view of a rule function: float values in (NaN = missing), float points out."""

    @functools.wraps(exact_rule)
    def view(values, *args, **kwargs):
        values = values if isinstance(values, Values) else Values.of(values)
        return exact_rule(values, *args, **kwargs).floats()

    return view


# ---------------------------------------------------------------------------------------
# Parameters


def fmt(number) -> str:
    """A number without trailing zeros: Decimal("10.00") → "10", 2.50 → "2.5"; "" for None."""
    if number is None:
        return ""
    return format(Decimal(str(number)).normalize(), "f")


SEGMENT_PATTERN = re.compile(r"^\s*-?\d+(\.\d+)?\s*:\s*-?\d+(\.\d+)?\s*$")


def parse_segments(text: str) -> list[tuple[Decimal, Decimal]]:
    """Parse "0:0,100:5,500:10" → [(0, 0), (100, 5), (500, 10)]: from each threshold up, its points.

    Raises ValidationError (Chinese) on a malformed list or thresholds that do not rise.
    Full-width commas and colons are accepted.
    """
    text = (text or "").replace("，", ",").replace("：", ":").replace("；", ",").replace(";", ",")
    parts = [part for part in (p.strip() for p in text.split(",")) if part]
    if not parts:
        raise ValidationError("请填写分段，例如 0:0,100:5,500:10（门槛值:分值，门槛递增）。")
    steps = []
    for part in parts:
        if not SEGMENT_PATTERN.match(part):
            raise ValidationError(f"分段“{part}”的格式不对，应为 门槛值:分值，例如 100:5。")
        threshold, points = (Decimal(x.strip()) for x in part.split(":"))
        steps.append((threshold, points))
    thresholds = [t for t, _ in steps]
    if any(b <= a for a, b in zip(thresholds, thresholds[1:], strict=False)):
        raise ValidationError("分段的门槛值必须从小到大递增。")
    return steps


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class RuleParams:
    """The parameters of one indicator's rule, from a SchemeIndicator or from its definition
    (the dict a run keeps in `scheme_snapshot`, decimals as text)."""

    category: str = ""
    segments: str = ""
    lower: Decimal | None = None
    upper: Decimal | None = None
    points: Decimal | None = None
    cap: Decimal | None = None

    @classmethod
    def of(cls, indicator) -> "RuleParams":
        get = indicator.get if isinstance(indicator, dict) else lambda name: getattr(indicator, name, None)
        return cls(
            category=get("category") or "",
            segments=get("segments") or "",
            lower=_decimal(get("lower")),
            upper=_decimal(get("upper")),
            points=_decimal(get("points")),
            cap=_decimal(get("cap")),
        )

    @property
    def cap_fraction(self) -> Fraction:
        return exact.fraction(self.cap or 0)


class ScoringRule:
    """One rule of the closed set. Subclasses set `code`, `label` and `fields` (the
    SchemeIndicator fields the rule takes besides `cap`), implement `words`, `score` and
    `explain`, and `check` when they take fields."""

    code: str = ""
    label: str = ""
    fields: tuple[str, ...] = ()
    # Only 负面 indicators take a deducting rule, and a 负面 indicator takes nothing else.
    deducts: bool = False

    def check(self, params: RuleParams) -> dict[str, str | list[str]]:
        """Errors in the rule's own fields, by field name (Chinese); {} when they are right."""
        return {}

    def words(self, params: RuleParams, value: str) -> str:
        """The rule in one Chinese sentence, after `value` (what the indicator reads, in words)."""
        raise NotImplementedError

    def score(self, values: Values, groups: "Groups", params: RuleParams) -> Points:
        """Exact points of each value (before the stage weight)."""
        raise NotImplementedError

    def explain(self, params: RuleParams, case: "Case") -> tuple[str, Fraction | None]:
        """How one enterprise's value gave its points, in words it can check by hand, and
        those points (exact, before the stage weight; None when the run did not keep what is
        needed to work them out). Only called for a value that is not missing (a missing
        value scores 0 under every rule)."""
        raise NotImplementedError


@dataclass
class Case:
    """One enterprise's value of one indicator, as the results page explains it.

    value: the value compared (four decimals at most); text: the same with its unit
    ("10.00%"); below: for a percentile indicator, how many enterprises it was compared
    with have a strictly lower value; scope: whom its stage was compared with
    (CalculationRun.percentile_groups[code][stage]); stage: its stage's name (成长期);
    top_text: `scope["top"]` with its unit.
    """

    value: Decimal
    text: str
    below: int | None = None
    scope: dict | None = None
    stage: str = ""
    top_text: str = ""


def approx(number: Fraction) -> str:
    """An exact fraction in words: "2.5", or "≈2.6667" when it has more than four decimals."""
    scaled = number * 10_000
    if scaled.denominator == 1:
        return fmt(Decimal(scaled.numerator).scaleb(-4))
    rounded = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    return "≈" + fmt(Decimal(rounded if number >= 0 else -rounded).scaleb(-4))


def equals(number: Fraction) -> str:
    """"= 2.5", or "≈ 2.6667" when the fraction has more than four decimals."""
    text = approx(number)
    return f"≈ {text[1:]}" if text.startswith("≈") else f"= {text}"


RULES: dict[str, ScoringRule] = {}
# Thresholds and bounds stay within ±1,000,000,000, where every value is exact (exact.MAX_RATE_UNITS).
MAX_PARAMETER = Decimal(1_000_000_000)


@dataclass
class Groups:
    """Whom an enterprise is compared with: the enterprises of its group (`codes`: its stage),
    unless fewer than `min_size` enterprises of that group have a value; then the whole batch."""

    codes: np.ndarray
    min_size: int = 0


def register(rule_class: type[ScoringRule]) -> type[ScoringRule]:
    RULES[rule_class.code] = rule_class()
    return rule_class


# ---------------------------------------------------------------------------------------
# Rules: value → points. Each section: the exact vectorised function, its float view, then
# its registry entry.


def _common(*fractions: Fraction) -> int:
    return math.lcm(*(item.denominator for item in fractions))


def segment_points(values: Values, thresholds, points, cap) -> Points:
    """Step function: from each threshold up (inclusive), its points; below the first, 0.

    `thresholds` must rise. E.g. thresholds (0, 100, 500), points (0, 5, 10): 99 → 0,
    100 → 5, 499.99 → 5, 500 → 10. Points are kept between 0 and `cap`. A value exactly on
    a threshold gets that threshold's points (the comparison is exact).
    """
    cap = exact.fraction(cap)
    points = [exact.fraction(p) for p in points]
    if not points:
        return Points(np.zeros(len(values), dtype=np.int64), 1)
    denominator = _common(cap, *points)
    steps = exact.ints(min(max(p, Fraction(0)), cap) * denominator for p in points)
    bounds = exact.ints(exact.threshold_units(t) for t in thresholds)
    index = np.searchsorted(bounds, values.units, side="right") - 1
    return Points(exact.where((index >= 0) & ~values.missing, steps[np.clip(index, 0, None)], 0), denominator)


segments = floats(segment_points)


def _parameter_limit(name: str, numbers) -> dict:
    if any(abs(number) > MAX_PARAMETER for number in numbers):
        return {name: "门槛值、上下限的绝对值不能超过1000000000。"}
    return {}


@register
class Segments(ScoringRule):
    code, label, fields = "segments", "分段计分", ("segments",)

    def check(self, params):
        try:
            steps = parse_segments(params.segments)
        except ValidationError as error:
            return {"segments": error.messages}
        if params.cap is not None and any(points > params.cap for _, points in steps):
            return {"segments": "分段的分值不能超过满分值。"}
        return _parameter_limit("segments", [t for t, _ in steps])

    def words(self, params, value):
        try:
            steps = "，".join(f"达到{fmt(t)}得{fmt(p)}分" for t, p in parse_segments(params.segments))
        except ValidationError:
            steps = params.segments
        return f"{value}，分段计分：{steps}；满分{fmt(params.cap)}分"

    def score(self, values, groups, params):
        steps = parse_segments(params.segments)
        return segment_points(values, [t for t, _ in steps], [p for _, p in steps], params.cap_fraction)

    def explain(self, params, case):
        steps = parse_segments(params.segments)
        reached = [(t, p) for t, p in steps if case.value >= t]
        if not reached:
            return f"取值 {case.text}，低于最低门槛 {fmt(steps[0][0])}，得 0 分", Fraction(0)
        threshold, points = reached[-1]
        points = min(max(points, Decimal(0)), params.cap or Decimal(0))
        following = steps[len(reached)][0] if len(reached) < len(steps) else None
        short = f"、未达到下一门槛 {fmt(following)}" if following is not None else ""
        return f"取值 {case.text}，达到门槛 {fmt(threshold)}{short}，该段得 {fmt(points)} 分", exact.fraction(points)


def _factorized(codes) -> tuple[np.ndarray, np.ndarray]:
    labels, uniques = pd.factorize(np.asarray(codes), use_na_sentinel=False)
    return labels.astype(np.int64), uniques


def percentile_points(values: Values, groups, cap) -> Points:
    """cap × the enterprise's percentile within its group: the number of enterprises of the
    group with a value strictly lower than its own, divided by the number strictly lower
    than the group's highest value.

    So the highest value — shared or not — gets the full `cap`, the lowest 0, equal values
    equal points, and raising a value never lowers its points. A group whose valued
    enterprises all have the same value (or a group of one) gives each the full cap. Missing
    values score 0 and are not counted. `groups`: a `Groups` (a group with fewer than
    `min_size` valued enterprises is compared with every valued enterprise of the batch
    instead) or plain group codes.

    The result also carries, per row, `below` (the enterprises strictly lower, in the group
    it was compared with) and, per group code, `scope`: {"scope": "stage" | "batch",
    "min_size", "stage_count", "count", "below_top", "top"} — the figures the results page
    shows.
    """
    groups = groups if isinstance(groups, Groups) else Groups(np.asarray(groups))
    cap = exact.fraction(cap)
    codes, uniques = _factorized(groups.codes)
    valued = ~values.missing
    counts = np.bincount(codes[valued], minlength=len(uniques))
    pooled_group = counts < groups.min_size
    v, c = values.units[valued], codes[valued]
    below_stage, _, top_stage = exact.rank_below(v, c)
    below_batch, top_batch = below_stage, top_stage
    if pooled_group.any():
        below_batch, _, top_batch = exact.rank_below(v, np.zeros(len(v), dtype=np.int64))
    pooled = pooled_group[c]
    below_v = np.where(pooled, below_batch, below_stage)
    top_v = np.where(pooled, top_batch, top_stage)
    below = np.full(len(values), -1, dtype=np.int64)
    below[valued] = below_v
    # points = cap × below / top, or the full cap when nobody is below the top.
    top = np.ones(len(values), dtype=np.int64)
    top[valued] = np.maximum(top_v, 1)
    share_num = np.zeros(len(values), dtype=np.int64)
    share_num[valued] = np.where(top_v > 0, below_v, 1)
    result = Points(exact.mul(share_num, cap.numerator), exact.mul(top, cap.denominator), below)
    batch_top = int(v.max()) if len(v) else None
    for code, label in enumerate(uniques):
        members = c == code
        in_batch = bool(pooled_group[code])
        if in_batch:
            count, below_top, top_value = len(v), int(top_batch[0]) if len(v) else 0, batch_top
        else:
            count, below_top = int(counts[code]), int(top_stage[members][0]) if members.any() else 0
            top_value = int(v[members].max()) if members.any() else None
        result.scope[label.item() if hasattr(label, "item") else label] = {
            "scope": "batch" if in_batch else "stage",
            "min_size": groups.min_size,
            "stage_count": int(counts[code]),
            "count": count,
            "below_top": below_top,
            "top": None if top_value is None else top_value / exact.UNIT,
        }
    return result


percentile = floats(percentile_points)


@register
class Percentile(ScoringRule):
    code, label = "percentile", "同阶段百分位计分"

    def words(self, params, value):
        return f"{value}，在同阶段企业中的百分位×满分{fmt(params.cap)}分"

    def score(self, values, groups, params):
        return percentile_points(values, groups, params.cap_fraction)

    def explain(self, params, case):
        cap = params.cap_fraction
        scope = case.scope or {}
        if case.below is None or not scope:  # a run calculated before the counts were kept
            return f"取值 {case.text}，在同阶段企业中的百分位×满分 {fmt(params.cap)} 分（本次计算未记录比较明细）", None
        if scope["scope"] == "batch":
            where = (
                f"{case.stage}只有 {scope['stage_count']} 家企业有该项数值，少于方案规定的 {scope.get('min_size')} 家，"
                f"改在全批次有该项数值的 {scope['count']} 家企业中比较"
            )
        else:
            where = f"在{case.stage}有该项数值的 {scope['count']} 家企业中比较"
        if scope["below_top"] == 0:
            return (
                f"取值 {case.text}；{where}，各企业数值相同（均为最高值），得满分 {fmt(params.cap)} 分",
                cap,
            )
        below, top = case.below, scope["below_top"]
        points = cap * below / top
        return (
            f"取值 {case.text}；{where}：数值低于本企业的 {below} 家，低于最高值（{case.top_text}）的 {top} 家，"
            f"{fmt(params.cap)} × {below} ÷ {top} {equals(points)} 分",
            points,
        )


def linear_points(values: Values, lower, upper, cap) -> Points:
    """0 at or below `lower`, `cap` at or above `upper`, in exact proportion between (the
    bounds compared exactly, like a segment's threshold). Missing values score 0."""
    lower, upper, cap = exact.fraction(lower), exact.fraction(upper), exact.fraction(cap)
    v = values.units
    low_u, up_u = lower * exact.UNIT, upper * exact.UNIT
    at_or_above = exact.mul(v, up_u.denominator) >= up_u.numerator
    if upper <= lower:
        return Points.constant(at_or_above & ~values.missing, cap)
    at_or_below = exact.mul(v, low_u.denominator) <= low_u.numerator
    span = up_u - low_u
    # cap × (v − lower) / (upper − lower), every term over one denominator.
    denominator = cap.denominator * low_u.denominator * span.numerator
    offset = exact.add(exact.mul(v, low_u.denominator), -low_u.numerator)
    between = exact.mul(exact.mul(offset, span.denominator), cap.numerator)
    full = cap.numerator * low_u.denominator * span.numerator
    return Points(exact.where(at_or_below | values.missing, 0, exact.where(at_or_above, full, between)), denominator)


linear = floats(linear_points)


@register
class Linear(ScoringRule):
    code, label, fields = "linear", "区间线性计分", ("lower", "upper")

    def check(self, params):
        if params.lower is None or params.upper is None:
            return {"upper": "线性计分需要下限和上限。"}
        if params.upper <= params.lower:
            return {"upper": "上限必须大于下限。"}
        return _parameter_limit("upper", [params.lower, params.upper])

    def words(self, params, value):
        return (
            f"{value}，不高于{fmt(params.lower)}得0分，达到{fmt(params.upper)}得满分{fmt(params.cap)}分，其间按比例计分"
        )

    def score(self, values, groups, params):
        return linear_points(values, params.lower, params.upper, params.cap_fraction)

    def explain(self, params, case):
        cap = params.cap_fraction
        if case.value <= params.lower:
            return f"取值 {case.text}，不高于下限 {fmt(params.lower)}，得 0 分", Fraction(0)
        if case.value >= params.upper:
            return f"取值 {case.text}，达到上限 {fmt(params.upper)}，得满分 {fmt(params.cap)} 分", cap
        points = cap * (exact.fraction(case.value) - exact.fraction(params.lower)) / (
            exact.fraction(params.upper) - exact.fraction(params.lower)
        )
        low, high = fmt(params.lower), fmt(params.upper)
        return (
            f"取值 {case.text}，在下限 {low} 与上限 {high} 之间："
            f"{fmt(params.cap)} × ({fmt(case.value)} − {low}) ÷ ({high} − {low}) {equals(points)} 分",
            points,
        )


def yes_no_points(values: Values, cap) -> Points:
    """`cap` when the value is positive (has at least one record, a positive figure), else 0."""
    return Points.constant((values.units > 0) & ~values.missing, exact.fraction(cap))


yes_no = floats(yes_no_points)


@register
class YesNo(ScoringRule):
    code, label = "yes_no", "有/无"

    def words(self, params, value):
        return f"{value}，有则得{fmt(params.cap)}分，无则0分"

    def score(self, values, groups, params):
        return yes_no_points(values, params.cap_fraction)

    def explain(self, params, case):
        if case.value > 0:
            return f"取值 {case.text}，大于 0，得 {fmt(params.cap)} 分", params.cap_fraction
        return f"取值 {case.text}，不大于 0，得 0 分", Fraction(0)


def _per_item_check(params):
    if params.points is None or params.points <= 0:
        return {"points": "加分、减分规则需要大于0的每项分值。"}
    return {}


def _per_item_working(params, case, verb: str) -> tuple[str, Fraction]:
    """"3 项 × 每项 2 分 = 6 分（最多加 6 分）" and the points (not negated)."""
    count = max(case.value, Decimal(0))
    product = exact.fraction(count) * exact.fraction(params.points)
    points = min(product, params.cap_fraction)
    limit = f"，超过最多{verb}的 {fmt(params.cap)} 分，按 {fmt(params.cap)} 分计" if product > points else ""
    each = fmt(params.points)
    return f"取值 {case.text}，每项{verb} {each} 分：{fmt(count)} × {each} {equals(product)} 分{limit}", points


def bonus_points(values: Values, points, cap) -> Points:
    """`points` per item (the value is a count), at most `cap`; negative or missing values give 0."""
    points, cap = exact.fraction(points), exact.fraction(cap)
    denominator = exact.UNIT * points.denominator * cap.denominator
    num = exact.mul(exact.mul(np.where(values.missing, 0, values.units), points.numerator), cap.denominator)
    limit = cap.numerator * exact.UNIT * points.denominator
    return Points(exact.clip(num, 0, limit), denominator)


bonus = floats(bonus_points)


@register
class Bonus(ScoringRule):
    code, label, fields = "bonus", "加分（每项固定分值）", ("points",)

    def check(self, params):
        return _per_item_check(params)

    def words(self, params, value):
        return f"{value}，每项加{fmt(params.points)}分，最多加{fmt(params.cap)}分"

    def score(self, values, groups, params):
        return bonus_points(values, params.points, params.cap_fraction)

    def explain(self, params, case):
        return _per_item_working(params, case, "加")


def deduction_points(values: Values, points, cap) -> Points:
    """−`points` per item (e.g. per 失信或行政处罚记录), at most `cap` deducted; ≤ 0."""
    added = bonus_points(values, points, cap)
    return Points(-added.num, added.den)


deduction = floats(deduction_points)


@register
class Deduction(ScoringRule):
    code, label, fields, deducts = "deduction", "减分（每项固定分值）", ("points",), True

    def check(self, params):
        errors = _per_item_check(params)
        if params.category != "negative":
            errors["category"] = "减分规则只能用于负面指标。"
        return errors

    def words(self, params, value):
        return f"{value}，每项扣{fmt(params.points)}分，最多扣{fmt(params.cap)}分"

    def score(self, values, groups, params):
        return deduction_points(values, params.points, params.cap_fraction)

    def explain(self, params, case):
        text, points = _per_item_working(params, case, "扣")
        return text, -points


# Every field some rule takes, in a stable order (the admin shows them in one row).
PARAMETER_FIELDS = tuple(dict.fromkeys(name for rule in RULES.values() for name in rule.fields))


def rule_points(values, groups, indicator) -> Points:
    """The exact points of `values` (`Values`, or floats with NaN for missing) under
    `indicator`'s rule (a SchemeIndicator or its definition); `groups`: a `Groups` or the
    stage codes. Raises ValueError on a rule that is not in RULES."""
    code = indicator["rule"] if isinstance(indicator, dict) else indicator.rule
    if code not in RULES:
        raise ValueError(f"unknown rule {code!r}")
    values = values if isinstance(values, Values) else Values.of(values)
    groups = groups if isinstance(groups, Groups) else Groups(np.asarray(groups))
    return RULES[code].score(values, groups, RuleParams.of(indicator))


FIELD_NAMES = {"segments": "分段", "lower": "线性下限", "upper": "线性上限", "points": "每项分值"}


def rule_help() -> str:
    """Which fields each rule takes, for the admin's 计分规则 field."""
    return "；".join(
        f"{rule.label}：{'、'.join(FIELD_NAMES[name] for name in rule.fields) or '只需满分值'}"
        for rule in RULES.values()
    ) + "。"


def round2(points: np.ndarray) -> np.ndarray:
    """Round to two decimals, half away from zero (2.675 → 2.68), robust to binary noise."""
    points = np.asarray(points, dtype=float)
    return np.sign(points) * np.floor(np.abs(points) * 100.0 + 0.5 + 1e-9) / 100.0


# ---------------------------------------------------------------------------------------
# Ranks and tiers


def competition_rank(totals, groups=None) -> tuple[np.ndarray, np.ndarray]:
    """(rank, percentile) of each total, within its group when groups are given.

    One tie rule for both (the same as the percentile rule's): equal totals are level.
    rank: 1 + the number of enterprises with a strictly higher total ("1224" competition
    ranking: tied enterprises share the best place, the next place is skipped).
    percentile: the number of enterprises with a strictly lower total ÷ the number strictly
    lower than the highest total, in percent with two decimals (half away from zero): the
    first place, tied or not, is 100.00, the last 0.00; a group whose totals are all equal
    is 100.00 throughout. `totals`: whole cents (int) or points (float, read to the cent).
    """
    totals = np.asarray(totals)
    cents = totals.astype(np.int64) if totals.dtype.kind in "iu" else np.rint(totals * 100.0).astype(np.int64)
    codes = np.zeros(len(cents), dtype=np.int64) if groups is None else _factorized(groups)[0]
    below, ties, below_top = exact.rank_below(cents, codes)
    sizes = np.bincount(codes, minlength=int(codes.max(initial=-1)) + 1)[codes] if len(codes) else codes
    rank = sizes - below - ties + 1
    hundredths = np.where(below_top > 0, exact.round_div(below * 10_000, np.maximum(below_top, 1)), 10_000)
    return rank.astype(np.int64), hundredths / 100.0


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
