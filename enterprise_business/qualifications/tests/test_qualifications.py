"""相关资质: department scoping, imports, the enterprise's page, self-reported records, data
questions and what the approval puts in force."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from enterprise_business.filings.services import points
from enterprise_business.models import (
    DataQuestion,
    Department,
    PointsFiling,
    QualificationIndicator,
    QualificationRecord,
    RecordChange,
)
from enterprise_business.tests.factories import (
    approved_enterprise,
    complete,
    make_batch,
    make_reviewer,
    make_staff,
    pdf,
)
from portal.core.models import Message

pytestmark = pytest.mark.django_db

CONTRACT_HEADERS = ["统一社会信用代码", "合同编号", "项目名称", "登记类型", "成交额", "技术交易额", "合同类别",
                    "登记日期"]


def indicator(code):
    return QualificationIndicator.objects.get(code=code)


def department_staff(username, department_name):
    department = Department.objects.get(name=department_name)
    return make_staff(username, department.group.name)


def csv_upload(rows, headers=CONTRACT_HEADERS, name="records.csv"):
    lines = [",".join(headers)] + [",".join(str(cell) for cell in row) for row in rows]
    return SimpleUploadedFile(name, "\n".join(lines).encode("utf-8"), content_type="text/csv")


def contract_row(credit_code, number="2025210200000101", deal="120.5", tech="100", date="2025-03-18"):
    return [credit_code, number, "工业视觉检测算法开发", "技术开发", deal, tech, "技术开发合同", date]


def record(enterprise, batch, code="tech_contract", key="HT-1", amount="10", **extra):
    ind = indicator(code)
    values = {c.key: "" for c in ind.ordered_columns}
    values.update(extra)
    return QualificationRecord.objects.create(indicator=ind, batch=batch, credit_code=enterprise.credit_code,
                                              record_key=key, amount=Decimal(amount), values=values)


@pytest.fixture
def batch():
    return make_batch()


@pytest.fixture
def enterprise():
    return approved_enterprise()


@pytest.fixture
def tech_staff():
    return department_staff("keji", "高新区科技创新局")


@pytest.fixture
def market_staff():
    return department_staff("shichang", "高新区市场监督管理局")


def page_url(batch):
    return f"/enterprise/filings/{batch.pk}/qualifications/"


# ---- catalogue -----------------------------------------------------------------------------

def test_the_default_catalogue_has_every_indicator_of_the_issue_with_its_department():
    names = set(QualificationIndicator.objects.values_list("name", flat=True))
    assert {"技术合同", "发明专利", "实用新型专利", "软件著作权", "注册商标", "高新技术企业认定", "科技型中小企业评价",
            "研发机构", "科技奖励", "承担科技计划项目", "获得风险投资", "主导或参与制定标准"} <= names
    contract = indicator("tech_contract")
    assert [c.label for c in contract.ordered_columns] == ["合同编号", "项目名称", "登记类型", "成交额", "技术交易额",
                                                           "合同类别", "登记日期"]
    assert contract.department.name == "高新区科技创新局" and contract.contact_phone == "0411-84820327"
    assert indicator("venture_capital").self_reported and not contract.self_reported


# ---- department imports ----------------------------------------------------------------------

def test_department_import_adds_records_and_logs_each(client, post_job, tech_staff, enterprise, batch):
    client.force_login(tech_staff)
    response = post_job("/admin/qualification-records/import/", {
        "batch": batch.pk, "indicator": indicator("tech_contract").pk,
        "file": csv_upload([contract_row(enterprise.credit_code), contract_row(enterprise.credit_code, "HT-2")]),
    })
    assert "导入完成：新增 2 条" in response.content.decode()
    saved = QualificationRecord.objects.get(record_key="2025210200000101")
    assert saved.amount == Decimal("120.50") and saved.kind == "技术开发" and saved.in_force
    assert saved.values["registered_on"] == "2025-03-18" and saved.values["tech_amount"] == "100.00"
    assert RecordChange.objects.filter(action="导入新增", actor=tech_staff).count() == 2

    post_job("/admin/qualification-records/import/", {
        "batch": batch.pk, "indicator": indicator("tech_contract").pk,
        "file": csv_upload([contract_row(enterprise.credit_code, deal="130")]),
    })
    change = RecordChange.objects.get(action="导入修改")
    assert change.before["values"]["deal_amount"] == "120.50" and change.after["values"]["deal_amount"] == "130.00"


def test_import_refuses_bad_rows_and_writes_nothing(client, post_job, tech_staff, enterprise, batch):
    client.force_login(tech_staff)
    rows = [contract_row(enterprise.credit_code), contract_row("91210231MA0QX7LK10", "HT-9"),
            contract_row(enterprise.credit_code, "HT-3", deal="-5"), contract_row(enterprise.credit_code, "HT-4",
                                                                                 date="2025-13-01")]
    html = post_job("/admin/qualification-records/import/", {
        "batch": batch.pk, "indicator": indicator("tech_contract").pk, "file": csv_upload(rows),
    }).content.decode()
    assert "未导入任何数据" in html
    assert "第3行" in html and "第4行" in html and "不能为负数" in html and "第5行" in html and "不是有效的日期" in html
    assert "第2行" not in html
    assert not QualificationRecord.objects.exists() and not RecordChange.objects.exists()


@pytest.mark.parametrize("deal", ["NaN", "Infinity", "1e30", "12.345"])
def test_a_department_import_refuses_the_amounts_of_the_torch_cases_too(client, post_job, tech_staff, enterprise,
                                                                        batch, deal):
    """The values of ../shared/cases/torch_amount_*.csv in a department's record import: the
    same layer refuses them with the row and the column; nothing is saved."""
    client.force_login(tech_staff)
    html = post_job("/admin/qualification-records/import/", {
        "batch": batch.pk, "indicator": indicator("tech_contract").pk,
        "file": csv_upload([contract_row(enterprise.credit_code, deal=deal)]),
    }).content.decode()
    assert "未导入任何数据" in html and "第2行" in html and "“成交额”" in html
    assert not QualificationRecord.objects.exists()


def test_import_reads_xlsx(client, post_job, tech_staff, enterprise, batch):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(CONTRACT_HEADERS)
    sheet.append(contract_row(enterprise.credit_code))
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(tech_staff)
    post_job("/admin/qualification-records/import/", {
        "batch": batch.pk, "indicator": indicator("tech_contract").pk,
        "file": SimpleUploadedFile("records.xlsx", buffer.getvalue()),
    })
    assert QualificationRecord.objects.filter(credit_code=enterprise.credit_code).count() == 1


def test_a_department_cannot_import_or_see_another_departments_indicator(client, market_staff, tech_staff,
                                                                           enterprise, batch):
    client.force_login(market_staff)
    html = client.post("/admin/qualification-records/import/", {
        "batch": batch.pk, "indicator": indicator("tech_contract").pk,
        "file": csv_upload([contract_row(enterprise.credit_code)]),
    }).content.decode()
    assert "选择一个有效的选项" in html or "有效" in html
    assert not QualificationRecord.objects.exists()
    import_page = client.get("/admin/qualification-records/import/").content.decode()
    assert "发明专利" in import_page and "技术合同" not in import_page

    contract = record(enterprise, batch, key="HT-own")
    patent = record(enterprise, batch, code="invention_patent", key="ZL2025100001.1", amount="0")
    listing = client.get("/admin/qualification-records/").content.decode()
    assert "ZL2025100001.1" in listing and "HT-own" not in listing
    assert client.get(f"/admin/qualification-records/edit/{contract.pk}/").status_code == 404
    assert client.post(f"/admin/qualification-records/delete/{contract.pk}/").status_code == 404
    assert QualificationRecord.objects.filter(pk=contract.pk).exists()

    client.force_login(tech_staff)
    assert client.get(f"/admin/qualification-records/edit/{patent.pk}/").status_code == 404


def test_a_department_corrects_and_deletes_its_records_and_each_change_is_logged(client, tech_staff, enterprise,
                                                                                 batch):
    contract = record(enterprise, batch, key="HT-1", amount="10", contract_no="HT-1")
    client.force_login(tech_staff)
    form = {f"rec-tech_contract-{key}": value for key, value in {
        "contract_no": "HT-1", "project": "项目甲", "registration_type": "技术开发", "deal_amount": "88.80",
        "tech_amount": "80", "category": "技术开发合同", "registered_on": "2025-04-01"}.items()}
    response = client.post(f"/admin/qualification-records/edit/{contract.pk}/", form)
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.amount == Decimal("88.80") and contract.values["project"] == "项目甲"
    client.post(f"/admin/qualification-records/delete/{contract.pk}/")
    assert not QualificationRecord.objects.filter(pk=contract.pk).exists()
    assert list(RecordChange.objects.order_by("pk").values_list("action", flat=True)) == ["部门修改", "部门删除"]
    deleted = RecordChange.objects.get(action="部门删除")
    assert deleted.before["values"]["deal_amount"] == "88.80" and deleted.after is None


def test_the_change_log_cannot_be_edited():
    from django.core.exceptions import PermissionDenied

    change = RecordChange(record_id=1, indicator=indicator("tech_contract"), batch=make_batch(), credit_code="x",
                          action="导入新增", actor=make_staff("x"))
    change.save()
    with pytest.raises(PermissionDenied):
        change.save()
    with pytest.raises(PermissionDenied):
        change.delete()


# ---- the enterprise's page -------------------------------------------------------------------

def test_counts_and_tables_match_the_records(client, enterprise, batch):
    record(enterprise, batch, key="HT-1", amount="120.50", contract_no="HT-1", deal_amount="120.50",
           project="工业视觉检测")
    record(enterprise, batch, key="HT-2", amount="30", contract_no="HT-2", deal_amount="30.00")
    other = approved_enterprise()
    record(other, batch, key="HT-other", contract_no="HT-other", project="别家的合同")
    client.force_login(enterprise.user)
    html = client.get(page_url(batch)).content.decode()
    row = re.search(r"<th scope=\"row\">技术合同.*?</tr>", html, re.S).group(0)
    assert 'class="record-count has-records">2</span>' in row
    patents = re.search(r"<th scope=\"row\">发明专利.*?</tr>", html, re.S).group(0)
    assert 'class="record-count">0</span>' in patents
    dialog = re.search(r'<dialog class="records-dialog" id="dlg-tech_contract".*?</dialog>', html, re.S).group(0)
    assert re.search(r"<th scope=\"col\">序号</th><th scope=\"col\">合同编号</th>", dialog)
    assert "成交额（万元）" in dialog and "技术交易额（万元）" in dialog
    assert "工业视觉检测" in dialog and "120.50" in dialog and "别家的合同" not in html
    assert "负责部门：高新区科技创新局" in dialog and "联系电话：0411-84820327" in dialog
    assert "如对此指标数据有疑问，请与相关部门电话联系。" in dialog


def test_the_page_needs_an_approved_basic_info_and_a_visible_batch(client, batch):
    from enterprise_business.tests.factories import make_enterprise

    newcomer = make_enterprise()
    client.force_login(newcomer.user)
    assert client.get(page_url(batch)).status_code == 302
    client.force_login(approved_enterprise().user)
    assert client.get("/enterprise/filings/999999/qualifications/").status_code == 404


def test_the_page_has_a_bounded_number_of_queries(client, enterprise, batch, django_assert_max_num_queries):
    for n in range(30):
        record(enterprise, batch, key=f"HT-{n}", contract_no=f"HT-{n}")
    client.force_login(enterprise.user)
    with django_assert_max_num_queries(22):
        assert client.get(page_url(batch)).status_code == 200


def self_record_data(**overrides):
    data = {"indicator": "venture_capital", "action": "add", "rec-venture_capital-agreement_no": "TZ-2025-001",
            "rec-venture_capital-investor": "大连科创投资基金", "rec-venture_capital-amount": "500",
            "rec-venture_capital-received_on": "2025-05-20", "rec-venture_capital-proof": pdf("投资协议.pdf")}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_enterprise_adds_and_deletes_a_self_reported_record_with_its_proof(client, enterprise, batch):
    client.force_login(enterprise.user)
    response = client.post(page_url(batch), self_record_data())
    assert response.status_code == 302 and response["Location"].endswith("?open=venture_capital")
    saved = QualificationRecord.objects.get(credit_code=enterprise.credit_code)
    assert saved.source == "self" and not saved.in_force and saved.amount == Decimal("500.00")
    assert saved.proof.original_name == "投资协议.pdf" and saved.proof.owner == enterprise.user
    assert saved.filing == PointsFiling.objects.get(enterprise=enterprise, batch=batch)
    html = client.get(page_url(batch)).content.decode()
    assert "大连科创投资基金" in html and f"/enterprise/files/{saved.proof_id}/" in html
    assert client.get(f"/enterprise/files/{saved.proof_id}/").status_code == 200

    client.post(page_url(batch), {"indicator": "venture_capital", "action": "delete", "record": saved.pk})
    assert not QualificationRecord.objects.exists()
    assert list(RecordChange.objects.order_by("pk").values_list("action", flat=True)) == ["企业新增", "企业删除"]


def test_a_refused_record_keeps_what_was_typed_and_the_uploaded_proof(client, enterprise, batch):
    client.force_login(enterprise.user)
    response = client.post(page_url(batch), self_record_data(**{"rec-venture_capital-amount": "五百"}))
    html = response.content.decode()
    assert response.status_code == 200 and "请输入数字，最多两位小数。" in html
    assert 'value="大连科创投资基金"' in html and "已上传：" in html and "投资协议.pdf" in html
    token = response.context["rows"][10]["record_form"].kept_token("proof")
    assert token
    client.post(page_url(batch), self_record_data(**{"rec-venture_capital-proof": None,
                                                     "rec-venture_capital-proof__kept": token}))
    assert QualificationRecord.objects.get().proof.original_name == "投资协议.pdf"


def test_a_self_record_needs_a_real_proof(client, enterprise, batch):
    client.force_login(enterprise.user)
    html = client.post(page_url(batch), self_record_data(
        **{"rec-venture_capital-proof": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf")})).content.decode()
    assert "文件内容与扩展名不符" in html and not QualificationRecord.objects.exists()
    html = client.post(page_url(batch), self_record_data(**{"rec-venture_capital-proof": None})).content.decode()
    assert "请上传证明文件。" in html


def test_imported_indicators_cannot_be_self_reported(client, enterprise, batch):
    client.force_login(enterprise.user)
    data = {"indicator": "tech_contract", "action": "add", "rec-tech_contract-contract_no": "X",
            "rec-tech_contract-project": "X", "rec-tech_contract-registration_type": "X",
            "rec-tech_contract-deal_amount": "1", "rec-tech_contract-tech_amount": "1",
            "rec-tech_contract-category": "X", "rec-tech_contract-registered_on": "2025-01-01",
            "rec-tech_contract-proof": pdf()}
    client.post(page_url(batch), data)
    assert not QualificationRecord.objects.exists()


def test_self_reporting_is_closed_once_the_filing_is_submitted_or_the_batch_closed(client, enterprise, batch):
    client.force_login(enterprise.user)
    client.post(page_url(batch), self_record_data())
    saved = QualificationRecord.objects.get()
    client.post(f"/enterprise/filings/{batch.pk}/", {**complete(), "submit": ""})
    assert PointsFiling.objects.get(enterprise=enterprise).status == "submitted"
    client.post(page_url(batch), self_record_data(**{"rec-venture_capital-agreement_no": "TZ-2"}))
    client.post(page_url(batch), {"indicator": "venture_capital", "action": "delete", "record": saved.pk})
    assert list(QualificationRecord.objects.values_list("record_key", flat=True)) == ["TZ-2025-001"]
    html = client.get(page_url(batch)).content.decode()
    assert "资质记录暂不能修改" in html and ">删除<" not in html

    closed = make_batch(2024, open_=False)
    client.post(page_url(closed), self_record_data())
    assert not QualificationRecord.objects.filter(batch=closed).exists()


def test_another_enterprises_records_are_unreachable(client, enterprise, batch):
    client.force_login(enterprise.user)
    client.post(page_url(batch), self_record_data())
    saved = QualificationRecord.objects.get()
    intruder = approved_enterprise()
    client.force_login(intruder.user)
    assert "大连科创投资基金" not in client.get(page_url(batch)).content.decode()
    response = client.post(page_url(batch), {"indicator": "venture_capital", "action": "delete", "record": saved.pk})
    assert response.status_code == 404 and QualificationRecord.objects.filter(pk=saved.pk).exists()
    assert client.get(f"/enterprise/files/{saved.proof_id}/").status_code == 404


def test_approval_puts_self_records_in_force_and_removes_withdrawn_ones(client, enterprise, batch):
    client.force_login(enterprise.user)
    client.post(page_url(batch), self_record_data())
    client.post(f"/enterprise/filings/{batch.pk}/", {**complete(), "submit": ""})
    filing = PointsFiling.objects.get(enterprise=enterprise)
    assert filing.records_confirmed_at is not None
    points.approve(filing.pk, make_reviewer())
    saved = QualificationRecord.objects.get()
    assert saved.in_force

    client.post(page_url(batch), {"indicator": "venture_capital", "action": "delete", "record": saved.pk})
    saved.refresh_from_db()
    assert saved.withdrawn and saved.in_force, "a deleted approved record still counts until the next approval"
    assert "大连科创投资基金" not in client.get(page_url(batch)).content.decode()
    client.post(f"/enterprise/filings/{batch.pk}/", {**complete(), "submit": ""})
    points.approve(filing.pk, make_reviewer("reviewer2"))
    assert not QualificationRecord.objects.exists()


def test_submitting_needs_the_records_confirmation(client, enterprise, batch):
    client.force_login(enterprise.user)
    data = complete()
    del data["records_confirmed"]
    html = client.post(f"/enterprise/filings/{batch.pk}/", {**data, "submit": ""}).content.decode()
    assert "并勾选“核实无误”" in html
    assert not PointsFiling.objects.filter(enterprise=enterprise, status="submitted").exists()


def test_the_reviewer_sees_qualification_rows_and_self_records(client, enterprise, batch):
    client.force_login(enterprise.user)
    client.post(page_url(batch), self_record_data())
    client.post(f"/enterprise/filings/{batch.pk}/", {**complete(), "submit": ""})
    filing = PointsFiling.objects.get(enterprise=enterprise)
    client.force_login(make_reviewer())
    html = client.get(f"/admin/points/inspect/{filing.pk}/").content.decode()
    assert "相关资质" in html and "大连科创投资基金" in html and "投资协议.pdf" in html and "（新增，待审核）" in html


# ---- data questions --------------------------------------------------------------------------

def test_a_data_question_reaches_its_department_and_the_answer_reaches_the_enterprise(
        client, enterprise, batch, tech_staff, market_staff):
    record(enterprise, batch, key="HT-1", contract_no="HT-1")
    client.force_login(enterprise.user)
    response = client.post(page_url(batch), {
        "indicator": "tech_contract", "action": "question", "q-tech_contract-text": "合同HT-1的成交额应为150万元。",
        "q-tech_contract-attachment": pdf("合同扫描件.pdf"),
    })
    assert response.status_code == 302
    question = DataQuestion.objects.get()
    assert question.indicator.code == "tech_contract" and question.attachment.original_name == "合同扫描件.pdf"

    client.force_login(market_staff)
    assert "合同HT-1" not in client.get("/admin/data-questions/").content.decode()
    assert client.get(f"/admin/data-questions/inspect/{question.pk}/").status_code == 404
    client.post(f"/admin/data-questions/answer/{question.pk}/", {"answer": "越权答复"})
    assert client.get(f"/enterprise/files/{question.attachment_id}/").status_code == 404

    client.force_login(tech_staff)
    assert "合同HT-1" in client.get("/admin/data-questions/").content.decode()
    inspect = client.get(f"/admin/data-questions/inspect/{question.pk}/").content.decode()
    assert "合同HT-1的成交额应为150万元。" in inspect and "HT-1" in inspect
    assert client.get(f"/enterprise/files/{question.attachment_id}/").status_code == 200
    client.post(f"/admin/data-questions/answer/{question.pk}/", {"answer": "已核实，成交额已更正为150万元。"})
    question.refresh_from_db()
    assert question.answered_by == tech_staff and question.answer == "已核实，成交额已更正为150万元。"
    assert Message.objects.filter(recipient=enterprise.user, title="数据异议答复：技术合同").exists()

    client.force_login(enterprise.user)
    html = client.get(page_url(batch)).content.decode()
    assert "高新区科技创新局" in html and "已核实，成交额已更正为150万元。" in html


def test_a_data_question_needs_a_text(client, enterprise, batch):
    client.force_login(enterprise.user)
    html = client.post(page_url(batch), {"indicator": "tech_contract", "action": "question",
                                         "q-tech_contract-text": " "}).content.decode()
    assert "请填写异议内容。" in html and not DataQuestion.objects.exists()


def test_department_groups_exist_with_their_rights():
    group = Department.objects.get(name="高新区科技创新局").group
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_qualificationrecord", "change_qualificationrecord", "delete_qualificationrecord",
            "change_dataquestion", "view_recordchange", "access_admin"} <= codenames
    new = Department.objects.create(name="高新区人才服务中心")
    assert new.group.name == "数据负责部门·高新区人才服务中心"
    assert new.group.permissions.count() == group.permissions.count()


def test_scoring_admins_edit_the_catalogue_and_departments_do_not(client, tech_staff):
    from portal.core import roles

    contract = indicator("tech_contract")
    client.force_login(make_staff("jifen", roles.SCORING_ADMIN))
    html = client.get(f"/admin/indicators/edit/{contract.pk}/").content.decode()
    assert "记录字段" in html and 'value="合同编号"' in html and 'value="0411-84820327"' in html
    client.force_login(tech_staff)
    assert client.get(f"/admin/indicators/edit/{contract.pk}/").status_code in (302, 403)


def test_the_records_list_is_lean_with_every_column_and_a_fixed_number_of_queries(client, tech_staff, enterprise,
                                                                                 batch):
    """资质记录 is a LeanListing (portal.core.admin): each row's title links to its edit page, which
    was its dropdown's only button; every column keeps its heading; more rows, no more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(tech_staff)
    first = record(enterprise, batch, key="HT-1")

    def page():
        client.get("/admin/qualification-records/")
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/admin/qualification-records/").content.decode()
        return html, len(captured.captured_queries)

    html, few = page()
    assert f'<a href="/admin/qualification-records/edit/{first.pk}/">{enterprise.credit_code}</a>' in html
    assert "w-dropdown__toggle--icon" not in html.split('class="listing"')[1]
    for heading in ("统一社会信用代码", "指标", "填报批次", "唯一标识", "计分金额（万元）", "分类", "来源", "计入积分",
                    "更新时间"):
        assert heading in html.split("<thead>")[1].split("</thead>")[0]
    for n in range(2, 7):
        record(enterprise, batch, key=f"HT-{n}")
    html, many = page()
    assert html.count("/admin/qualification-records/edit/") == 6 and many == few


def test_the_page_reads_the_catalogue_once_until_an_indicator_changes(client, enterprise, batch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(enterprise.user)
    client.get(page_url(batch))
    with CaptureQueriesContext(connection) as context:
        assert client.get(page_url(batch)).status_code == 200
    assert not any('FROM "enterprise_business_qualificationindicator"' in q["sql"] for q in context.captured_queries)
    contract = indicator("tech_contract")
    contract.name = "技术合同（登记）"
    contract.save()
    assert "技术合同（登记）" in client.get(page_url(batch)).content.decode()
    column = contract.ordered_columns[0]
    column.label = "合同编号（新）"
    column.save()
    assert "合同编号（新）" in client.get(page_url(batch)).content.decode()


def test_indicator_rows_hold_the_enterprises_own_visible_records_and_questions_of_the_batch(enterprise, batch):
    """What the enterprise's 相关资质填报 page and the reviewer's page of its filing list for an
    indicator (selectors.indicator_rows, through queries compiled once per worker): its own
    records of this batch, oldest first, none it withdrew; its own questions of this batch."""
    from enterprise_business.qualifications.selectors import indicator_rows

    record(enterprise, batch, key="HT-1")
    record(enterprise, batch, key="HT-2")
    QualificationRecord.objects.filter(pk=record(enterprise, batch, key="HT-3").pk).update(withdrawn=True)
    record(enterprise, make_batch(2024, open_=False), key="HT-4")
    other = approved_enterprise()
    record(other, batch, key="HT-5")
    contracts = indicator("tech_contract")
    DataQuestion.objects.create(enterprise=enterprise, batch=batch, indicator=contracts, text="合同金额有误",
                                asked_by=enterprise.user)
    DataQuestion.objects.create(enterprise=other, batch=batch, indicator=contracts, text="别家的异议",
                                asked_by=other.user)
    for _ in range(2):  # compiled the first time, the kept SQL the second
        rows = {row["indicator"].pk: row for row in indicator_rows(enterprise, batch)}
        assert [r.record_key for r, _ in rows[contracts.pk]["records"]] == ["HT-1", "HT-2"]
        assert rows[contracts.pk]["count"] == 2
        assert [q.text for q in rows[contracts.pk]["questions"]] == ["合同金额有误"]
