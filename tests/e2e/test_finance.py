"""金融超市 in a real browser (manual 2.1.5, issue #8): an enterprise with a published result
browses and filters the market, opens a product, sees that it qualifies, applies (first without
the authorisation), the bank's staff accept, review and disburse it in the admin, and the
enterprise sees 已放款. Every new page passes axe, the form also in its error state."""

import pytest
from playwright.sync_api import expect

from enterprise_business.models import Enterprise
from enterprise_business.tests.factories import make_enterprise
from finance_products.demo import build as build_finance
from finance_products.models import LoanApplication
from finance_products.tests.factories import approve_basic_info, make_result
from home.tests.factories import build_site_tree
from portal.core.models import Message
from tests.e2e.conftest import DESKTOP
from tests.e2e.sessions import log_in

pytestmark = pytest.mark.django_db(transaction=True)



def clean(page, audit, what):
    problems = audit(page)
    assert problems == [], f"{what}: {problems}"
    assert page.locator("h1").count() == 1, f"{what} must have exactly one <h1>"


def test_browse_filter_apply_and_the_bank_disburses(browser, live_server, screenshot, audit):
    build_site_tree()
    build_finance(lambda message: None)  # four banks, ten products, and the 大连银行 staff account "bank"
    enterprise = make_enterprise()
    Enterprise.objects.filter(pk=enterprise.pk).update(name="大连栖川数据技术有限公司")
    enterprise.refresh_from_db()
    approve_basic_info(enterprise)
    make_result(enterprise, total="72.50", stage="growth", tier="racing")

    # Anonymous: the product page asks to log in.
    anonymous = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    anonymous.goto(live_server.url + "/finance/dlbank/points-loan/")
    expect(anonymous.get_by_text("后，可以查看本企业是否符合申请条件")).to_be_visible()
    clean(anonymous, audit, "product page for a visitor")
    anonymous.context.close()

    firm_context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    log_in(firm_context, live_server, enterprise.credit_code)
    firm = firm_context.new_page()
    firm.goto(live_server.url + "/")
    firm.get_by_role("navigation", name="主导航").get_by_role("link", name="金融超市").click()
    expect(firm.get_by_role("heading", level=1)).to_have_text("金融超市")
    expect(firm.get_by_text("共 10 个产品")).to_be_visible()
    firm.get_by_label("银行").select_option(label="大连银行")
    firm.get_by_label("需求额度（万元）").fill("300")
    firm.get_by_role("button", name="筛选").click()
    expect(firm.get_by_text("共 3 个产品")).to_be_visible()
    expect(firm.locator(".product-card", has_text="创新积分贷").get_by_text("符合申请条件")).to_be_visible()
    expect(firm.locator(".product-card", has_text="科创启航贷").get_by_text("暂不符合申请条件")).to_be_visible()
    clean(firm, audit, "market with match badges")
    screenshot(firm, "finance-market-filtered")

    firm.get_by_role("link", name="为我推荐").click()
    expect(firm.get_by_role("heading", level=1)).to_have_text("为我推荐")
    expect(firm.get_by_role("heading", name="符合申请条件的产品（6）")).to_be_visible()
    expect(firm.get_by_text("企业发展阶段为成长期，本产品面向初创期企业。").first).to_be_visible()
    clean(firm, audit, "为我推荐")
    screenshot(firm, "finance-recommend")

    firm.goto(live_server.url + "/finance/?bank=" + str(_bank_pk("大连银行")))
    firm.locator(".product-card", has_text="创新积分贷").get_by_role("link", name="查看").click()
    expect(firm.get_by_role("heading", level=1)).to_have_text("创新积分贷")
    expect(firm.get_by_role("heading", name="符合申请条件")).to_be_visible()
    clean(firm, audit, "product page")
    screenshot(firm, "finance-product-qualifies")

    firm.get_by_role("link", name="在线申请").click()
    expect(firm.get_by_role("heading", level=1)).to_have_text("在线申请：创新积分贷")
    expect(firm.get_by_label("联系人")).to_have_value("王工")
    firm.get_by_label("申请金额").fill("5000")
    firm.get_by_label("申请期限").fill("12")
    firm.get_by_label("资金用途").fill("工业互联网平台研发投入")
    firm.get_by_role("button", name="提交申请").click()
    expect(firm.locator("#id_amount_error")).to_have_text("申请金额应在本产品额度 50.00–1000.00 万元之内。")
    expect(firm.locator("#id_authorise_error")).to_contain_text("请阅读授权内容并勾选同意")
    expect(firm.get_by_label("资金用途")).to_have_value("工业互联网平台研发投入")
    assert not LoanApplication.objects.exists()
    clean(firm, audit, "application form in its error state")
    screenshot(firm, "finance-apply-errors")

    firm.get_by_label("申请金额").fill("300")
    firm.get_by_label("本企业同意以上授权").check()
    firm.get_by_role("button", name="提交申请").click()
    expect(firm.get_by_role("heading", level=1)).to_have_text("申请详情：创新积分贷")
    expect(firm.get_by_text("当前状态：已提交")).to_be_visible()
    clean(firm, audit, "application page")
    screenshot(firm, "finance-application-submitted")

    staff_context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    log_in(staff_context, live_server, "bank")
    staff = staff_context.new_page()
    staff.goto(live_server.url + "/admin/loan-applications/")
    staff.get_by_role("link", name="大连栖川数据技术有限公司").click()
    expect(staff.get_by_text("创新积分结果（企业申请时的版本）")).to_be_visible()
    staff.get_by_role("button", name="受理").click()
    expect(staff.get_by_text("已受理，并已通知企业。")).to_be_visible()
    staff.get_by_role("button", name="开始审批").click()
    expect(staff.get_by_text("已开始审批，并已通知企业。")).to_be_visible()
    staff.get_by_label("放款金额（万元）").fill("280")
    staff.get_by_role("button", name="确认放款").click()
    expect(staff.get_by_text("已确认放款，并已通知企业。")).to_be_visible()
    screenshot(staff, "finance-admin-disbursed")
    staff.goto(live_server.url + "/admin/loan-application-totals/")
    expect(staff.get_by_text("已放款 1 笔")).to_be_visible()
    screenshot(staff, "finance-admin-totals")

    firm.goto(live_server.url + "/enterprise/")
    section = firm.locator("section", has=firm.get_by_role("heading", name="金融产品申请"))
    expect(section).to_contain_text("已放款")
    section.scroll_into_view_if_needed()
    screenshot(firm, "finance-enterprise-home")
    expect(firm.locator(".message-list li").filter(has_text="融资申请已放款").first).to_contain_text(
        "放款金额280.00万元"
    )
    firm.get_by_role("link", name="全部申请").click()
    expect(firm.get_by_role("heading", level=1)).to_have_text("金融产品申请")
    expect(firm.locator("table.application-list")).to_contain_text("已放款 280.00 万元")
    clean(firm, audit, "the enterprise's applications")
    screenshot(firm, "finance-enterprise-applications")
    assert Message.objects.filter(recipient=enterprise.user).count() == 3


def _bank_pk(name):
    from finance_products.models import Bank

    return Bank.objects.get(name=name).pk


def test_an_enterprise_without_a_published_result_is_told_why_on_every_page(browser, live_server, screenshot, audit):
    from finance_products.tests.factories import make_run

    build_site_tree()
    build_finance(lambda message: None)
    enterprise = make_enterprise()
    make_result(enterprise, make_run(status="publicity"))  # in 公示: not published yet
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    log_in(context, live_server, enterprise.credit_code)
    page = context.new_page()
    for path, text in (
        ("/finance/recommend/", "暂无正式发布的创新积分结果。"),
        ("/finance/dlbank/points-loan/", "暂不符合申请条件"),
        ("/finance/dlbank/points-loan/apply/", "暂不符合申请条件，不能申请本产品"),
        ("/enterprise/applications/", "暂无申请。"),
    ):
        page.goto(live_server.url + path)
        expect(page.get_by_text(text).first).to_be_visible()
        clean(page, audit, path)
    screenshot(page, "finance-no-result-applications")
    page.goto(live_server.url + "/finance/dlbank/points-loan/apply/")
    expect(page.get_by_role("button", name="提交申请")).to_have_count(0)
    screenshot(page, "finance-apply-not-qualified")
