"""Reading published results: what an enterprise sees on 积分结果查询 and what the public sees
on 优秀企业榜单. No writes here; publishing is `scoring_engine.publication`.

Everything is read from the run itself: the scheme as it was when the run was calculated
(`scheme_snapshot`), so a later edit of the scheme never changes how a published result reads.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd
from django import forms
from django.db.models import Q
from django.utils import timezone

from portal.core.forms import PortalForm
from portal.core.labels import INDUSTRY_CHOICES, year_label

from .models import AMOUNT_FIELDS, CalculationRun, Category, EnterpriseResult, SchemeIndicator, Source, Stage, Tier

Status = CalculationRun.Status
STAGE_LABELS = dict(Stage.choices)
TIER_LABELS = dict(Tier.choices)
CATEGORY_LABELS = {c.value: f"{c.label}指标" for c in Category}
CATEGORY_ORDER = [c.value for c in Category]
# "C 制造业" → "制造业": the letter is for the form's list, not for tables.
INDUSTRY_LABELS = {code: label.split(" ", 1)[-1] for code, label in INDUSTRY_CHOICES}


def visible_runs(today: date | None = None):
    """Runs whose results enterprises and the public may see: 已发布, or 公示中 once 公示 has begun."""
    today = today or timezone.localdate()
    return CalculationRun.objects.filter(
        Q(status=Status.FINAL) | Q(status=Status.PUBLICITY, publicity_starts_on__lte=today)
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
    """Unsaved SchemeIndicator objects built from the run's definitions, for their descriptions."""
    from enterprise_business.models import QualificationIndicator

    definitions = indicator_definitions(run)
    codes = {d.get("record_indicator") for d in definitions if d.get("record_indicator")}
    record_names = dict(QualificationIndicator.objects.filter(code__in=codes).values_list("code", "name"))
    indicators = []
    for definition in definitions:
        indicator = SchemeIndicator(**{k: v for k, v in definition.items() if k in _INDICATOR_FIELDS})
        # One query for every record indicator's name instead of one per description.
        name = record_names.get(indicator.record_indicator, indicator.record_indicator)
        label = f"{indicator.record_kind}{name}" if indicator.record_kind else name
        indicator._record_label = lambda label=label: label
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
    if value is None:
        return "无数据"
    unit = unit_of(indicator)
    places = 0 if unit in ("人", "项", "年") else 2
    return f"{number(value, places)}{unit}"


# ---- one enterprise's result -----------------------------------------------------------------


@dataclass
class IndicatorRow:
    name: str
    value: str
    points: str
    full: str
    rule: str
    description: str = ""


@dataclass
class CategoryBlock:
    code: str
    label: str
    points: str
    rows: list[IndicatorRow] = field(default_factory=list)


def category_blocks(result: EnterpriseResult) -> list[CategoryBlock]:
    """Per category: its points and each indicator with the value it came from, its points,
    the most it can give at the enterprise's stage, and its rule in words."""
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
            )
        )
    return [blocks[c] for c in CATEGORY_ORDER if c in blocks]


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
    return StageComparison(
        size=len(rows),
        total_median=round(float(medians.get("total", 0.0)), 2),
        rows=[
            (
                CATEGORY_LABELS[c],
                round(float(result.category_points.get(c, 0) or 0), 2),
                round(float(medians.get(c, 0.0)), 2),
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
    """The run's list, filtered by stage and industry, in rank order (a queryset)."""
    results = EnterpriseResult.objects.filter(run=run)
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
