"""Test data for the 金融超市: the market with its banks, products, and published points results."""

import itertools
from decimal import Decimal

from django.utils import timezone

from finance_products.models import Bank, BankSectionPage, FinanceIndexPage, FinanceProductPage

_years = itertools.count(2030)


def make_market(site_tree, banks=(("大连银行", "dlbank"), ("招商银行", "cmb"))):
    index = site_tree.home.add_child(instance=FinanceIndexPage(title="金融超市", slug="finance"))
    index.save_revision().publish()
    sections = {}
    for name, slug in banks:
        bank = Bank.objects.create(name=name)
        section = index.add_child(instance=BankSectionPage(title=name, slug=slug, bank=bank))
        section.save_revision().publish()
        sections[slug] = section
    return index, sections


def make_product(
    section,
    slug,
    kind="points_loan",
    low=50,
    high=1000,
    min_rate="3.50",
    max_rate="4.50",
    live=True,
    min_points=None,
    tier="",
    stage="",
    title=None,
):
    page = FinanceProductPage(
        title=title or f"产品{slug}",
        slug=slug,
        product_type=kind,
        min_amount=Decimal(low),
        max_amount=Decimal(high),
        min_rate=Decimal(min_rate),
        max_rate=Decimal(max_rate),
        term="1年以内",
        guarantee="credit",
        live=live,
        min_points=min_points,
        tier=tier,
        stage=stage,
    )
    section.add_child(instance=page)
    if live:
        page.save_revision().publish()
    return page


def make_run(status="final", year=None, finalised_at=None, count=20):
    """A calculation run of a new batch, in `status` (final = published)."""
    from enterprise_business.models import Batch
    from scoring_engine.models import CalculationRun, Scheme

    year = year or next(_years)
    today = timezone.localdate()
    batch = Batch.objects.create(name=f"{year}年度创新积分数据填报", data_year=year, opens_on=today, closes_on=today)
    scheme = Scheme.objects.create(name=f"{year}年度积分方案")
    return CalculationRun.objects.create(
        batch=batch,
        scheme=scheme,
        status=status,
        enterprise_count=count,
        finalised_at=(finalised_at or timezone.now()) if status == "final" else None,
    )


def make_result(enterprise, run=None, total="72.50", stage="growth", tier="racing", rank=3, stage_rank=2):
    from scoring_engine.models import EnterpriseResult

    run = run or make_run()
    return EnterpriseResult.objects.create(
        run=run,
        enterprise=enterprise,
        credit_code=enterprise.credit_code,
        name=enterprise.display_name,
        industry="I",
        stage=stage,
        total=Decimal(total),
        rank=rank,
        percentile=Decimal("85.00"),
        stage_rank=stage_rank,
        stage_percentile=Decimal("90.00"),
        tier=tier,
        category_points={"innovation": "40.50", "operation": "22.00", "auxiliary": "10.00"},
        details={"rd_expense": {"value": "123.45", "points": "8"}},
    )


def approve_basic_info(enterprise, **fields):
    from enterprise_business.models import BasicInfo

    snapshot = {
        "name": enterprise.display_name,
        "legal_representative": "王晓明",
        "registered_capital": "1000",
        "established_on": "2016-05-20",
        "address": "大连市高新区黄浦路500号",
        "company_type": "有限责任公司",
        "registration_status": "存续",
        "industry": "I",
        "tech_field": "electronics",
        "enterprise_size": "small",
        "is_high_tech": "yes",
        "high_tech_certificate": "GR202321200123",
        "is_tech_sme": "no",
        "main_products": "工业软件",
        "contact_name": "王工",
        "contact_phone": "0411-84820327",
        "contact_email": "wang@example.cn",
        "website": "example.cn",
        "mailing_address": "大连市高新区黄浦路500号",
        **fields,
    }
    now = timezone.now()
    return BasicInfo.objects.create(
        enterprise=enterprise,
        status="approved",
        approved_at=now,
        decided_at=now,
        submitted_at=now,
        approved_snapshot=snapshot,
        **{k: v for k, v in snapshot.items() if k != "facts_self_reported"},
    )


def banker(bank_name, username=None):
    """A staff account in the bank's own group (金融机构·<bank>)."""
    from django.contrib.auth.models import Group

    from enterprise_business.tests.factories import make_staff

    bank = Bank.objects.get(name=bank_name)
    user = make_staff(username or f"staff-{bank.pk}-{Group.objects.count()}-{bank.staff_group.user_set.count()}")
    user.groups.add(bank.staff_group)
    return user
