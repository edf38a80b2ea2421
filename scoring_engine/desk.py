"""积分's panels of the programme desk (portal.core.desk): unanswered 积分异议, and, after a
run, the distributions — total points by stage (10-point bands) and by industry, the
indicators that separate the tiers, and the zone's totals year over year — each a chart with
a table of the same figures, and the same figures as an XLSX workbook (`write_workbook`).
Every figure is a fixed number of queries whatever the number of enterprises."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Case, Count, ExpressionWrapper, F, FloatField, Max, Min, Q, Sum, Value, When
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from enterprise_business.models import FilingStatus, PointsFiling
from portal.core import desk, workdays
from portal.core.exports import safe_cell
from portal.core.labels import INDUSTRY_CHOICES

from .admin_publication import ObjectionPolicy
from .models import CalculationRun, EnterpriseResult, Stage, Tier
from .objection_models import ScoreObjection

RESULTS_PERMISSION = "scoring_engine.view_enterpriseresult"
RUN_STATUSES = (CalculationRun.Status.CALCULATED, CalculationRun.Status.PUBLICITY, CalculationRun.Status.FINAL)
PUBLISHED = (CalculationRun.Status.PUBLICITY, CalculationRun.Status.FINAL)
BAND = 10  # points per band of the distribution
TWO = Decimal("0.01")
# The zone's totals compared year over year: (key, label, unit).
ZONE_FIGURES = (("enterprises", "参与计分企业数", "家"), ("points", "总积分合计", "分"), ("average", "平均积分", "分"),
                ("revenue", "营业收入合计", "万元"), ("rd_expense", "研发费用合计", "万元"),
                ("tax_paid", "上缴税费合计", "万元"), ("rd_staff", "研发人员合计", "人"))


@desk.register("score_objections", "未答复的积分异议", order=50,
               template="scoring_engine/admin/desk_objections.html",
               visible=lambda user: ObjectionPolicy(ScoreObjection).user_has_permission(user, "view"),
               counts=("scoring_engine.ScoreObjection", "scoring_engine.CalculationRun"))
def objections_panel(user, batch) -> dict:
    """The batch's pending objections (answered by 积分管理员): count and oldest age; one query."""
    row = ScoreObjection.objects.filter(status=ScoreObjection.Status.PENDING, result__run__batch=batch).aggregate(
        count=Count("pk"), oldest=Min("asked_at"))
    age = workdays.review_age(row["oldest"]) if row["oldest"] else None
    return {"count": row["count"], "oldest_age": age, "overdue": age is not None and age > workdays.REVIEW_WORKDAYS,
            "link": reverse("score_objections:index") + "?status=pending"}


def run_of(batch):
    """The run the distributions describe: the batch's latest published run, else its latest
    calculated one (never a trial); None before any. One query."""
    published_first = Case(When(status__in=PUBLISHED, then=Value(0)), default=Value(1))
    return (CalculationRun.objects.filter(batch=batch, is_trial=False, status__in=RUN_STATUSES)
            .order_by(published_first, "-started_at", "-pk").first())


def distributions(run) -> dict:
    """The figures of `run`: "bands" [{"label", "count", "by_stage": [counts per Stage]}],
    "stages" [(value, label)], "industries" [{"label", "count", "average", "highest"}],
    "separating" [{"name", "by_tier": [average points per tier], "gap"}] (the ten indicators
    whose average points differ most between 领跑 and the enterprises in no tier), "years"
    [{"year", figures of ZONE_FIGURES, "changes": {key: percent or None}}]. Six queries."""
    results = EnterpriseResult.objects.filter(run=run)
    stages = list(Stage.choices)
    counts = defaultdict(dict)
    floor = Floor(ExpressionWrapper(F("total") / Value(float(BAND)), output_field=FloatField()))
    grouped = results.annotate(band=floor).values_list("stage", "band").annotate(n=Count("pk")).order_by()
    for stage, band, count in grouped:
        counts[int(band)][stage] = count
    bands = []
    for band in range(min(counts, default=0), max(counts, default=-1) + 1):
        by_stage = [counts[band].get(value, 0) for value, _ in stages]
        bands.append({"label": f"{band * BAND}–{band * BAND + BAND}", "count": sum(by_stage), "by_stage": by_stage})
    names = dict(INDUSTRY_CHOICES)
    industries = [{"label": names.get(code, code or "未填"), "count": count, "average": _two(average),
                   "highest": highest}
                  for code, count, average, highest in results.values_list("industry").annotate(
                      n=Count("pk"), a=Avg("total"), h=Max("total")).order_by("industry")]
    return {"run": run, "bands": desk.bars(bands), "stages": stages,
            "industries": desk.bars(industries, value=lambda row: row["average"]),
            "separating": separating(run), "years": zone_years(run)}


def _two(value):
    return Decimal(value or 0).quantize(TWO)


def separating(run, top: int = 10) -> list[dict]:
    """The indicators that separate the tiers: each indicator's average points in each tier (and
    in none), the `top` with the largest gap between 领跑 and no tier first. One query reading
    every result's details (a few hundred bytes each)."""
    indicators = (run.scheme_snapshot or {}).get("indicators", [])
    tiers = [Tier.LEADING, Tier.RACING, Tier.ADVANCING, Tier.NONE]
    sums = defaultdict(lambda: defaultdict(Decimal))
    members = defaultdict(int)
    for tier, details in EnterpriseResult.objects.filter(run=run).values_list("tier", "details").iterator(2000):
        members[tier] += 1
        for code, detail in details.items():
            sums[code][tier] += Decimal(str(detail.get("points") or 0))
    rows = []
    for indicator in indicators:
        averages = [_two(sums[indicator["code"]][t] / members[t]) if members[t] else None for t in tiers]
        gap = (averages[0] or 0) - (averages[3] or 0)
        rows.append({"name": indicator["name"], "by_tier": averages, "gap": _two(gap), "count": _two(gap)})
    rows.sort(key=lambda row: -row["gap"])
    return desk.bars(rows[:top], value=lambda row: max(row["gap"], 0))


def zone_years(run) -> list[dict]:
    """The zone's totals per data year (`run` for its own year, each other year's published
    run) with the change on the year before, in percent; two queries."""
    results = EnterpriseResult.objects.filter(Q(run=run) | (Q(run__status__in=PUBLISHED, run__is_trial=False)
                                                            & ~Q(run__batch__data_year=run.batch.data_year)))
    rows = {year: {"year": year, "enterprises": n, "points": _two(total), "average": _two(average)}
            for year, n, total, average in results.values_list("run__batch__data_year").annotate(
                n=Count("pk"), t=Sum("total"), a=Avg("total")).order_by()}
    for year, revenue, rd, tax, staff in (
            PointsFiling.objects.filter(status=FilingStatus.APPROVED, batch__data_year__in=list(rows))
            .values_list("batch__data_year").annotate(Sum("revenue"), Sum("rd_expense"), Sum("tax_paid"),
                                                       Sum("rd_staff")).order_by()):
        rows[year].update(revenue=_two(revenue), rd_expense=_two(rd), tax_paid=_two(tax), rd_staff=staff or 0)
    ordered = [rows[year] for year in sorted(rows)]
    previous = None
    for row in ordered:
        row["changes"] = {key: _change(row.get(key), previous.get(key)) if previous else None
                          for key, _, _ in ZONE_FIGURES}
        row["cells"] = [(row.get(key, 0), row["changes"][key]) for key, _, _ in ZONE_FIGURES]
        row["label"], row["count"] = f"{row['year']}年", row["average"]
        previous = row
    return desk.bars(ordered, value=lambda row: row["average"])


def _change(now, before):
    if now is None or not before:
        return None
    return _two((Decimal(now) - Decimal(before)) * 100 / Decimal(before))


@desk.register("distributions", "积分分布", order=70, template="scoring_engine/admin/desk_distributions.html",
               visible=lambda user: user.has_perm(RESULTS_PERMISSION),
               # A run's results are written by COPY; the run's save as 已计算 (and each later
               # step's) starts the new generation.
               counts=("scoring_engine.CalculationRun", "scoring_engine.EnterpriseResult",
                       "enterprise_business.PointsFiling"))
def distributions_panel(user, batch) -> dict:
    run = run_of(batch)
    if run is None:
        return {"run": None}
    return {**distributions(run), "export_link": reverse("scoring_desk_export", args=[batch.pk]),
            "results_link": reverse("scoring_results:index") + f"?run={run.pk}",
            "figures": ZONE_FIGURES, "tier_labels": ["领跑", "竞跑", "进取", "未入梯队"]}


def write_workbook(batch, target) -> None:
    """The distributions of the batch's run (`run_of`) as an XLSX in `target`, one sheet per table."""
    run = run_of(batch)
    book = Workbook(write_only=True)
    figures = distributions(run) if run else None

    def sheet(title, heading, rows):
        ws = book.create_sheet(title)
        ws.append([safe_cell(h) for h in heading])
        for row in rows:
            ws.append([safe_cell(value) for value in row])

    if figures is None:
        sheet("说明", ["该批次尚无计算结果"], [])
    else:
        sheet("按阶段分布", ["积分区间", *[label for _, label in figures["stages"]], "合计"],
              [[band["label"], *band["by_stage"], band["count"]] for band in figures["bands"]])
        sheet("按行业", ["所属行业", "企业数", "平均积分", "最高积分"],
              [[row["label"], row["count"], row["average"], row["highest"]] for row in figures["industries"]])
        sheet("区分梯队的指标", ["指标", "领跑", "竞跑", "进取", "未入梯队", "领跑与未入梯队之差"],
              [[row["name"], *row["by_tier"], row["gap"]] for row in figures["separating"]])
        sheet("园区合计逐年变化", ["数据年度", *[f"{label}（{unit}）" for _, label, unit in ZONE_FIGURES],
                                *[f"{label}同比（%）" for _, label, _ in ZONE_FIGURES]],
              [[row["year"], *[value for value, _ in row["cells"]], *[change for _, change in row["cells"]]]
               for row in figures["years"]])
    book.save(target)


def filename(batch) -> str:
    return f"{batch.name}积分分布{timezone.localdate():%Y%m%d}.xlsx"
