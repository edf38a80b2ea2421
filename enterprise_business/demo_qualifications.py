"""Demo 相关资质: department accounts, realistic records for the demo enterprises in both
batches (大连润禾环保 has none, so the empty state shows too), one self-reported record with
its proof and one answered data question."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from enterprise_business.models import (
    Batch,
    DataQuestion,
    Department,
    Enterprise,
    QualificationIndicator,
    QualificationRecord,
)
from enterprise_business.qualifications.services import derived_fields
from portal.core.identifiers import credit_code_check_char

DEPARTMENT_ACCOUNTS = [
    ("keji", "keji12345", "科技创新局数据专员", "高新区科技创新局"),
    ("shichang", "shichang12345", "市场监督管理局数据专员", "高新区市场监督管理局"),
]

# (first 17 of the credit code, indicator code, column values)
RECORDS = [
    ("91210231MA0QX7LK1", "tech_contract", {
        "contract_no": "2025210200000318", "project": "港口集装箱智能识别算法开发", "registration_type": "技术开发",
        "deal_amount": "186.00", "tech_amount": "172.50", "category": "技术开发合同", "registered_on": "2025-04-18"}),
    ("91210231MA0QX7LK1", "tech_contract", {
        "contract_no": "2025210200000542", "project": "工业数据中台技术服务", "registration_type": "技术服务",
        "deal_amount": "64.80", "tech_amount": "58.00", "category": "技术服务合同", "registered_on": "2025-08-02"}),
    ("91210231MA0QX7LK1", "invention_patent", {
        "patent_no": "ZL202310456789.3", "title": "一种基于深度学习的集装箱箱号识别方法", "granted_on": "2025-02-14",
        "holder": "大连栖川数据技术有限公司", "legal_status": "有效"}),
    ("91210231MA0QX7LK1", "invention_patent", {
        "patent_no": "ZL202310998877.1", "title": "一种多源异构数据融合清洗方法", "granted_on": "2025-09-30",
        "holder": "大连栖川数据技术有限公司", "legal_status": "有效"}),
    ("91210231MA0QX7LK1", "software_copyright", {
        "registration_no": "2025SR0187654", "software": "栖川港航数据治理平台V2.0", "registered_on": "2025-03-09"}),
    ("91210231MA0QX7LK1", "high_tech", {
        "certificate_no": "GR202321200388", "year": 2023, "issued_on": "2023-12-12"}),
    ("91210231MA0QX7LK1", "tech_sme", {
        "registration_no": "202521020300001234", "year": 2025, "listed_on": "2025-05-06"}),
    ("91210231MA0XA1F70", "utility_patent", {
        "patent_no": "ZL202420334455.6", "title": "一种激光切割头冷却装置", "granted_on": "2025-01-21",
        "holder": "大连恒拓激光科技有限公司", "legal_status": "有效"}),
    ("91210231MA0XA1F70", "trademark", {
        "registration_no": "68451237", "mark": "恒拓", "class_no": "第7类", "registered_on": "2024-06-07"}),
    ("91210231MA0XA1F70", "rd_institution", {
        "approval_no": "大科发〔2024〕58号", "institution": "大连市激光精密加工工程技术研究中心", "level": "市级",
        "approved_on": "2024-11-20"}),
    ("91210231MA0XA1F70", "sci_project", {
        "project_no": "2025JB11GX032", "project": "高功率光纤激光焊接关键技术研究", "level": "市级",
        "funding": "50.00", "approved_on": "2025-03-28"}),
    ("91210231MA0R2H8T6", "tech_contract", {
        "contract_no": "2025210200000777", "project": "智能分拣机器人视觉系统委托开发", "registration_type": "技术开发",
        "deal_amount": "95.00", "tech_amount": "90.00", "category": "技术开发合同", "registered_on": "2025-06-11"}),
]


def build(report) -> list[tuple[str, str, str]]:
    accounts = _accounts(report)
    batches = list(Batch.objects.filter(data_year__in=(2024, 2025)))
    if not batches or QualificationRecord.objects.filter(credit_code__startswith="91210231MA0QX7LK1").exists():
        return accounts
    indicators = {i.code: i for i in QualificationIndicator.objects.prefetch_related("columns")}
    for batch in batches:
        for code17, indicator_code, values in RECORDS:
            indicator = indicators[indicator_code]
            QualificationRecord.objects.create(
                indicator=indicator, batch=batch, credit_code=code17 + credit_code_check_char(code17),
                source=QualificationRecord.Source.IMPORT, in_force=True, **derived_fields(indicator, values))
    report(f"资质记录：{len(RECORDS)}条 × {len(batches)}个批次")
    _question(indicators["tech_contract"])
    _self_report(indicators["venture_capital"])
    return accounts


def _accounts(report):
    User = get_user_model()
    made = []
    for username, password, display_name, department_name in DEPARTMENT_ACCOUNTS:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
        user.set_password(password)
        user.is_staff = True
        user.save()
        user.groups.set(Group.objects.filter(pk=Department.objects.get(name=department_name).group_id))
        if created:
            report(f"账号 {username}（{department_name}）已创建")
        made.append((username, password, f"部门·{department_name}"))
    return made


def _question(indicator):
    code17 = "91210231MA0QX7LK1"
    enterprise = Enterprise.objects.get(credit_code=code17 + credit_code_check_char(code17))
    batch = Batch.objects.get(data_year=2025)
    staff = get_user_model().objects.get(username="keji")
    DataQuestion.objects.create(
        enterprise=enterprise, batch=batch, indicator=indicator, asked_by=enterprise.user,
        text="合同2025210200000542的技术交易额应为60.00万元，请核实。",
        answer="经核对技术合同登记系统，该合同技术交易额为58.00万元，平台数据无误。", answered_by=staff,
        answered_at=timezone.now(),
    )


def _self_report(indicator):
    """恒拓激光's 2025 filing is a draft: it has reported a venture investment, not yet approved."""
    from enterprise_business.models import PointsFiling
    from portal.core.demo.pdf import pdf_upload
    from portal.core.files.services import store

    code17 = "91210231MA0XA1F70"
    filing = PointsFiling.objects.select_related("enterprise__user", "batch").get(
        enterprise__credit_code=code17 + credit_code_check_char(code17), batch__data_year=2025)
    values = {"agreement_no": "HT-TZ-2025-017", "investor": "大连高新创业投资基金", "amount": "800.00",
              "received_on": "2025-07-15"}
    proof = store(pdf_upload("大连恒拓激光科技有限公司投资协议及到账凭证"), filing.enterprise.user,
                        filing.enterprise.user)
    QualificationRecord.objects.create(
        indicator=indicator, batch=filing.batch, credit_code=filing.enterprise.credit_code,
        source=QualificationRecord.Source.SELF, filing=filing, proof=proof, in_force=False,
        **derived_fields(indicator, values))
