"""XLSX export of a run's results for staff: one row per enterprise in rank order, Chinese
headers, every category and every indicator (its value and its points) as columns, and a
second sheet that says which run, scheme and inputs the figures come from.

openpyxl's write-only workbook keeps one row in memory at a time; the file is written to a
temporary file on disk (an XLSX is a zip, so it cannot be sent before it is complete) and
then streamed to the browser in chunks.
"""

from decimal import Decimal

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from portal.core.exports import safe_cell, xlsx_download

from .models import CalculationRun, EnterpriseResult
from .results import (
    CATEGORY_LABELS,
    CATEGORY_ORDER,
    INDUSTRY_LABELS,
    STAGE_LABELS,
    TIER_LABELS,
    indicators_of,
    rule_in_year,
    unit_of,
)

FIXED_HEADERS = [
    "总排名",
    "统一社会信用代码",
    "企业名称",
    "所属行业",
    "发展阶段",
    "阶段内排名",
    "梯队",
    "总积分",
    "百分位（%）",
    "阶段内百分位（%）",
]


def _number(value):
    return None if value is None else Decimal(str(value))


def write_workbook(run: CalculationRun, target) -> None:
    indicators = indicators_of(run)
    categories = [c for c in CATEGORY_ORDER if any(i.category == c for i in indicators)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("积分结果")
    bold = Font(bold=True)
    headers = [*FIXED_HEADERS, *(f"{CATEGORY_LABELS[c]}积分" for c in categories)]
    for indicator in indicators:
        unit = unit_of(indicator)
        headers += [f"{indicator.name}（取值，{unit}）", f"{indicator.name}（得分）"]
    header_cells = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=safe_cell(title))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    rows = (
        EnterpriseResult.objects.filter(run=run)
        .order_by("rank", "credit_code")
        .values_list(
            "rank",
            "credit_code",
            "name",
            "industry",
            "stage",
            "stage_rank",
            "tier",
            "total",
            "percentile",
            "stage_percentile",
            "category_points",
            "details",
        )
    )
    for (
        rank,
        code,
        name,
        industry,
        stage,
        stage_rank,
        tier,
        total,
        percentile,
        stage_percentile,
        category_points,
        details,
    ) in rows.iterator(chunk_size=2000):
        row = [
            rank,
            code,
            name,
            INDUSTRY_LABELS.get(industry, industry),
            STAGE_LABELS.get(stage, stage),
            stage_rank,
            TIER_LABELS.get(tier, "") if tier else "",
            total,
            percentile,
            stage_percentile,
        ]
        row += [_number((category_points or {}).get(c, 0)) for c in categories]
        for indicator in indicators:
            detail = (details or {}).get(indicator.code) or {}
            row += [_number(detail.get("value")), _number(detail.get("points"))]
        sheet.append([safe_cell(value) for value in row])

    about = book.create_sheet("说明")
    for label, value in (
        ("填报批次", run.batch.name),
        ("积分方案", (run.scheme_snapshot or {}).get("name") or str(run.scheme)),
        ("方案版本（SHA-256）", run.scheme_version),
        ("输入数据摘要（SHA-256）", run.input_hash),
        ("计算时间", f"{run.started_at:%Y-%m-%d %H:%M}"),
        ("状态", run.get_status_display()),
        (
            "公示期",
            f"{run.publicity_starts_on:%Y-%m-%d} 至 {run.publicity_ends_on:%Y-%m-%d}"
            if run.publicity_starts_on and run.publicity_ends_on
            else "—",
        ),
        ("企业数", run.enterprise_count),
    ):
        about.append([label, safe_cell(value)])
    about.append([])
    about.append(["指标", "计分规则"])
    for indicator in indicators:
        about.append([safe_cell(indicator.name), safe_cell(rule_in_year(indicator, run))])
    book.save(target)


def filename(run: CalculationRun) -> str:
    return f"{run.batch.name}积分结果（{run.started_at:%Y%m%d%H%M}）.xlsx"


def xlsx_response(run: CalculationRun) -> FileResponse:
    """The workbook, answered at once (a run of at most JOBS_EXPORT_INLINE_ROWS enterprises;
    portal.core.exports: safe cells, RFC 6266 name)."""
    return xlsx_download(lambda target: write_workbook(run, target), filename(run))


EXPORT_JOB = "scoring.export"  # a run of more than JOBS_EXPORT_INLINE_ROWS enterprises: jobs.export_job
