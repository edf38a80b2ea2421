"""A job's page in the browser: the progress bar, done/total and the status follow the job as a
worker advances it (here the test, between the page's once-a-second polls), and once the job
is done the page shows its report."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from enterprise_business.tests.factories import make_staff
from portal.core import roles
from portal.core.jobs import Job
from tests.e2e.sessions import log_in

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOT = "/tmp/wt17-job-progress.png"


def test_the_progress_bar_rises_to_done(browser, live_server, screenshot):
    staff = make_staff("jindu", roles.SCORING_ADMIN)
    job = Job.objects.create(kind="scoring.calculate", title="积分计算：进度演示", created_by=staff)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    log_in(context, live_server, staff.username)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + reverse("jobs:detail", args=[job.pk]))
    bar, status = page.locator("#job-progress"), page.locator("[data-job-status]")
    expect(status).to_have_text("排队中")
    expect(bar).to_have_js_property("value", 0)

    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, done=30,
                                         total=100)
    expect(status).to_have_text("进行中")
    expect(bar).to_have_js_property("value", 30)
    expect(page.locator("#job-progress-text")).to_contain_text("30/100 （30%）")

    Job.objects.filter(pk=job.pk).update(done=70)
    expect(bar).to_have_js_property("value", 70)
    expect(page.locator("[data-job-percent]")).to_have_text("70")
    page.screenshot(path=SCREENSHOT, full_page=True)

    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, done=100, finished_at=timezone.now(),
                                         result={"summary": "计算完成：100家企业。"})
    expect(page.get_by_role("status").filter(has_text="计算完成：100家企业。")).to_be_visible()  # reloaded
    expect(status).to_have_text("已完成")
    expect(bar).to_have_js_property("value", 100)
    expect(page.get_by_text("后台处理中，本页自动更新")).to_have_count(0)
    screenshot(page, "job-progress-done")
    context.close()
