"""Reading published results: what an enterprise sees on 积分结果查询 and what the public sees
on 优秀企业榜单. No writes here; publishing is `scoring_engine.publication`.

Everything is read from the run itself: the scheme as it was when the run was calculated
(`scheme_snapshot`), so a later edit of the scheme never changes how a published result reads.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pandas as pd
from django import forms
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from portal.core.forms import PortalForm
from portal.core.labels import INDUSTRY_CHOICES, year_label

from .models import (
    AMOUNT_FIELDS,
    CalculationRun,
    Category,
    EnterpriseResult,
    Kind,
    SchemeIndicator,
    Source,
    Stage,
    Tier,
)
from .rules import RULES, Case, RuleParams, approx, equals, fmt, round2

Status = CalculationRun.Status
STAGE_LABELS = dict(Stage.choices)
TIER_LABELS = dict(Tier.choices)
CATEGORY_LABELS = {c.value: f"{c.label}指标" for c in Category}
CATEGORY_ORDER = [c.value for c in Category]
# "C 制造业" → "制造业": the letter is for the form's list, not for tables.
INDUSTRY_LABELS = {code: label.split(" ", 1)[-1] for code, label in INDUSTRY_CHOICES}


def visible_runs(today: date | None = None):
    """Runs whose results enterprises and the public may see: 已发布, or 公示中 once 公示 has
    begun; never a trial run (which the database already keeps from being published)."""
    today = today or timezone.localdate()
    return CalculationRun.objects.filter(
        Q(status=Status.FINAL) | Q(status=Status.PUBLICITY, publicity_starts_on__lte=today), is_trial=False
    )


def in_publicity(run: CalculationRun, today: date | None = None) -> bool:
    """True while the run's 公示 is running (start and end dates included)."""
    today = today or timezone.localdate()
    return (
        run.status == Status.PUBLICITY
        and run.publicity_starts_on is not None
        and run.publicity_ends_on is not None
        and run.publicity_starts_on <= today <= run.publicity_ends_on
    )


# ---- the scheme of a run ---------------------------------------------------------------------

_INDICATOR_FIELDS = {f.name for f in SchemeIndicator._meta.concrete_fields} - {"id", "scheme"}


def indicator_definitions(run: CalculationRun) -> list[dict]:
    """The run's indicators as plain dicts: from its snapshot, else (older rows) from its scheme."""
    snapshot = run.scheme_snapshot or {}
    if snapshot.get("indicators"):
        return snapshot["indicators"]
    return [i.definition() for i in SchemeIndicator.objects.filter(scheme_id=run.scheme_id).order_by("sort_order")]


def indicators_of(run: CalculationRun) -> list[SchemeIndicator]:
    """Unsaved SchemeIndicator objects built from the run's definitions, for their descriptions:
    the names and amount labels of their record indicators read in two queries for all of them,
    not two per description."""
    from enterprise_business.models import IndicatorColumn, QualificationIndicator

    definitions = indicator_definitions(run)
    codes = {d.get("record_indicator") for d in definitions if d.get("record_indicator")}
    record_names = dict(QualificationIndicator.objects.filter(code__in=codes).values_list("code", "name")) \
        if codes else {}
    amounts = {}
    if codes:
        for code, label in IndicatorColumn.objects.filter(indicator__code__in=codes, role=IndicatorColumn.Role.AMOUNT) \
                .values_list("indicator__code", "label"):
            amounts.setdefault(code, label)  # the first by the columns' order, as record_terms
    indicators = []
    for definition in definitions:
        indicator = SchemeIndicator(**{k: v for k, v in definition.items() if k in _INDICATOR_FIELDS})
        # A run calculated before indicators were marked core or local says neither.
        indicator.kind = definition.get("kind", "")
        if indicator.record_indicator:
            indicator.known_record_terms = (record_names.get(indicator.record_indicator, indicator.record_indicator),
                                            amounts.get(indicator.record_indicator))
        indicators.append(indicator)
    return indicators


def rule_in_year(indicator: SchemeIndicator, run: CalculationRun) -> str:
    """The rule in words with the batch's years: "Y年研发费用" → "2024年研发费用"."""
    return year_label(indicator.rule_in_words(), run.batch.data_year)


def unit_of(indicator: SchemeIndicator) -> str:
    if indicator.source in (Source.RATIO, Source.GROWTH):
        return "%"
    if indicator.source == Source.RECORD_COUNT:
        return "项"
    if indicator.source == Source.RECORD_SUM or indicator.field in AMOUNT_FIELDS:
        return "万元"
    return "年" if indicator.field == "age" else "人"


def number(value, places=2) -> str:
    """A figure with a fixed number of decimals; "—" when missing."""
    if value is None or value == "":
        return "—"
    quantum = Decimal(1).scaleb(-places)
    return f"{Decimal(str(value)).quantize(quantum):,}"


def value_text(indicator: SchemeIndicator, value) -> str:
    """The value as compared: amounts with two decimals, counts whole, ratios and growth
    rates with the four decimals they were computed to (at least two: "10.00%", "7.999%")."""
    if value is None:
        return "无数据"
    unit = unit_of(indicator)
    if unit == "%":
        return f"{rate_text(value)}%"
    places = 0 if unit in ("人", "项", "年") else 2
    return f"{number(value, places)}{unit}"


def rate_text(value) -> str:
    """A percentage to four decimals without trailing zeros beyond two: 10 → "10.00",
    7.999 → "7.999", 6.6666 → "6.6666" (the engine keeps four, rounded down)."""
    text = f"{Decimal(str(value)).quantize(Decimal('0.0001')):,}"
    return text[:-2] + text[-2:].rstrip("0") if text.endswith("0") else text


# ---- one enterprise's result -----------------------------------------------------------------


@dataclass
class IndicatorRow:
    name: str
    value: str
    points: str
    full: str
    rule: str
    description: str = ""
    working: str = ""
    note: str = ""  # 地方指标, or which guideline indicator it stands in for


@dataclass
class CategoryBlock:
    code: str
    label: str
    points: str
    rows: list[IndicatorRow] = field(default_factory=list)


# Why a value can be missing, by the indicator's source (records are never missing: none is 0).
MISSING_REASONS = {
    Source.FIELD: "未填报该项数值",
    Source.RATIO: "分子或分母未填报，或分母为 0 或负数",
    Source.GROWTH: "本年或上年数值未填报，或上年数值为 0 或负数",
}


def explain(
    indicator: SchemeIndicator, detail: dict, result: EnterpriseResult, weight: Decimal
) -> tuple[str, Fraction | None]:
    """(working, weighted points before rounding) of `indicator` for `result`: the words of
    `indicator_working` without its last clause, and the exact points the rounding starts
    from (None when the run did not keep what is needed to work them out)."""
    value = detail.get("value")
    if value is None:
        reason = MISSING_REASONS.get(indicator.source, "缺少计算所需的数值")
        return f"无数据（{reason}），按规则计 0 分", Fraction(0)
    stage = STAGE_LABELS.get(result.stage, result.stage)
    scope = (result.run.percentile_groups or {}).get(indicator.code, {}).get(result.stage)
    case = Case(
        value=Decimal(str(value)),
        text=value_text(indicator, value),
        below=detail.get("below"),
        scope=scope,
        stage=stage,
        top_text=value_text(indicator, scope["top"]) if scope and scope.get("top") is not None else "",
    )
    text, raw = RULES[indicator.rule].explain(RuleParams.of(indicator), case)
    if raw is None:
        return text, None
    weighted = raw * Fraction(weight)
    if weight != 1:
        text += f"；{stage}权重 × {fmt(weight)}：{approx(raw)} × {fmt(weight)} {equals(weighted)} 分"
    return text, weighted


def indicator_working(indicator: SchemeIndicator, detail: dict, result: EnterpriseResult, weight: Decimal) -> str:
    """How the enterprise's value of `indicator` gave its points, in words it can check by
    hand: the value compared, the band, the percentile or the formula of the rule (from the
    rule's registry entry), the stage weight and the rounding to two decimals. One function
    for the results page and the 积分异议 screen (both go through `category_blocks`).

    A run calculated by an earlier version of the engine may hold points the rule, worked
    out as written, does not give; the working then says so instead of hiding it."""
    points = Decimal(str(detail.get("points", 0)))
    text, weighted = explain(indicator, detail, result, weight)
    if detail.get("value") is None:
        return text
    if weighted is None:
        return f"{text}，计 {number(points)} 分"
    worked = Decimal(weighted.numerator) / Decimal(weighted.denominator)
    worked = worked.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # half away from zero
    if worked != points:
        recorded = number(points)
        return f"{text}，按此应计 {number(worked)} 分，而本次计算记录为 {recorded} 分（该次计算早于现行计算程序）"
    rounding = "，四舍五入保留两位小数" if weighted != Fraction(points) else ""
    return f"{text}{rounding}，计 {number(points)} 分"


def category_blocks(result: EnterpriseResult) -> list[CategoryBlock]:
    """Per category: its points and each indicator with the value it came from, its points,
    the most it can give at the enterprise's stage, its rule in words and the working
    (`indicator_working`)."""
    blocks = {}
    for indicator in indicators_of(result.run):
        detail = result.details.get(indicator.code) or {}
        weight = Decimal(str(indicator.weight_for(result.stage) or 0))
        cap = Decimal(str(indicator.cap or 0)) * weight
        full = f"最多扣{number(cap)}" if indicator.category == Category.NEGATIVE else number(cap)
        block = blocks.setdefault(
            indicator.category,
            CategoryBlock(
                indicator.category,
                CATEGORY_LABELS.get(indicator.category, indicator.category),
                number(result.category_points.get(indicator.category, 0)),
            ),
        )
        rule = rule_in_year(indicator, result.run)
        if weight != 1:
            rule = f"{rule}；{STAGE_LABELS.get(result.stage, '')}权重×{number(weight).rstrip('0').rstrip('.')}"
        block.rows.append(
            IndicatorRow(
                indicator.name,
                value_text(indicator, detail.get("value")),
                number(detail.get("points", 0)),
                full,
                rule,
                indicator.description,
                indicator_working(indicator, detail, result, weight),
                indicator_note(indicator),
            )
        )
    return [blocks[c] for c in CATEGORY_ORDER if c in blocks]


def indicator_note(indicator: SchemeIndicator) -> str:
    """"地方指标" for the zone's own indicators, "代替指引中的“…”" for a core indicator that
    stands in for one the platform cannot collect, else ""."""
    if indicator.stands_in_for:
        return f"代替指引中的“{indicator.stands_in_for}”"
    return "地方指标" if indicator.kind == Kind.LOCAL else ""


@dataclass
class Standing:
    """Where a result stands, with the counts its rank and percentile come from (the tie
    rule of rules.competition_rank): overall and in its stage, how many enterprises there
    are, how many share its total (besides itself), how many are strictly below it and how
    many strictly below the first place."""

    size: int
    tied: int
    below: int
    below_top: int
    stage_size: int
    stage_tied: int
    stage_below: int
    stage_below_top: int


def standing(result: EnterpriseResult) -> Standing:
    """One query over the run's results (its (run, rank) and (run, stage, stage_rank) indexes)."""
    in_stage = Q(stage=result.stage)
    counts = EnterpriseResult.objects.filter(run_id=result.run_id).aggregate(
        size=Count("pk"),
        tied=Count("pk", filter=Q(rank=result.rank)),
        below=Count("pk", filter=Q(rank__gt=result.rank)),
        below_top=Count("pk", filter=Q(rank__gt=1)),
        stage_size=Count("pk", filter=in_stage),
        stage_tied=Count("pk", filter=in_stage & Q(stage_rank=result.stage_rank)),
        stage_below=Count("pk", filter=in_stage & Q(stage_rank__gt=result.stage_rank)),
        stage_below_top=Count("pk", filter=in_stage & Q(stage_rank__gt=1)),
    )
    counts["tied"] -= 1
    counts["stage_tied"] -= 1
    return Standing(**counts)


@dataclass
class StageComparison:
    size: int
    total_median: float
    rows: list[tuple[str, float, float]]  # (category label, the enterprise's points, the stage's median)


def stage_comparison(result: EnterpriseResult) -> StageComparison:
    """The enterprise's category points beside the median of its stage in the same run (one query)."""
    rows = list(
        EnterpriseResult.objects.filter(run_id=result.run_id, stage=result.stage).values_list(
            "category_points", "total"
        )
    )
    frame = pd.DataFrame([{**(points or {}), "total": float(total)} for points, total in rows])
    frame = frame.apply(pd.to_numeric, errors="coerce").fillna(0.0)
    medians = frame.median() if len(frame) else pd.Series(dtype=float)
    categories = [c for c in CATEGORY_ORDER if c in result.category_points or c in frame.columns]
    # A median of an even count can end in half a cent: rounded half away from zero, as points are.
    return StageComparison(
        size=len(rows),
        total_median=float(round2(medians.get("total", 0.0))),
        rows=[
            (
                CATEGORY_LABELS[c],
                float(round2(float(result.category_points.get(c, 0) or 0))),
                float(round2(medians.get(c, 0.0))),
            )
            for c in categories
        ],
    )


def bar_chart(rows: list[tuple[str, float, float]], width=560, bar=16, gap=4, label_height=22, group_gap=14):
    """Geometry of a grouped bar chart (本企业 beside 同阶段中位数), drawn as SVG by the template:
    each category's name on a line of its own, then its two bars, so that the chart reads at
    any width. Negative points (负面指标) grow left of the zero line."""
    values = [v for _, mine, median in rows for v in (mine, median)] or [0.0]
    low, high = min(0.0, *values), max(0.0, *values)
    if high == low:
        high = low + 1.0
    step = _nice_step((high - low) / 4)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    plot_left, plot_right = 10, width - 60
    legend_height, axis_height = 30, 24

    def x(value):
        return plot_left + (value - low) / (high - low) * (plot_right - plot_left)

    zero = x(0.0)
    groups, y = [], legend_height
    for label, mine, median in rows:
        label_y = y + label_height - 6
        y += label_height
        bars = []
        for kind, value in (("mine", mine), ("median", median)):
            start, end = sorted((zero, x(value)))
            bars.append(
                {
                    "kind": kind,
                    "value": f"{value:.2f}",
                    "x": round(start, 1),
                    "y": y,
                    "width": round(max(end - start, 1.0), 1),
                    "text_x": round(max(x(value), zero) + 4, 1),
                    "text_y": y + bar - 3,
                }
            )
            y += bar + gap
        groups.append({"label": label, "label_y": label_y, "bars": bars})
        y += group_gap
    bottom = y - group_gap
    ticks, value = [], low
    while value <= high + step / 2:
        ticks.append({"x": round(x(value), 1), "label": f"{value:g}"})
        value += step
    return {
        "width": width,
        "height": bottom + axis_height,
        "top": legend_height,
        "bottom": bottom,
        "zero": round(zero, 1),
        "ticks": ticks,
        "axis_y": bottom + 18,
        "groups": groups,
        "bar": bar,
        "legend_x": plot_left,
        "label_x": plot_left,
    }


def _nice_step(raw: float) -> float:
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


# How long the shared cache keeps a result's report (seconds): a day, since a run's results
# never change once it is calculated (a correction is a new run).
REPORT_SECONDS = 24 * 3600


def report(result: EnterpriseResult) -> dict:
    """What 积分结果查询 shows of `result` that its run fixed: {"blocks": category_blocks,
    "comparison": stage_comparison, "standing": standing, "charts": [("wide", bar_chart 560),
    ("narrow", bar_chart 320)], "run_size": enterprises in the run}. Kept in the shared cache
    per result and catalogue generation (the rules in words name qualification indicators,
    which staff may rename): a run's results are written once, so only its first visitor (and
    the first after a rename) pays the five queries and the Python."""
    from enterprise_business.qualifications.selectors import CATALOGUE

    key = f"results:report:{result.pk}:{CATALOGUE.generation.current()}"
    found = cache.get(key)
    if found is None:
        comparison = stage_comparison(result)
        found = {
            "blocks": category_blocks(result),
            "comparison": comparison,
            "standing": standing(result),
            # The same chart twice: wide for desktops, narrow for phones (CSS shows one), so its
            # text stays legible at either size.
            "charts": [("wide", bar_chart(comparison.rows, 560)), ("narrow", bar_chart(comparison.rows, 320))],
            "run_size": result.run.enterprise_count or EnterpriseResult.objects.filter(run_id=result.run_id).count(),
        }
        cache.set(key, found, REPORT_SECONDS)
    return found


def published_results(enterprise, today: date | None = None) -> list[EnterpriseResult]:
    """The enterprise's results in visible runs, newest data year first, one per batch (two
    queries: the results with their runs and batches)."""
    results = (
        EnterpriseResult.objects.filter(enterprise=enterprise, run__in=visible_runs(today))
        .select_related("run__batch")
        .order_by("-run__batch__data_year", "-run__batch_id", "-run__published_at", "-run_id")
    )
    seen, out = set(), []
    for result in results:
        if result.run.batch_id not in seen:
            seen.add(result.run.batch_id)
            out.append(result)
    return out


# ---- the public ranking ----------------------------------------------------------------------

RANKING_PAGE_SIZE = 50
RANKING_FIELDS = ("rank", "credit_code", "name", "industry", "stage", "total", "stage_rank", "tier")


def ranking_runs(today: date | None = None) -> list[CalculationRun]:
    """The visible run of each batch, newest data year first (one query)."""
    runs = (
        visible_runs(today).select_related("batch").order_by("-batch__data_year", "-batch_id", "-published_at", "-pk")
    )
    seen, out = set(), []
    for run in runs:
        if run.batch_id not in seen:
            seen.add(run.batch_id)
            out.append(run)
    return out


def ranking_limit(run: CalculationRun) -> int | None:
    """The last overall rank on the list: the top N, or the top percentage of the run's
    enterprises (rounded up, at least one). None: the list is the enterprises with a tier."""
    if run.ranking_top_n:
        return run.ranking_top_n
    if run.ranking_top_percent:
        count = run.enterprise_count or EnterpriseResult.objects.filter(run=run).count()
        return max(1, math.ceil(count * Decimal(run.ranking_top_percent) / 100))
    return None


def ranking_scope(run: CalculationRun) -> str:
    if run.ranking_top_n:
        return f"总排名前{run.ranking_top_n}名的企业"
    if run.ranking_top_percent:
        percent = format(Decimal(run.ranking_top_percent).normalize(), "f")
        return f"总排名前{percent}%的企业"
    return "各发展阶段内排名前20%（领跑、竞跑、进取梯队）的企业"


def ranking(run: CalculationRun, stage: str = "", industry: str = ""):
    """The run's list, filtered by stage and industry, in rank order (a queryset). Each row
    says whether another enterprise shares its rank (`tied`) and its stage rank
    (`stage_tied`), in the same query."""
    others = EnterpriseResult.objects.filter(run=OuterRef("run")).exclude(pk=OuterRef("pk"))
    results = EnterpriseResult.objects.filter(run=run).annotate(
        tied=Exists(others.filter(rank=OuterRef("rank"))),
        stage_tied=Exists(others.filter(stage=OuterRef("stage"), stage_rank=OuterRef("stage_rank"))),
    )
    limit = ranking_limit(run)
    results = results.filter(rank__lte=limit) if limit is not None else results.exclude(tier="")
    if stage:
        results = results.filter(stage=stage)
    if industry:
        results = results.filter(industry=industry)
    return results.only(*RANKING_FIELDS).order_by("rank", "credit_code")


class RankingFilter(PortalForm):
    """筛选 on the public list: batch, stage, industry (GET; an unknown value falls back to all)."""

    batch = forms.TypedChoiceField(label="积分批次", coerce=int, required=False)
    stage = forms.ChoiceField(label="发展阶段", required=False, choices=[("", "全部阶段"), *Stage.choices])
    industry = forms.ChoiceField(label="所属行业", required=False)

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].choices = [(run.batch_id, run.batch.name) for run in runs]
        self.fields["industry"].choices = [("", "全部行业"), *INDUSTRY_CHOICES]
        self.runs = runs

    def selected(self):
        """(run, stage, industry) from the valid fields; the newest batch when none is chosen."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        by_batch = {run.batch_id: run for run in self.runs}
        run = by_batch.get(data.get("batch")) or (self.runs[0] if self.runs else None)
        return run, data.get("stage", ""), data.get("industry", "")
