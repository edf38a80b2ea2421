"""相关资质填报 in a real browser: the 技术合同 records open in a pop-up that keeps focus
and closes with Esc; a self-reported record is added with its proof, first refused for a
missing field without losing the upload; the page and its error state pass axe."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprise_business.models import BasicInfo, QualificationIndicator, QualificationRecord
from enterprise_business.tests.factories import PDF, make_batch, make_enterprise
from home.tests.factories import build_site_tree
from tests.e2e.sessions import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def contract(enterprise, batch, number, project, deal):
    indicator = QualificationIndicator.objects.get(code="tech_contract")
    values = {"contract_no": number, "project": project, "registration_type": "技术开发", "deal_amount": deal,
              "tech_amount": deal, "category": "技术开发合同", "registered_on": "2025-04-18"}
    QualificationRecord.objects.create(indicator=indicator, batch=batch, credit_code=enterprise.credit_code,
                                       record_key=number, amount=Decimal(deal), kind="技术开发", values=values)


def test_open_the_contract_records_and_add_a_self_reported_record(browser, live_server, tmp_path, screenshot,
                                                                   audit):
    build_site_tree()
    enterprise = make_enterprise()
    BasicInfo.objects.create(enterprise=enterprise, status="approved", approved_at=timezone.now(),
                             approved_snapshot={})
    batch = make_batch(2025)
    contract(enterprise, batch, "2025210200000318", "港口集装箱智能识别算法开发", "186.00")
    contract(enterprise, batch, "2025210200000542", "工业数据中台技术服务", "64.80")
    proof = tmp_path / "投资协议.pdf"
    proof.write_bytes(PDF)

    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    log_in(context, live_server, enterprise.credit_code)
    page = context.new_page()
    page.goto(live_server.url + f"/enterprise/filings/{batch.pk}/")
    page.get_by_role("navigation", name="填报内容").get_by_role("link", name="相关资质填报").click()
    row = page.get_by_role("row", name=re.compile("技术合同"))
    expect(row.locator(".record-count")).to_have_text("2")
    expect(row.locator(".record-count")).to_have_css("color", "rgb(200, 16, 46)")
    assert audit(page) == []
    screenshot(page, "qualifications")

    opener = row.get_by_role("link", name=re.compile("查看"))
    opener.click()
    dialog = page.get_by_role("dialog", name="技术合同")
    expect(dialog).to_be_visible()
    headers = dialog.get_by_role("columnheader").all_inner_texts()
    assert headers[:8] == ["序号", "合同编号", "项目名称", "登记类型", "成交额（万元）", "技术交易额（万元）",
                           "合同类别", "登记日期"]
    expect(dialog.get_by_role("cell", name="港口集装箱智能识别算法开发")).to_be_visible()
    expect(dialog).to_contain_text("负责部门：高新区科技创新局")
    expect(dialog).to_contain_text("如对此指标数据有疑问，请与相关部门电话联系。")
    screenshot(page, "qualifications-contracts")
    # Focus stays inside the pop-up however often Tab is pressed, and Esc closes it.
    for _ in range(12):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('dialog') !== null")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    row = page.get_by_role("row", name=re.compile("获得风险投资"))
    row.get_by_role("link", name=re.compile("填报")).click()
    dialog = page.get_by_role("dialog", name="获得风险投资")
    dialog.get_by_label("投资协议编号").fill("TZ-2025-001")
    dialog.get_by_label("投资金额（万元）").fill("500")
    dialog.get_by_label("到账日期").fill("2025-05-20")
    dialog.get_by_label("证明文件").set_input_files(str(proof))
    dialog.get_by_role("button", name="新增").click()

    dialog = page.get_by_role("dialog", name="获得风险投资")
    expect(dialog.get_by_text("请填写“投资机构”。")).to_be_visible()
    expect(dialog.get_by_label("投资协议编号")).to_have_value("TZ-2025-001")
    expect(dialog.get_by_text("已上传：投资协议.pdf")).to_be_visible()
    assert audit(page) == []
    screenshot(page, "qualifications-self-report-refused")
    dialog.get_by_label("投资机构").fill("大连科创投资基金")
    dialog.get_by_role("button", name="新增").click()

    dialog = page.get_by_role("dialog", name="获得风险投资")
    expect(dialog.get_by_role("cell", name="大连科创投资基金")).to_be_visible()
    expect(dialog.get_by_role("link", name="投资协议.pdf")).to_be_visible()
    screenshot(page, "qualifications-self-reported")
    saved = QualificationRecord.objects.get(record_key="TZ-2025-001")
    assert saved.proof.original_name == "投资协议.pdf" and saved.amount == Decimal("500.00")


def test_keyboard_alone_opens_the_pop_up_and_uploads_a_proof(browser, live_server, tmp_path):
    build_site_tree()
    enterprise = make_enterprise()
    BasicInfo.objects.create(enterprise=enterprise, status="approved", approved_at=timezone.now(),
                             approved_snapshot={})
    batch = make_batch(2025)
    proof = tmp_path / "投资协议.pdf"
    proof.write_bytes(PDF)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    log_in(context, live_server, enterprise.credit_code)
    page = context.new_page()
    # Playwright turns on file-chooser interception with a message it does not wait for; on a
    # loaded machine the key press of expect_file_chooser could overtake it and open a real
    # chooser instead. Listening from the start has it on long before then.
    page.on("filechooser", lambda chooser: None)
    page.goto(live_server.url + f"/enterprise/filings/{batch.pk}/qualifications/")

    def tab_to(locator, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if locator.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError("not reachable by Tab")

    opener = page.get_by_role("row", name=re.compile("获得风险投资")).get_by_role("link", name=re.compile("填报"))
    tab_to(opener)
    # The visible focus ring is the site's box-shadow.
    assert opener.evaluate("element => getComputedStyle(element).boxShadow") != "none"
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="获得风险投资")
    expect(dialog).to_be_visible()
    for label, value in (("投资协议编号", "TZ-2025-009"), ("投资机构", "大连科创投资基金"),
                         ("投资金额（万元）", "300"), ("到账日期", "2025-06-30")):
        tab_to(dialog.get_by_label(label))
        if label == "到账日期":
            page.keyboard.type("06302025")
        else:
            page.keyboard.type(value)
    upload = dialog.get_by_label("证明文件")
    tab_to(upload)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(proof))
    tab_to(dialog.get_by_role("button", name="新增"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="获得风险投资").get_by_role("cell", name="大连科创投资基金")).to_be_visible()
    saved = QualificationRecord.objects.get(record_key="TZ-2025-009")
    assert saved.proof.original_name == "投资协议.pdf" and saved.values["received_on"] == "2025-06-30"
