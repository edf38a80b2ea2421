"""Manual section 2.1.2 in a real browser: fill, 暂存, reload, 提交; the reviewer returns it with
a reason; the enterprise sees the reason, fixes, resubmits; the reviewer approves; the points
filing page opens."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from enterprise_business.models import BasicInfo, RegistryRecord
from enterprise_business.tests.factories import make_enterprise, make_reviewer
from home.tests.factories import build_site_tree
from tests.e2e.sessions import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_fill_save_submit_return_fix_resubmit_approve(browser, live_server, screenshot):
    build_site_tree()
    enterprise = make_enterprise()
    RegistryRecord.objects.create(
        credit_code=enterprise.credit_code, name="大连栖川数据技术有限公司", legal_representative="王晓明",
        registered_capital=Decimal("1000"), established_on=date(2016, 5, 20), address="大连市高新区黄浦路500号",
        company_type="有限责任公司（自然人投资或控股）", business_scope="软件开发；信息系统集成服务。",
        registration_status="存续",
    )
    make_reviewer("reviewer")

    firm_context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    log_in(firm_context, live_server, enterprise.credit_code)
    firm = firm_context.new_page()
    firm.goto(live_server.url + "/")
    navigation = firm.get_by_role("navigation", name="主导航")
    navigation.get_by_role("button", name="企业业务").hover()
    navigation.get_by_role("link", name="企业基本信息填报").click()
    expect(firm.get_by_role("heading", level=1)).to_have_text("企业基本信息填报")
    expect(firm.get_by_text("大连栖川数据技术有限公司")).to_be_visible()
    expect(firm.get_by_text("当前状态：未填报")).to_be_visible()

    firm.get_by_label("通讯地址").fill("辽宁省大连市高新区黄浦路500号")
    firm.get_by_label("所属行业").select_option(label="I 信息传输、软件和信息技术服务业")
    firm.get_by_label("联系人", exact=True).fill("王工")
    firm.get_by_role("button", name="暂存").click()
    expect(firm.get_by_text("已暂存，可以稍后继续填写。")).to_be_visible()
    firm.reload()
    expect(firm.get_by_label("通讯地址")).to_have_value("辽宁省大连市高新区黄浦路500号")
    expect(firm.get_by_label("联系人", exact=True)).to_have_value("王工")
    expect(firm.get_by_text("当前状态：暂存")).to_be_visible()

    firm.get_by_role("button", name="提交").click()
    expect(firm.locator("#id_contact_phone_error")).to_contain_text("请填写“联系电话”")
    firm.get_by_label("邮政编码").fill("116023")
    firm.get_by_label("技术领域").select_option(label="电子信息")
    firm.get_by_label("企业规模").select_option(label="小型")
    firm.locator("#id_is_high_tech").get_by_label("否").check()
    firm.locator("#id_is_tech_sme").get_by_label("否").check()
    firm.get_by_label("主营产品").fill("软件")
    firm.get_by_label("联系电话").fill("0411-84820327")
    firm.get_by_label("联系邮箱").fill("wang@example.cn")
    firm.get_by_role("button", name="提交").click()
    expect(firm.get_by_text("当前状态：提交待审核")).to_be_visible()
    screenshot(firm, "basic-info-submitted")

    staff_context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    log_in(staff_context, live_server, "reviewer")
    staff = staff_context.new_page()
    staff.goto(live_server.url + "/admin/basic-info/?status=submitted")
    staff.get_by_role("link", name="大连栖川数据技术有限公司").click()
    staff.get_by_label("退回原因").fill("主营产品请写明产品名称和应用领域。")
    staff.get_by_role("button", name="退回修改").click()
    expect(staff.get_by_text("已退回修改，并已通知企业退回原因。")).to_be_visible()

    firm.goto(live_server.url + "/enterprise/basic-info/")
    expect(firm.get_by_text("退回原因：主营产品请写明产品名称和应用领域。")).to_be_visible()
    firm.get_by_label("主营产品").fill("工业互联网数据平台，应用于装备制造企业的设备运维。")
    firm.get_by_role("button", name="提交").click()
    expect(firm.get_by_text("当前状态：提交待审核")).to_be_visible()

    staff.goto(live_server.url + "/admin/basic-info/?status=submitted")
    staff.get_by_role("link", name="大连栖川数据技术有限公司").click()
    staff.get_by_role("button", name="审核通过").click()
    expect(staff.get_by_text("已审核通过，并已通知企业。")).to_be_visible()
    assert BasicInfo.objects.get(enterprise=enterprise).status == "approved"

    firm.goto(live_server.url + "/enterprise/")
    expect(firm.locator(".message-list li").first).to_contain_text("企业基本信息审核结果：审核通过。")
    firm.get_by_role("link", name="进入积分数据填报").click()
    expect(firm.get_by_role("heading", level=1)).to_have_text("积分数据填报")
    expect(firm.get_by_text("请先完成企业基本信息填报并通过审核")).to_have_count(0)
    screenshot(firm, "points-filing-open")
