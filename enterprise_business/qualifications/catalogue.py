"""The default qualification indicator catalogue (相关资质指标), installed by a data migration
so that every deployment starts with it; scoring admins edit it in the admin afterwards.

Each indicator: code, name, department, 负责人, 联系电话, self-reported or imported, and its
columns as (key, label, type, role). The codes are what the scoring scheme refers to.
"""

TECH_BUREAU = ("高新区科技创新局", "高新区科技创新局", "0411-84820327")
MARKET_BUREAU = ("高新区市场监督管理局", "知识产权科", "0411-84790265")
ECONOMY_BUREAU = ("高新区经济发展局", "金融服务科", "0411-84790332")

TEXT, AMOUNT, INTEGER, DATE = "text", "amount", "integer", "date"

PATENT_COLUMNS = [
    ("patent_no", "专利号", TEXT, "key"), ("title", "专利名称", TEXT, ""), ("granted_on", "授权公告日", DATE, ""),
    ("holder", "专利权人", TEXT, ""), ("legal_status", "法律状态", TEXT, "kind"),
]

DEFAULT_INDICATORS = [
    ("tech_contract", "技术合同", TECH_BUREAU, False, [
        ("contract_no", "合同编号", TEXT, "key"), ("project", "项目名称", TEXT, ""),
        ("registration_type", "登记类型", TEXT, "kind"), ("deal_amount", "成交额", AMOUNT, "amount"),
        ("tech_amount", "技术交易额", AMOUNT, ""), ("category", "合同类别", TEXT, ""),
        ("registered_on", "登记日期", DATE, ""),
    ]),
    ("invention_patent", "发明专利", MARKET_BUREAU, False, PATENT_COLUMNS),
    ("utility_patent", "实用新型专利", MARKET_BUREAU, False, PATENT_COLUMNS),
    ("software_copyright", "软件著作权", MARKET_BUREAU, False, [
        ("registration_no", "登记号", TEXT, "key"), ("software", "软件名称", TEXT, ""),
        ("registered_on", "登记日期", DATE, ""),
    ]),
    ("trademark", "注册商标", MARKET_BUREAU, False, [
        ("registration_no", "注册号", TEXT, "key"), ("mark", "商标名称", TEXT, ""),
        ("class_no", "类别", TEXT, "kind"), ("registered_on", "注册日期", DATE, ""),
    ]),
    ("high_tech", "高新技术企业认定", TECH_BUREAU, False, [
        ("certificate_no", "证书编号", TEXT, "key"), ("year", "认定年度", INTEGER, ""),
        ("issued_on", "发证日期", DATE, ""),
    ]),
    ("tech_sme", "科技型中小企业评价", TECH_BUREAU, False, [
        ("registration_no", "入库登记编号", TEXT, "key"), ("year", "评价年度", INTEGER, ""),
        ("listed_on", "入库日期", DATE, ""),
    ]),
    ("rd_institution", "研发机构", TECH_BUREAU, False, [
        ("approval_no", "批准文号", TEXT, "key"), ("institution", "机构名称", TEXT, ""),
        ("level", "级别", TEXT, "kind"), ("approved_on", "认定日期", DATE, ""),
    ]),
    ("sci_award", "科技奖励", TECH_BUREAU, False, [
        ("certificate_no", "证书编号", TEXT, "key"), ("award", "奖项名称", TEXT, ""),
        ("level", "级别", TEXT, "kind"), ("grade", "等级", TEXT, ""), ("awarded_on", "获奖日期", DATE, ""),
    ]),
    ("sci_project", "承担科技计划项目", TECH_BUREAU, False, [
        ("project_no", "项目编号", TEXT, "key"), ("project", "项目名称", TEXT, ""),
        ("level", "级别", TEXT, "kind"), ("funding", "资助金额", AMOUNT, "amount"),
        ("approved_on", "立项日期", DATE, ""),
    ]),
    ("venture_capital", "获得风险投资", ECONOMY_BUREAU, True, [
        ("agreement_no", "投资协议编号", TEXT, "key"), ("investor", "投资机构", TEXT, ""),
        ("amount", "投资金额", AMOUNT, "amount"), ("received_on", "到账日期", DATE, ""),
    ]),
    ("standard", "主导或参与制定标准", MARKET_BUREAU, True, [
        ("standard_no", "标准号", TEXT, "key"), ("standard", "标准名称", TEXT, ""),
        ("level", "标准级别", TEXT, "kind"), ("role", "参与方式", TEXT, ""), ("published_on", "发布日期", DATE, ""),
    ]),
    ("negative_record", "失信或行政处罚记录", MARKET_BUREAU, False, [
        ("decision_no", "决定书文号", TEXT, "key"), ("matter", "事项", TEXT, ""),
        ("penalty_type", "处罚类型", TEXT, "kind"), ("decided_on", "决定日期", DATE, ""),
    ]),
]


def install_default_catalogue(Department, QualificationIndicator, IndicatorColumn, Group):
    """Create the departments (with their groups) and the indicators that do not exist yet."""
    from portal.core.roles import DEPARTMENT_STAFF

    for order, (code, name, (department_name, person, phone), self_reported, columns) in enumerate(
        DEFAULT_INDICATORS, start=1
    ):
        department = Department.objects.filter(name=department_name).first()
        if department is None:
            group, _ = Group.objects.get_or_create(name=f"{DEPARTMENT_STAFF}·{department_name}")
            department = Department.objects.create(name=department_name, group=group)
        indicator, created = QualificationIndicator.objects.get_or_create(code=code, defaults={
            "name": name, "department": department, "contact_person": person, "contact_phone": phone,
            "self_reported": self_reported, "sort_order": order,
        })
        if created:
            for position, (key, label, kind, role) in enumerate(columns, start=1):
                IndicatorColumn.objects.create(indicator=indicator, key=key, label=label, type=kind, role=role,
                                               sort_order=position)


def ensure_default_catalogue():
    """The catalogue with the current models and its department groups' rights, e.g. after a
    test has flushed the database (which empties what the data migration installed)."""
    from django.contrib.auth.models import Group

    from enterprise_business.models import Department, IndicatorColumn, QualificationIndicator
    from enterprise_business.qualifications.services import ensure_department_groups

    install_default_catalogue(Department, QualificationIndicator, IndicatorColumn, Group)
    ensure_department_groups()
