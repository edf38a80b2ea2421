"""Scored enterprises for the scoring tests: an approved account with approved basic
information and an approved points filing (the `approved_snapshot`, as the review machinery
leaves it), plus qualification records in force."""

import itertools
from datetime import date
from decimal import Decimal

from django.utils import timezone

from enterprise_business.models import (
    BasicInfo,
    Batch,
    FilingStatus,
    PointsFiling,
    QualificationIndicator,
    QualificationRecord,
)
from enterprise_business.tests.factories import make_enterprise

FIGURES = {
    "equity_begin": "1000.00",
    "equity_end": "1100.00",
    "rd_expense": "100.00",
    "rd_expense_prev": "80.00",
    "revenue": "2000.00",
    "revenue_prev": "1800.00",
    "tax_paid": "120.00",
    "tax_paid_prev": "100.00",
    "rd_tax_deduction": "20.00",
    "social_security": 50,
    "social_security_prev": 45,
    "bachelor_count": 20,
    "postgraduate_count": 5,
    "staff_total": 60,
    "graduates_hired": 3,
    "rd_staff": 15,
}
_keys = itertools.count(1)


def make_batch(year=2024, name=None):
    return Batch.objects.create(
        name=name or f"{year}年度创新积分数据填报",
        data_year=year,
        opens_on=date(year + 1, 6, 1),
        closes_on=date(year + 1, 7, 15),
    )


def make_scored_enterprise(
    batch, figures=None, *, established_on="2015-03-01", industry="C", name=None, records=None, enterprise=None
):
    """figures: overrides of FIGURES (None removes the value); records: {indicator code: [kind or
    (kind, amount), …]}."""
    enterprise = enterprise or make_enterprise()
    now = timezone.now()
    snapshot = {**FIGURES, **(figures or {})}
    BasicInfo.objects.update_or_create(
        enterprise=enterprise,
        defaults={
            "status": FilingStatus.APPROVED,
            "approved_at": now,
            "industry": industry,
            "approved_snapshot": {
                "name": name or enterprise.name,
                "established_on": established_on,
                "industry": industry,
            },
        },
    )
    filing = PointsFiling.objects.create(
        enterprise=enterprise,
        batch=batch,
        status=FilingStatus.APPROVED,
        approved_at=now,
        approved_snapshot={key: value for key, value in snapshot.items()},
    )
    add_records(batch, enterprise.credit_code, records or {})
    return filing


def add_records(batch, credit_code, records):
    indicators = {i.code: i for i in QualificationIndicator.objects.all()}
    rows = []
    for code, items in records.items():
        for item in items:
            kind, amount = item if isinstance(item, tuple) else (item, None)
            rows.append(
                QualificationRecord(
                    indicator=indicators[code],
                    batch=batch,
                    credit_code=credit_code,
                    record_key=f"K{next(_keys)}",
                    kind=kind or "",
                    amount=None if amount is None else Decimal(str(amount)),
                )
            )
    QualificationRecord.objects.bulk_create(rows)
