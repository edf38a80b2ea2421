"""基本数据填报 in a real browser: the whole form with uploads, submitted; the reviewer
returns it, then approves the corrected version."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprise_business.models import BasicInfo, PointsFiling
from enterprise_business.tests.factories import PDF, make_batch, make_enterprise, make_reviewer
from home.tests.factories import build_site_tree
from tests.e2e.filing import fill_points_form
from tests.e2e.sessions import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_fill_upload_submit_return_and_approve(browser, live_server, tmp_path, screenshot):
    build_site_tree()
    enterprise = make_enterprise()
    BasicInfo.objects.create(enterprise=enterprise, status="approved", approved_at=timezone.now(),
                             approved_snapshot={})
    batch = make_batch(2025)
    make_reviewer("reviewer")
    proof = tmp_path / "证明文件.pdf"
    proof.write_bytes(PDF)

    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    log_in(context, live_server, enterprise.credit_code)
    page = context.new_page()
    page.goto(live_server.url + "/enterprise/filings/")
    page.get_by_role("link", name=re.compile(f"^填报.*{batch.name}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(batch.name)

    fill_points_form(page, proof, **{"研发人员数": "60"})
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#id_rd_staff_error")).to_contain_text("不能超过期末人员总数")
    expect(page.get_by_label("2025年营业收入", exact=True)).to_have_value("2100")
    expect(page.get_by_text("已上传：证明文件.pdf").first).to_be_visible()
    screenshot(page, "points-refused-kept")
    page.get_by_label("研发人员数").fill("15")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("当前状态：提交待审核")).to_be_visible()
    screenshot(page, "points-submitted")

    staff_context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    log_in(staff_context, live_server, "reviewer")
    staff = staff_context.new_page()
    staff.goto(live_server.url + f"/admin/points/?batch={batch.pk}&status=submitted")
    staff.get_by_role("link", name=str(enterprise)).click()
    staff.get_by_label("退回原因").fill("社保证明未盖章。")
    staff.get_by_role("button", name="退回修改").click()
    expect(staff.get_by_text("已退回修改，并已通知企业退回原因。")).to_be_visible()

    page.reload()
    expect(page.get_by_text("退回原因：社保证明未盖章。")).to_be_visible()
    page.get_by_label("2025年12月社保人数证明文件", exact=True).set_input_files(str(proof))
    page.get_by_label("核实无误", exact=False).check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("当前状态：提交待审核")).to_be_visible()

    staff.reload()
    staff.get_by_role("button", name="审核通过").click()
    expect(staff.get_by_text("已审核通过，并已通知企业。")).to_be_visible()
    assert PointsFiling.objects.get(enterprise=enterprise, batch=batch).status == "approved"

    page.get_by_role("link", name="审核记录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("审核结果")
    expect(page.get_by_role("cell", name="社保证明未盖章。")).to_be_visible()
    screenshot(page, "points-history")
