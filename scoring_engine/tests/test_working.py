"""Defensible results: every indicator's points explained in words that reproduce them, the
tie rule shown the same way on the results page and the ranking, the small-stage fallback
said on the page, and the 积分异议 screen showing staff the enterprise's own working."""

import random
import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from enterprise_business.tests.factories import make_staff
from portal.core import roles
from scoring_engine import publication
from scoring_engine.models import CalculationRun, EnterpriseResult
from scoring_engine.results import category_blocks, explain, indicators_of
from scoring_engine.services import default_scheme, start_run

from .factories import make_scored_enterprise

pytestmark = pytest.mark.django_db
S = CalculationRun.Status


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def varied_batch(batch, count=16, seed=5):
    """Enterprises of every stage with figures and records that reach every kind of band."""
    rng = random.Random(seed)  # noqa: S311 - fixed test data
    filings = []
    for n in range(count):
        revenue = rng.choice([400, 1500, 3000, 8000, 26000]) + rng.randint(0, 9999) / 100
        staff = rng.randint(5, 300)
        figures = {
            "revenue": f"{revenue:.2f}",
            "revenue_prev": rng.choice([None, "0.00", f"{revenue * rng.uniform(0.6, 1.4):.2f}"]),
            "rd_expense": f"{revenue * rng.uniform(0, 0.15):.2f}",
            "rd_expense_prev": f"{revenue * rng.uniform(0, 0.12):.2f}",
            "rd_tax_deduction": f"{rng.randint(0, 5000) / 100:.2f}",
            "tax_paid": f"{revenue * 0.05:.2f}",
            "tax_paid_prev": f"{revenue * rng.uniform(0.03, 0.07):.2f}",
            "equity_begin": f"{rng.randint(100, 9000):.2f}",
            "equity_end": f"{rng.randint(100, 9000):.2f}",
            "staff_total": staff,
            "rd_staff": rng.randint(0, staff),
            "bachelor_count": rng.randint(0, staff // 2),
            "postgraduate_count": rng.randint(0, staff // 4),
            "graduates_hired": rng.randint(0, 12),
            "social_security": rng.randint(1, 300),
            "social_security_prev": rng.randint(0, 300),
        }
        records = {
            "invention_patent": [""] * rng.randint(0, 11),
            "utility_patent": [""] * rng.randint(0, 7),
            "high_tech": [""] * rng.randint(0, 1),
            "tech_contract": [("", rng.randint(1, 600))] * rng.randint(0, 2),
            "sci_project": [("省级", rng.randint(10, 150))] * rng.randint(0, 2),
            "venture_capital": [("", rng.randint(1, 1500))] * rng.randint(0, 1),
            "rd_institution": [rng.choice(["国家级", "省级"])] * rng.randint(0, 1),
            "standard": [""] * rng.randint(0, 4),
            "trademark": [""] * rng.randint(0, 6),
            "negative_record": [""] * (n % 7 == 0),
        }
        founded = rng.choice(["2023-04-01", "2010-06-01", "2016-01-01"])
        filings.append(make_scored_enterprise(batch, figures, established_on=founded, records=records))
    return filings



def test_every_working_reproduces_the_stored_points(batch):
    varied_batch(batch)
    run = start_run(batch, default_scheme(batch), background=False)
    assert run.status == S.CALCULATED, run.error
    indicators = indicators_of(run)
    checked = 0
    for result in EnterpriseResult.objects.filter(run=run).select_related("run"):
        for indicator in indicators:
            detail = result.details[indicator.code]
            weight = indicator.weight_for(result.stage)
            words, weighted = explain(indicator, detail, result, Decimal(str(weight)))
            exact = Decimal(weighted.numerator) / Decimal(weighted.denominator)
            rounded = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # half away from zero
            assert rounded == Decimal(str(detail["points"])), (indicator.code, words, detail)
            checked += 1
        for block in category_blocks(result):
            for row in block.rows:
                assert row.working.endswith(f"计 {row.points} 分") or row.working.startswith("无数据")
    assert checked == 16 * len(indicators)


def test_a_small_stage_says_it_was_compared_with_the_whole_batch(client, batch):
    young = make_scored_enterprise(batch, {"rd_expense": "30.00"}, established_on="2023-04-01")
    for n in range(3):
        make_scored_enterprise(batch, {"rd_expense": f"{40 + n}.00"})
    run = start_run(batch, default_scheme(batch), background=False)
    CalculationRun.objects.filter(pk=run.pk).update(status=S.FINAL, finalised_at=timezone.now())
    client.force_login(young.enterprise.user)
    page = text(client.get("/enterprise/results/"))
    assert "初创期只有 1 家企业有该项数值，少于方案规定的 10 家，改在全批次有该项数值的 4 家企业中比较" in page
    # 30 is the lowest of 30, 40, 41, 42: 0 below it, 3 below the top.
    assert "数值低于本企业的 0 家，低于最高值（42.00万元）的 3 家" in page


@pytest.fixture
def tied_run(batch):
    """Seven enterprises, six with the same figures and one with less: the issue's 第 1 名
    next to 超过 14.29%."""
    leaders = [make_scored_enterprise(batch, name=f"并列企业{n}") for n in range(6)]
    make_scored_enterprise(batch, {"rd_expense": "10.00", "revenue_prev": "1999.00"}, name="第七名企业")
    run = start_run(batch, default_scheme(batch), background=False)
    today = timezone.localdate()
    CalculationRun.objects.filter(pk=run.pk).update(
        status=S.FINAL,
        finalised_at=timezone.now(),
        publicity_starts_on=today - timedelta(days=9),
        publicity_ends_on=today - timedelta(days=2),
        published_at=timezone.now(),
        ranking_top_n=7,
    )
    return run, leaders


def test_tied_leaders_read_first_and_100_percent_on_both_pages(client, tied_run):
    run, leaders = tied_run
    result = EnterpriseResult.objects.get(run=run, enterprise=leaders[0].enterprise)
    assert (result.rank, str(result.percentile)) == (1, "100.00")
    client.force_login(leaders[0].enterprise.user)
    page = text(client.get("/enterprise/results/"))
    assert "第 1 名（共 7 家），与另 5 家并列" in page
    assert "100.00% （总积分低于本企业的 1 家 ÷ 低于第一名的 1 家）" in page
    assert "超过" not in page
    assert "总积分相同的企业名次相同（并列），下一个名次顺延" in page
    ranking = client.get("/ranking/").content.decode()
    assert ranking.count('1<span class="tied">（并列）</span>') == 12  # six rows, overall and in stage
    assert "7</td>" in ranking and "总积分相同的企业名次相同（并列），下一个名次顺延" in ranking


def test_the_objection_screen_shows_staff_the_enterprise_s_own_working(client, tied_run):
    run, leaders = tied_run
    CalculationRun.objects.filter(pk=run.pk).update(
        status=S.PUBLICITY, publicity_ends_on=timezone.localdate() + timedelta(days=3)
    )
    run.refresh_from_db()
    result = EnterpriseResult.objects.get(run=run, enterprise=leaders[1].enterprise)
    objection = publication.raise_objection(result, leaders[1].enterprise, leaders[1].enterprise.user, "研发费用有误")
    workings = [row.working for block in category_blocks(result) for row in block.rows]
    client.force_login(leaders[1].enterprise.user)
    enterprise_page = text(client.get("/enterprise/results/"))
    client.force_login(make_staff("jifen", roles.SCORING_ADMIN))
    staff_page = text(client.get(f"/admin/scoring/objections/inspect/{objection.pk}/"))
    assert "得分计算（与企业看到的相同）" in staff_page
    for working in workings:
        assert working in enterprise_page and working in staff_page
    assert any("在成长期有该项数值的" in w or "改在全批次" in w for w in workings)
