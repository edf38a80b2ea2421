"""Demo scoring data: 36 more approved enterprises with approved 2024 filings and qualification
records in the closed batch, then one run of the default scheme over every approved filing
of that batch, published (已发布) so that the ranking and the results page show real data.

Idempotent: enterprises are created once (by credit code) and the run only when the batch has
no published run yet. Figures are drawn from a seeded generator, so every `make run` builds
the same data. The synthetic accounts cannot log in (unusable passwords).
"""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from enterprise_business.demo import demo_licence_image
from enterprise_business.demo_registry import BUSINESSES, PREFIXES, SURNAMES
from enterprise_business.models import (
    BasicInfo,
    Batch,
    Enterprise,
    FilingStatus,
    PointsFiling,
    QualificationIndicator,
    QualificationRecord,
)
from portal.core.identifiers import credit_code_check_char, id_number_check_char

from .models import CalculationRun, Scheme
from .services import DEFAULT_SCHEME_NAME, start_run

COUNT = 36
SEED = 2024
INDUSTRY = {
    "软件": "I",
    "信息技术": "I",
    "智能装备": "C",
    "生物科技": "C",
    "新材料": "C",
    "环保科技": "N",
    "新能源": "C",
    "检测技术": "M",
    "海洋科技": "M",
    "精密仪器": "C",
}
TECH_FIELD = {
    "软件": "electronics",
    "信息技术": "electronics",
    "智能装备": "manufacturing",
    "生物科技": "biomedicine",
    "新材料": "materials",
    "环保科技": "environment",
    "新能源": "energy",
    "检测技术": "services",
    "海洋科技": "other",
    "精密仪器": "manufacturing",
}
GIVEN = ["建国", "海涛", "晓燕", "志远", "丽娜", "文杰", "思琪", "宏伟", "雪梅", "子豪", "婷婷", "国庆"]
LEVELS = ["国家级", "省级", "市级"]


def credit_code(n: int) -> str:
    first17 = f"91210231MA1K{n:05d}"
    return first17 + credit_code_check_char(first17)


def _amount(value: float) -> Decimal:
    return Decimal(f"{max(value, 0):.2f}")


def _figures(rng: random.Random, n: int) -> tuple[str, dict]:
    """(成立日期, points filing values): a mix of 初创期, 成长期 and 稳定期 enterprises."""
    kind = ("startup", "growth", "growth", "mature")[n % 4]
    if kind == "startup":
        founded = date(rng.choice([2021, 2022, 2023]), rng.randint(1, 12), rng.randint(1, 28))
        revenue = rng.uniform(120, 2500)
    elif kind == "growth":
        founded = date(rng.randint(2008, 2019), rng.randint(1, 12), rng.randint(1, 28))
        revenue = rng.uniform(1000, 18000)
    else:
        founded = date(rng.randint(1998, 2012), rng.randint(1, 12), rng.randint(1, 28))
        revenue = rng.uniform(21000, 90000)
    growth = rng.uniform(-0.25, 0.8)
    rd = revenue * rng.uniform(0.01, 0.16)
    staff = max(12, int(revenue / rng.uniform(40, 120)))
    staff = min(staff, 900)
    bachelor = int(staff * rng.uniform(0.3, 0.6))
    postgraduate = int(staff * rng.uniform(0.03, 0.2))
    social = int(staff * rng.uniform(0.85, 1.0))
    equity_begin = revenue * rng.uniform(0.3, 0.9)
    values = {
        "equity_begin": _amount(equity_begin),
        "equity_end": _amount(equity_begin * rng.uniform(0.9, 1.35)),
        "rd_expense": _amount(rd),
        "rd_expense_prev": _amount(rd / (1 + rng.uniform(-0.2, 0.6))),
        "revenue": _amount(revenue),
        "revenue_prev": _amount(revenue / (1 + growth)),
        "tax_paid": _amount(revenue * rng.uniform(0.02, 0.08)),
        "tax_paid_prev": _amount(revenue * rng.uniform(0.02, 0.08) / (1 + growth)),
        "rd_tax_deduction": _amount(rd * rng.uniform(0.05, 0.25)),
        "social_security": social,
        "social_security_prev": max(1, int(social / (1 + rng.uniform(-0.1, 0.4)))),
        "bachelor_count": bachelor,
        "postgraduate_count": postgraduate,
        "staff_total": staff,
        "graduates_hired": min(rng.randint(0, 15), staff),
        "rd_staff": int(staff * rng.uniform(0.08, 0.45)),
    }
    if founded.year >= 2023 and n % 8 == 0:  # too young for last year's figures
        values.update(revenue_prev=None, rd_expense_prev=None, tax_paid_prev=None, social_security_prev=None)
    return founded.isoformat(), values


def _records(rng: random.Random, n: int) -> list[tuple[str, str, float | None]]:
    """(indicator code, kind, amount) of one enterprise's qualification records."""
    young = n % 4 == 0
    records = []
    records += [("invention_patent", "有效", None)] * rng.choice([0, 0, 1, 2, 3, 5, 8, 12])
    records += [("utility_patent", "有效", None)] * rng.randint(0, 9)
    records += [("software_copyright", "", None)] * rng.randint(0, 12)
    records += [("trademark", f"第{rng.choice([9, 35, 42])}类", None)] * rng.randint(0, 4)
    records += [
        ("tech_contract", rng.choice(["技术开发", "技术服务", "技术转让"]), rng.uniform(8, 420))
        for _ in range(rng.choice([0, 0, 1, 2, 4]))
    ]
    if rng.random() < (0.3 if young else 0.65):
        records.append(("high_tech", "", None))
    if rng.random() < (0.7 if young else 0.35):
        records.append(("tech_sme", "", None))
    roll = rng.random()
    if roll < 0.1:
        records.append(("rd_institution", "国家级", None))
    elif roll < 0.3:
        records.append(("rd_institution", "省级", None))
    elif roll < 0.55:
        records.append(("rd_institution", "市级", None))
    records += [("sci_award", rng.choice(LEVELS), None)] * rng.choice([0, 0, 0, 1, 2])
    records += [("sci_project", rng.choice(LEVELS), rng.uniform(20, 300)) for _ in range(rng.choice([0, 0, 1, 2]))]
    if rng.random() < (0.45 if young else 0.12):
        records.append(("venture_capital", "", rng.uniform(100, 3000)))
    records += [("standard", rng.choice(["国家标准", "行业标准", "团体标准"]), None)] * rng.choice([0, 0, 0, 1, 2, 3])
    if rng.random() < 0.06:
        records.append(("negative_record", "行政处罚", None))
    return records


def _record_values(indicator, key: str, kind: str, amount, rng: random.Random) -> dict:
    values = {}
    for column in indicator.ordered_columns:
        if column.role == "key":
            values[column.key] = key
        elif column.role == "kind":
            values[column.key] = kind
        elif column.role == "amount":
            values[column.key] = f"{amount:.2f}"
        elif column.type == "date":
            values[column.key] = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        elif column.type == "integer":
            values[column.key] = "2024"
        elif column.type == "amount":
            values[column.key] = f"{(amount or 0) * 0.8:.2f}"
        else:
            values[column.key] = f"演示{indicator.name}{key[-3:]}"
    return values


def build_enterprises(batch, report) -> int:
    User = get_user_model()
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo figures, not a secret
    indicators = {i.code: i for i in QualificationIndicator.objects.prefetch_related("columns")}
    existing = set(
        Enterprise.objects.filter(credit_code__startswith="91210231MA1K").values_list("credit_code", flat=True)
    )
    now = timezone.now()
    licence_name = None
    made = 0
    for n in range(1, COUNT + 1):
        # Every enterprise draws its figures, made or not, so the sequence never shifts.
        founded, figures = _figures(rng, n)
        records = _records(rng, n)
        prefix, (business, scope) = PREFIXES[n % len(PREFIXES)], BUSINESSES[n % len(BUSINESSES)]
        contact = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
        code = credit_code(n)
        if code in existing:
            continue
        name = f"大连{prefix}{business}{'股份' if n % 5 == 0 else ''}有限公司"
        user = User.objects.create(username=code, email=f"scoring{n}@example.cn")
        user.set_unusable_password()
        user.save()
        id17 = f"2102031988{n % 12 + 1:02d}{n % 27 + 1:02d}{n:03d}"
        enterprise = Enterprise(
            user=user,
            credit_code=code,
            name=name,
            contact_name=contact,
            contact_id_number=id17 + id_number_check_char(id17),
            email=user.email,
            phone=f"1365011{n:04d}",
            consented_at=now,
            status=Enterprise.Status.APPROVED,
            reviewed_at=now,
        )
        if licence_name is None:
            enterprise.licence.save("licence.png", ContentFile(demo_licence_image(n)), save=False)
            licence_name = enterprise.licence.name
        else:
            enterprise.licence.name = licence_name
        enterprise.save()

        basic = BasicInfo(
            enterprise=enterprise,
            name=name,
            legal_representative=contact,
            registered_capital="1000.00",
            established_on=founded,
            address=f"辽宁省大连市高新技术产业园区软件园路{n}号",
            company_type="有限责任公司",
            business_scope=scope,
            registration_status="存续",
            mailing_address=f"辽宁省大连市高新技术产业园区软件园路{n}号",
            postcode="116023",
            industry=INDUSTRY[business],
            tech_field=TECH_FIELD[business],
            enterprise_size="small" if figures["staff_total"] < 100 else "medium",
            is_high_tech="no",
            is_tech_sme="no",
            main_products=f"{business}产品与技术服务",
            contact_name=contact,
            contact_phone=f"0411-8479{n:04d}",
            contact_email=user.email,
            status=FilingStatus.APPROVED,
            submitted_at=now,
            decided_at=now,
            approved_at=now,
        )
        basic.approved_snapshot = basic.snapshot()
        basic.save()

        filing = PointsFiling(
            enterprise=enterprise,
            batch=batch,
            filler_name=contact,
            filler_phone=f"1365011{n:04d}",
            status=FilingStatus.APPROVED,
            submitted_at=now,
            decided_at=now,
            approved_at=now,
            records_confirmed_at=now,
            **figures,
        )
        filing.approved_snapshot = filing.snapshot()
        filing.save()

        rows = []
        for position, (indicator_code, kind, amount) in enumerate(records, start=1):
            indicator = indicators.get(indicator_code)
            if indicator is None:
                continue
            key = f"DEMO-{n:03d}-{indicator_code}-{position:02d}"
            rows.append(
                QualificationRecord(
                    indicator=indicator,
                    batch=batch,
                    credit_code=code,
                    record_key=key,
                    values=_record_values(indicator, key, kind, amount, rng),
                    amount=None if amount is None else _amount(amount),
                    kind=kind,
                )
            )
        QualificationRecord.objects.bulk_create(rows)
        made += 1
    if made:
        report(f"积分演示企业：新建 {made} 家（含审核通过的基本信息、2024年度积分数据和资质记录）")
    return made


def build(report) -> None:
    batch = Batch.objects.filter(data_year=2024).order_by("pk").first()
    if batch is None:
        report("积分计算演示：没有2024年度填报批次，跳过")
        return
    build_enterprises(batch, report)
    if CalculationRun.objects.filter(batch=batch, status=CalculationRun.Status.FINAL).exists():
        return
    scheme = Scheme.objects.filter(name=DEFAULT_SCHEME_NAME).order_by("pk").first()
    if scheme is None:
        report("积分计算演示：没有默认积分方案，跳过")
        return
    admin = get_user_model().objects.filter(username="admin").first()
    run = start_run(batch, scheme, admin, background=False)
    if run.status != CalculationRun.Status.CALCULATED:
        raise RuntimeError(f"demo scoring run failed: {run.error}")
    tz = timezone.get_current_timezone()
    published = datetime(2025, 8, 1, 9, 0, tzinfo=tz)
    run.status = CalculationRun.Status.FINAL
    run.publicity_starts_on = date(2025, 8, 1)
    run.publicity_ends_on = date(2025, 8, 7)
    run.published_at = published
    run.published_by = admin
    run.finalised_at = published + timedelta(days=10)
    run.ranking_top_n = 20
    run.save()
    report(f"积分计算：{batch.name}按“{scheme.name}”计算 {run.enterprise_count} 家企业，已发布")
