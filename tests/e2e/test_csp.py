"""The Content-Security-Policy in a real browser: no page of the site, the enterprise area
(积分结果查询 with its chart), the ranking, the 金融超市 or the admin (page editor, an inline
panel) has anything blocked by it."""

import re

import pytest

from enterprise_business.models import QualificationIndicator
from enterprise_business.tests.factories import approved_enterprise, make_batch, make_enterprise, make_staff
from finance_products.demo import build as build_finance
from home.tests.factories import build_site_tree, make_notice
from scoring_engine.models import CalculationRun
from scoring_engine.tests import results_factories
from tests.e2e.sessions import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def watch(page):
    blocked = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    return blocked


def test_nothing_is_blocked_by_the_policy(browser, live_server):
    tree = build_site_tree()
    notice = make_notice(tree, title="关于开展2025年度创新积分数据填报工作的通知")
    enterprise = approved_enterprise()
    batch = make_batch()
    make_staff("boss", superuser=True)
    indicator = QualificationIndicator.objects.get(code="tech_contract")
    build_finance(lambda message: None)
    results_factories.make_run(results_factories.make_batch(2023), [enterprise] + [make_enterprise() for _ in range(5)],
                               status=CalculationRun.Status.FINAL, top_n=3)

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    blocked = watch(page)
    for path in ("/", "/notices/", notice.url, "/accounts/login/", "/accounts/register/", "/ranking/",
                 "/finance/", "/finance/dlbank/points-loan/"):
        assert page.goto(live_server.url + path).ok, path
    page.get_by_role("button", name="长辈版").click()
    log_in(context, live_server, enterprise.credit_code)
    for path in ("/enterprise/results/", "/finance/recommend/", "/finance/dlbank/points-loan/", "/enterprise/",
                 f"/enterprise/filings/{batch.pk}/", f"/enterprise/filings/{batch.pk}/qualifications/"):
        assert page.goto(live_server.url + path).ok, path
        if path == "/enterprise/results/":
            assert page.get_by_role("img", name="本企业分类积分与同阶段中位数对比图").is_visible()
    page.get_by_role("row", name=re.compile("技术合同")).get_by_role("link").click()
    assert page.get_by_role("dialog", name="技术合同").is_visible()
    assert blocked == []

    admin = browser.new_context(locale="zh-CN")
    log_in(admin, live_server, "boss")
    staff = admin.new_page()
    blocked = watch(staff)
    staff.goto(live_server.url + "/admin/")
    staff.goto(live_server.url + f"/admin/pages/{tree.home.pk}/edit/")
    staff.goto(live_server.url + f"/admin/indicators/edit/{indicator.pk}/")
    staff.get_by_role("button", name="增加 字段").click()
    labels = staff.locator("input[name^='columns-'][name$='-label']:not([name*='__prefix__'])")
    assert labels.count() == indicator.columns.count() + 1
    assert blocked == []
