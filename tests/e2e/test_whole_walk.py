"""The whole manual in one browser walk (SPEC §9), every control found by its Chinese label or
button text, a screenshot of every step under test-output/e2e/walk-*.png:

a visitor reads 通知公告 and 政策文件 and downloads a file; a new enterprise registers; a reviewer
approves it; it logs in with the slider, files 基本信息 (returned once, then approved); its
department imports its 技术合同; it opens its 相关资质 and reports a venture investment with a
proof, files 积分数据 with uploads and submits; the reviewer approves; the scoring admin runs the
calculation, publishes it for 公示 and finalises it; the enterprise reads its result and chart,
the public sees the ranking, and the enterprise applies for a loan that the bank disburses."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprise_business.models import Enterprise, PointsFiling, RegistryRecord
from enterprise_business.tests.factories import PDF, make_batch, make_reviewer, make_staff
from enterprise_business.tests.helpers import credit_code, id_number, png_bytes
from finance_products.demo import build as build_finance
from home.tests.factories import build_site_tree, make_document, make_notice, make_policy
from portal.core import roles
from portal.core.models import SmsMessage
from scoring_engine.models import CalculationRun, EnterpriseResult
from tests.e2e.filing import fill_points_form
from tests.e2e.sessions import log_in
from tests.e2e.slider import drag_slider

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "Qiye2025abc"
NAME = "大连栖川数据技术有限公司"


class Steps:
    """Numbered screenshots, so the walk reads in order in the test output."""

    def __init__(self, screenshot):
        self.screenshot, self.number = screenshot, 0

    def __call__(self, page, name):
        self.number += 1
        self.screenshot(page, f"walk-{self.number:02d}-{name}")


def new_page(browser, user=None, live_server=None):
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP, accept_downloads=True)
    if user is not None:
        log_in(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_the_whole_manual(browser, live_server, tmp_path, screenshot):
    step = Steps(screenshot)
    tree = build_site_tree()
    guide = make_document(title="2025年度创新积分数据填报通知附件")
    make_notice(tree, title="关于开展2025年度企业创新积分数据填报工作的通知", attachments=[guide])
    make_policy(tree, title="大连高新区企业创新积分管理办法（试行）", attachments=[make_document(title="管理办法全文")])
    build_finance(lambda message: None)
    batch = make_batch(2025)
    make_reviewer("reviewer")
    make_staff("jifen", roles.SCORING_ADMIN)
    make_staff("keji", "数据负责部门·高新区科技创新局")
    code = credit_code("91210231MA0X8E2B5")
    RegistryRecord.objects.create(
        credit_code=code, name=NAME, legal_representative="王晓明", registered_capital=Decimal("1000"),
        established_on=date(2016, 5, 20), address="大连市高新区黄浦路500号", company_type="有限责任公司",
        business_scope="软件开发；信息系统集成服务。", registration_status="存续",
    )
    licence = tmp_path / "营业执照.png"
    licence.write_bytes(png_bytes(size=(800, 560)))
    proof = tmp_path / "证明文件.pdf"
    proof.write_bytes(PDF)

    # 1. A visitor reads the notices and the policies and downloads a file.
    visitor = new_page(browser)
    visitor.goto(live_server.url + "/")
    nav = visitor.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="通知公告").click()
    visitor.get_by_role("link", name=re.compile("关于开展2025年度企业创新积分数据填报工作的通知")).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("关于开展2025年度企业创新积分数据填报工作的通知")
    step(visitor, "notice")
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name=re.compile("2025年度创新积分数据填报通知附件")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    nav.get_by_role("link", name="政策文件").click()
    visitor.get_by_role("link", name=re.compile("大连高新区企业创新积分管理办法")).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("大连高新区企业创新积分管理办法（试行）")
    step(visitor, "policy")

    # 2. A new enterprise registers.
    firm = new_page(browser)
    firm.goto(live_server.url + "/accounts/register/")
    firm.get_by_label("账号").fill(code)
    firm.get_by_label("联系人", exact=True).fill("王晓明")
    firm.get_by_label("联系人身份证号").fill(id_number("21020319850612001"))
    firm.get_by_label("邮箱").fill("wang@example.cn")
    firm.get_by_label("营业执照").set_input_files(str(licence))
    firm.get_by_label("手机号码").fill("13940110001")
    firm.get_by_role("button", name="获取验证码").click()
    expect(firm.locator(".sms-status")).to_contain_text("请先拖动下方滑块完成验证")
    drag_slider(firm, "[data-slider-captcha]")
    firm.get_by_role("button", name="获取验证码").click()
    expect(firm.locator(".sms-status")).to_have_text("验证码已发送，请注意查收。")
    sms = SmsMessage.objects.latest("pk")
    firm.get_by_label("手机验证码").fill(re.search(r"验证码为(\d{6})", sms.text).group(1))
    firm.get_by_label("密码", exact=True).fill(PASSWORD)
    firm.get_by_label("确认密码").fill(PASSWORD)
    firm.get_by_label("我同意政府相关").check()
    step(firm, "register")
    firm.get_by_role("button", name="注册").click()
    expect(firm.get_by_role("heading", level=1)).to_have_text("注册信息已提交")

    # 3. The reviewer approves the registration.
    reviewer = new_page(browser)
    reviewer.goto(live_server.url + "/admin/login/")
    reviewer.locator("#id_username").fill("reviewer")
    reviewer.locator("#id_password").fill(PASSWORD)
    reviewer.locator("#id_password").press("Enter")
    reviewer.goto(live_server.url + "/admin/registrations/?status=pending")
    reviewer.get_by_role("link", name=code).click()
    expect(reviewer.get_by_role("img", name=f"{code} 的营业执照")).to_be_visible()
    reviewer.get_by_role("button", name="审核通过").click()
    expect(reviewer.get_by_text("已审核通过，并已短信通知企业。")).to_be_visible()
    step(reviewer, "registration-approved")

    # 4. The enterprise logs in with the slider and lands on the 首页, which tells it the next step.
    firm.goto(live_server.url + "/accounts/login/")
    firm.get_by_label("账号").fill(code)
    firm.get_by_label("密码").fill(PASSWORD)
    drag_slider(firm, "[data-slider-captcha]")
    firm.get_by_role("button", name="登录").click()
    expect(firm).to_have_url(live_server.url + "/")
    expect(firm.locator(".business-progress")).to_contain_text("当前步骤：企业基本信息填报")
    step(firm, "enterprise-home")

    # 5. 基本信息: submitted, returned once, fixed, approved.
    firm.get_by_role("navigation", name="主导航").get_by_role("button", name="企业业务").hover()
    firm.get_by_role("navigation", name="主导航").get_by_role("link", name="企业基本信息填报").click()
    expect(firm.get_by_text(NAME).first).to_be_visible()
    firm.get_by_label("通讯地址").fill("辽宁省大连市高新区黄浦路500号")
    firm.get_by_label("邮政编码").fill("116023")
    firm.get_by_label("所属行业").select_option(label="I 信息传输、软件和信息技术服务业")
    firm.get_by_label("技术领域").select_option(label="电子信息")
    firm.get_by_label("企业规模").select_option(label="小型")
    firm.locator("#id_is_high_tech").get_by_label("否").check()
    firm.locator("#id_is_tech_sme").get_by_label("否").check()
    firm.get_by_label("主营产品").fill("软件")
    firm.get_by_label("联系人", exact=True).fill("王工")
    firm.get_by_label("联系电话").fill("0411-84820327")
    firm.get_by_label("联系邮箱").fill("wang@example.cn")
    firm.get_by_role("button", name="提交").click()
    expect(firm.get_by_text("当前状态：提交待审核")).to_be_visible()
    step(firm, "basic-info-submitted")
    reviewer.goto(live_server.url + "/admin/basic-info/?status=submitted")
    reviewer.get_by_role("link", name=NAME).click()
    reviewer.get_by_label("退回原因").fill("主营产品请写明产品名称和应用领域。")
    reviewer.get_by_role("button", name="退回修改").click()
    expect(reviewer.get_by_text("已退回修改，并已通知企业退回原因。")).to_be_visible()
    firm.reload()
    expect(firm.get_by_text("退回原因：主营产品请写明产品名称和应用领域。")).to_be_visible()
    step(firm, "basic-info-returned")
    firm.get_by_label("主营产品").fill("工业互联网数据平台，应用于装备制造企业的设备运维。")
    firm.get_by_role("button", name="提交").click()
    expect(firm.get_by_text("当前状态：提交待审核")).to_be_visible()
    reviewer.goto(live_server.url + "/admin/basic-info/?status=submitted")
    reviewer.get_by_role("link", name=NAME).click()
    reviewer.get_by_role("button", name="审核通过").click()
    expect(reviewer.get_by_text("已审核通过，并已通知企业。")).to_be_visible()
    step(reviewer, "basic-info-approved")

    # 6. The 科技创新局 imports the enterprise's technology contracts.
    department = new_page(browser, "keji", live_server)
    department.goto(live_server.url + "/admin/qualification-records/import/")
    department.get_by_label("填报批次").select_option(label=batch.name)
    department.get_by_label("资质指标").select_option(label="技术合同")
    contracts = tmp_path / "技术合同.csv"
    contracts.write_text(
        "统一社会信用代码,合同编号,项目名称,登记类型,成交额,技术交易额,合同类别,登记日期\n"
        f"{code},2025210200000318,港口集装箱智能识别算法开发,技术开发,186.00,172.50,技术开发合同,2025-04-18\n"
        f"{code},2025210200000542,工业数据中台技术服务,技术服务,64.80,58.00,技术服务合同,2025-08-02\n",
        encoding="utf-8")
    department.get_by_label("数据文件").set_input_files(str(contracts))
    department.get_by_role("button", name="导入").click()
    expect(department.get_by_text("导入完成：新增 2 条")).to_be_visible()
    step(department, "department-import")

    # 7. The enterprise checks its 技术合同, reports a venture investment, files 积分数据 and submits.
    firm.goto(live_server.url + "/enterprise/filings/")
    firm.get_by_role("link", name=re.compile(f"^填报.*{batch.name}")).click()
    firm.get_by_role("navigation", name="填报内容").get_by_role("link", name="相关资质填报").click()
    row = firm.get_by_role("row", name=re.compile("技术合同"))
    expect(row.locator(".record-count")).to_have_text("2")
    row.get_by_role("link", name=re.compile("查看")).click()
    dialog = firm.get_by_role("dialog", name="技术合同")
    expect(dialog.get_by_role("cell", name="港口集装箱智能识别算法开发")).to_be_visible()
    step(firm, "contracts")
    firm.keyboard.press("Escape")
    firm.get_by_role("row", name=re.compile("获得风险投资")).get_by_role("link", name=re.compile("填报")).click()
    dialog = firm.get_by_role("dialog", name="获得风险投资")
    dialog.get_by_label("投资协议编号").fill("TZ-2025-001")
    dialog.get_by_label("投资机构").fill("大连科创投资基金")
    dialog.get_by_label("投资金额（万元）").fill("800")
    dialog.get_by_label("到账日期").fill("2025-07-15")
    dialog.get_by_label("证明文件").set_input_files(str(proof))
    dialog.get_by_role("button", name="新增").click()
    expect(firm.get_by_role("dialog", name="获得风险投资").get_by_role("cell", name="大连科创投资基金")).to_be_visible()
    step(firm, "self-reported")

    firm.goto(live_server.url + f"/enterprise/filings/{batch.pk}/")
    fill_points_form(firm, proof, phone="13940110001", **{
        "2025年研发费用": "320", "2024年研发费用": "240", "2025年营业收入": "2600", "2024年营业收入": "2100",
        "企业2025年研发费用加计扣除所得税减免额": "48"})
    firm.get_by_role("button", name="提交").click()
    expect(firm.get_by_text("当前状态：提交待审核")).to_be_visible()
    step(firm, "points-submitted")

    # 8. The reviewer approves the points filing.
    filing = PointsFiling.objects.get(enterprise__credit_code=code, batch=batch)
    reviewer.goto(live_server.url + f"/admin/points/?batch={batch.pk}&status=submitted")
    reviewer.get_by_role("link", name=re.compile(NAME)).first.click()
    expect(reviewer.get_by_text("大连科创投资基金")).to_be_visible()
    reviewer.get_by_role("button", name="审核通过").click()
    expect(reviewer.get_by_text("已审核通过，并已通知企业。")).to_be_visible()
    step(reviewer, "points-approved")
    filing.refresh_from_db()
    assert filing.status == "approved"

    # 9. The scoring admin calculates, publishes for 公示 and finalises.
    scoring = new_page(browser, "jifen", live_server)
    scoring.goto(live_server.url + "/admin/scoring/runs/start/")
    scoring.get_by_label("填报批次").select_option(label=batch.name)
    scoring.get_by_role("button", name="开始计算").click()
    # The run is a job: its page shows it done (the tests' task backend runs it at once) and links to it.
    expect(scoring.locator("[data-job-status]")).to_have_text("已完成")
    scoring.get_by_role("link", name=re.compile("^查看第.*次计算的结果")).click()
    expect(scoring.get_by_text("状态：待发布")).to_be_visible()
    step(scoring, "run-calculated")
    run = CalculationRun.objects.get(batch=batch)
    scoring.goto(live_server.url + "/admin/scoring/publication/")
    scoring.locator(f"a[href='/admin/scoring/publication/{run.pk}/publish/']").click()
    today = timezone.localdate()
    scoring.get_by_label("公示开始日期").fill(f"{today:%Y-%m-%d}")
    scoring.get_by_label("公示结束日期").fill(f"{today:%Y-%m-%d}")
    scoring.get_by_label("榜单比例（%）").fill("")
    scoring.get_by_label("榜单企业数").fill("10")
    scoring.get_by_role("button", name="发布公示并通知企业").click()
    expect(scoring.get_by_text("已发布公示")).to_be_visible()
    firm.goto(live_server.url + "/enterprise/results/")
    expect(firm.get_by_text("公示").first).to_be_visible()
    step(firm, "results-in-publicity")
    scoring.goto(live_server.url + f"/admin/scoring/publication/{run.pk}/finalise/")
    early = scoring.get_by_label("公示期未满，确认提前正式发布")
    if early.count():
        early.check()
    scoring.get_by_role("button", name="正式发布并通知企业").click()
    run.refresh_from_db()
    assert run.status == "final"
    step(scoring, "run-final")

    # 10. The enterprise reads its result and chart; the public sees the ranking.
    result = EnterpriseResult.objects.get(run=run, credit_code=code)
    firm.goto(live_server.url + "/enterprise/results/")
    expect(firm.get_by_role("heading", level=1)).to_have_text("积分结果查询")
    expect(firm.get_by_text(f"{result.total}").first).to_be_visible()
    expect(firm.locator("svg").first).to_be_visible()
    step(firm, "results")
    visitor.goto(live_server.url + "/ranking/")
    expect(visitor.get_by_role("row", name=re.compile(NAME))).to_contain_text(str(result.total))
    step(visitor, "ranking")

    # 11. The enterprise applies for a loan; the bank disburses; the enterprise sees 已放款.
    firm.goto(live_server.url + "/finance/")
    firm.get_by_role("link", name="查看 知识产权质押贷").click()
    expect(firm.get_by_role("heading", name="符合申请条件")).to_be_visible()
    firm.get_by_role("link", name="在线申请").click()
    firm.get_by_label("申请金额").fill("300")
    firm.get_by_label("申请期限").fill("24")
    firm.get_by_label("资金用途").fill("工业互联网平台研发投入")
    firm.get_by_label("本企业同意以上授权").check()
    firm.get_by_role("button", name="提交申请").click()
    expect(firm.get_by_text("当前状态：已提交")).to_be_visible()
    step(firm, "loan-applied")
    bank = new_page(browser, "bank", live_server)
    bank.goto(live_server.url + "/admin/loan-applications/")
    bank.get_by_role("link", name=NAME).click()
    bank.get_by_role("button", name="受理").click()
    bank.get_by_role("button", name="开始审批").click()
    bank.get_by_label("放款金额（万元）").fill("280")
    bank.get_by_role("button", name="确认放款").click()
    expect(bank.get_by_text("已确认放款，并已通知企业。")).to_be_visible()
    step(bank, "loan-disbursed")
    firm.goto(live_server.url + "/enterprise/")
    expect(firm.locator("section", has=firm.get_by_role("heading", name="金融产品申请"))).to_contain_text("已放款")
    step(firm, "enterprise-home-final")
    assert Enterprise.objects.get(credit_code=code).loan_applications.get().status == "disbursed"
