"""方案试算 in a real browser: a scoring admin opens 积分计算 → 方案试算 from the admin menu,
tries a draft scheme on a published batch and reads who moves, by how much and why; the
enterprises' results page and the ranking still show the published run."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprise_business.tests.factories import make_staff
from home.tests.factories import build_site_tree
from portal.core import roles
from scoring_engine.models import CalculationRun, EnterpriseResult
from scoring_engine.services import default_scheme, start_run
from scoring_engine.tests.factories import make_batch, make_scored_enterprise
from tests.e2e.conftest import DESKTOP
from tests.e2e.sessions import log_in

pytestmark = pytest.mark.django_db(transaction=True)
S = CalculationRun.Status


@pytest.fixture
def published_batch():
    """Ten enterprises of one stage, half growing fast on small revenue and half slowly on
    large revenue, and the batch's final run with the default scheme."""
    build_site_tree()
    staff = make_staff("jifen", roles.SCORING_ADMIN)
    batch = make_batch(2024)
    for n in range(10):
        fast = n % 2 == 0
        revenue = 1500 + 100 * n if fast else 15000 + 100 * n
        make_scored_enterprise(
            batch,
            {"revenue": f"{revenue}.00", "revenue_prev": f"{revenue / (1.5 if fast else 1.02):.2f}"},
            name=f"{'快速成长' if fast else '稳健经营'}科技公司{n}",
        )
    run = start_run(batch, default_scheme(batch), staff, background=False)
    today = timezone.localdate()
    CalculationRun.objects.filter(pk=run.pk).update(
        status=S.FINAL, published_at=timezone.now(), finalised_at=timezone.now(), ranking_top_n=10,
        publicity_starts_on=today - timedelta(days=9), publicity_ends_on=today - timedelta(days=2),
    )
    draft = run.scheme.copy(name="2025年方案草稿（成长期营业收入加权）")
    draft.indicators.filter(code="revenue").update(weight_growth=Decimal("3"))
    return batch, run, draft


def test_a_scoring_admin_tries_a_draft_scheme_from_the_menu(browser, live_server, published_batch, screenshot):
    batch, run, draft = published_batch
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    log_in(context, live_server, "jifen")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/admin/")
    page.get_by_role("button", name="积分计算").click()
    page.get_by_role("link", name="方案试算").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("方案试算")
    page.get_by_role("link", name="发起试算").click()
    page.get_by_label("填报批次").select_option(label=batch.name)
    page.get_by_label("试算方案").select_option(label=draft.name)
    page.get_by_role("button", name="开始试算").click()
    expect(page.get_by_text("已发起试算")).to_be_visible()
    expect(page.get_by_role("heading", name="谁的名次变了")).to_be_visible()
    expect(page.get_by_text("两次计算的输入数据相同，差别全部来自方案")).to_be_visible()
    effects = page.locator("table", has=page.get_by_role("columnheader", name="得分变化的企业"))
    expect(effects.get_by_role("cell", name="营业收入", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"上升\d+位")).first).to_be_visible()
    screenshot(page, "admin-scheme-trial")

    trial = CalculationRun.objects.get(is_trial=True)
    assert trial.status == S.CALCULATED and not trial.scheme.is_frozen
    # The enterprise and the public still read the published run.
    steady = EnterpriseResult.objects.get(run=run, name="稳健经营科技公司1")
    tried = EnterpriseResult.objects.get(run=trial, name="稳健经营科技公司1")
    assert tried.total != steady.total
    firm = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    log_in(firm, live_server, steady.enterprise.credit_code)
    results = firm.new_page()
    results.goto(live_server.url + "/enterprise/results/")
    expect(results.locator(".score-total")).to_have_text(f"{steady.total} 分")
    results.goto(live_server.url + "/ranking/")
    expect(results.get_by_role("row", name=re.compile("稳健经营科技公司1"))).to_contain_text(str(steady.total))
    context.close()
    firm.close()
