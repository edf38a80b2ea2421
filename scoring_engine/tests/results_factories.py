"""Calculation runs with results written directly (no engine), for the publication, results and
ranking tests: totals fall by three points per enterprise, stages rotate 成长期/初创期/稳定期."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import numpy as np
from django.utils import timezone

from enterprise_business.models import Batch
from enterprise_business.tests.factories import make_enterprise
from scoring_engine import rules
from scoring_engine.default_scheme import install_default_scheme
from scoring_engine.models import CalculationRun, EnterpriseResult, Scheme, SchemeIndicator

STAGES = ("growth", "startup", "mature")


def make_batch(year=2024):
    return Batch.objects.create(
        name=f"{year}年度创新积分数据填报",
        data_year=year,
        opens_on=timezone.localdate() - timedelta(days=60),
        closes_on=timezone.localdate() - timedelta(days=30),
    )


def make_run(
    batch,
    enterprises=None,
    *,
    count=10,
    status=CalculationRun.Status.CALCULATED,
    top_n=None,
    top_percent=None,
    publicity_days=(0, 7),
    shift=0,
    industry="C",
):
    """A finished run of `batch` over `enterprises` (or `count` new ones). `shift` lowers the
    first enterprise's points so that later runs can change the order. A run in 公示 or final
    gets 公示 dates relative to today from `publicity_days`."""
    # The data migration's default scheme; browser tests (flushed between tests) install it again.
    scheme = Scheme.objects.order_by("pk").first() or install_default_scheme(Scheme, SchemeIndicator)
    definition = scheme.definition()
    enterprises = enterprises or [make_enterprise() for _ in range(count)]
    today = timezone.localdate()
    now = timezone.now()
    published = status in (
        CalculationRun.Status.PUBLICITY,
        CalculationRun.Status.FINAL,
        CalculationRun.Status.SUPERSEDED,
    )
    run = CalculationRun.objects.create(
        batch=batch,
        scheme=scheme,
        scheme_version=Scheme.version_of(definition),
        scheme_snapshot=definition,
        status=status,
        finished_at=now,
        progress=100,
        enterprise_count=len(enterprises),
        ranking_top_n=top_n,
        ranking_top_percent=top_percent,
        publicity_starts_on=today + timedelta(days=publicity_days[0]) if published else None,
        publicity_ends_on=today + timedelta(days=publicity_days[1]) if published else None,
        published_at=now if published else None,
        finalised_at=now if status == CalculationRun.Status.FINAL else None,
    )
    indicators = definition["indicators"]
    rows = []
    for i, enterprise in enumerate(enterprises):
        base = Decimal(100 - 3 * i - (shift if i == 0 else 0))
        each = (base / len(indicators)).quantize(Decimal("0.01"))
        # 负面 indicators deduct: every third enterprise loses a point on each.
        points = {ind["code"]: -Decimal(i % 3 == 2) if ind["category"] == "negative" else each for ind in indicators}
        details = {ind["code"]: {"value": float(10 + i), "points": float(points[ind["code"]])} for ind in indicators}
        categories = Counter()
        for ind in indicators:
            categories[ind["category"]] += points[ind["code"]]
        rows.append(
            {
                "enterprise": enterprise,
                "total": sum(categories.values()),
                "stage": STAGES[i % 3],
                "details": details,
                "categories": {k: float(v) for k, v in categories.items()},
            }
        )
    totals = np.array([float(r["total"]) for r in rows])
    stages = np.array([r["stage"] for r in rows], dtype=object)
    rank, percent = rules.competition_rank(totals)
    stage_rank, stage_percent = rules.competition_rank(totals, stages)
    sizes = Counter(stages)
    tiers = rules.tiers(stage_rank, np.array([sizes[s] for s in stages]))
    EnterpriseResult.objects.bulk_create(
        [
            EnterpriseResult(
                run=run,
                enterprise=r["enterprise"],
                credit_code=r["enterprise"].credit_code,
                name=r["enterprise"].name,
                industry=industry,
                stage=r["stage"],
                total=r["total"],
                category_points=r["categories"],
                details=r["details"],
                rank=int(rank[i]),
                percentile=Decimal(str(percent[i])),
                stage_rank=int(stage_rank[i]),
                stage_percentile=Decimal(str(stage_percent[i])),
                tier=tiers[i],
            )
            for i, r in enumerate(rows)
        ]
    )
    return run
