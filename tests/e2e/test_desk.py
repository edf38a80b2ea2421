"""统计 in the browser: a scoring admin reads what waits for review on the admin home, opens the
programme desk from there, reads the funnel (chart beside its table), follows a figure to the
enterprises behind it, and follows an overdue review figure to the review queue filtered to the
same filings."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprise_business.models import PointsFiling
from enterprise_business.tests.factories import approved_enterprise, make_batch, make_staff
from portal.core import roles
from tests.e2e.sessions import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_desk_opens_and_a_figure_leads_to_its_list(browser, live_server, screenshot):
    batch = make_batch()
    drafted, late = approved_enterprise(), approved_enterprise()
    PointsFiling.objects.create(enterprise=drafted, batch=batch, status="draft")
    PointsFiling.objects.create(enterprise=late, batch=batch, status="submitted",
                                submitted_at=timezone.now() - timedelta(days=30))
    approved_enterprise()  # 未填报
    admin = make_staff("tongji", roles.SCORING_ADMIN)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    log_in(context, live_server, admin.username)
    page = context.new_page()
    page.set_default_timeout(10_000)
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text
            else None)

    page.goto(live_server.url + "/admin/")
    expect(page.locator("#desk-review_waits")).to_be_visible()  # the admin home: what waits for review
    expect(page.locator("#desk-funnel")).to_have_count(0)  # the rest is on 统计
    page.get_by_role("link", name="打开统计页面（填报进度、退回与异议、成绩分布与导出）").click()
    expect(page.get_by_role("heading", name="统计", level=1)).to_be_visible()
    funnel = page.locator("section[aria-labelledby='desk-funnel']")
    expect(funnel.locator("svg.desk-chart rect")).to_have_count(7)
    expect(funnel.get_by_role("row", name="暂存 1")).to_be_visible()
    screenshot(page, "desk")

    page.locator("[data-figure='funnel-draft']").click()
    expect(page.get_by_role("table", name="暂存的企业")).to_contain_text(drafted.name)
    expect(page.get_by_text(late.name)).to_have_count(0)
    expect(page.get_by_role("checkbox", name=drafted.name)).to_be_visible()  # a reminder can be chosen here
    screenshot(page, "desk-stage")

    page.go_back()
    waits = page.locator("section[aria-labelledby='desk-review_waits']")
    waits.get_by_role("row", name="积分数据填报").locator("td.desk-overdue a").click()
    expect(page.get_by_text(late.name)).to_be_visible()  # the queue filtered to the overdue filings
    expect(page.get_by_text("已超期").first).to_be_visible()
    screenshot(page, "desk-overdue-queue")
    assert blocked == []
    context.close()
