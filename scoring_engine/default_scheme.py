"""The default scheme, modelled on 科技部火炬中心《企业创新积分制工作指引》: 19 core indicators
in 技术创新 (50 points), 成长经营 (30) and 辅助 (20), 7 加分 items and 1 负面 item, each
reading a figure this platform collects. Rationale: docs/scoring-scheme.md.

Installed by a data migration so every deployment starts with it; scoring admins copy and
edit it in the admin. The stage weights are balanced in pairs (e.g. 营业收入 0.5/1/1.5 against
营业收入增长率 1.5/1/0.5, both 7 points) so each stage can reach the same 100 core points.
"""

from decimal import Decimal

NAME = "企业创新积分默认方案（参照全国指引）"
DESCRIPTION = (
    "参照科技部火炬中心《企业创新积分制工作指引》设置：技术创新指标50分、成长经营指标30分、辅助指标20分，"
    "另设加分项和负面减分项；初创期、成长期、稳定期分别设置权重。依据和说明见 docs/scoring-scheme.md。"
)
STAGE_RULE = {"startup_max_age": 3, "startup_max_revenue": Decimal("1000"), "mature_min_revenue": Decimal("20000")}

SCALE_UP = ("0.5", "1", "1.5")  # scale matters more as an enterprise matures
SCALE_DOWN = ("1.5", "1", "0.5")  # growth and funding matter more early on
EVEN = ("1", "1", "1")
R_UP = ("0.75", "1", "1.25")
R_DOWN = ("1.25", "1", "0.75")

# (code, name, category, source dict, rule dict, cap, weights, description)
INDICATORS = [
    # --- 技术创新 (50) ------------------------------------------------------------------
    ("rd_expense", "研发费用金额", "innovation", {"source": "field", "field": "rd_expense"},
     {"rule": "percentile"}, "8", R_UP, "Y年研发费用（万元），按同阶段企业中的百分位计分。"),
    ("rd_growth", "研发费用增长率", "innovation",
     {"source": "growth", "field": "rd_expense", "previous_field": "rd_expense_prev"},
     {"rule": "segments", "segments": "0:1,10:3,20:4,30:5"}, "5", EVEN, "Y年较Y-1年研发费用的增长率。"),
    ("rd_intensity", "研发投入强度", "innovation",
     {"source": "ratio", "field": "rd_expense", "denominator_field": "revenue"},
     {"rule": "segments", "segments": "3:2,5:4,8:6,12:8"}, "8", R_DOWN, "研发费用占营业收入的比例。"),
    ("rd_staff_share", "研发人员占比", "innovation",
     {"source": "ratio", "field": "rd_staff", "denominator_field": "staff_total"},
     {"rule": "linear", "lower": "5", "upper": "30"}, "5", EVEN, "研发人员数占期末人员总数的比例。"),
    ("rd_tax_deduction", "研发费用加计扣除减免额", "innovation", {"source": "field", "field": "rd_tax_deduction"},
     {"rule": "percentile"}, "3", EVEN, "企业Y年研发费用加计扣除所得税减免额（万元）。"),
    ("invention_patent", "发明专利", "innovation",
     {"source": "record_count", "record_indicator": "invention_patent"},
     {"rule": "segments", "segments": "1:3,2:5,5:7,10:8"}, "8", EVEN, "有效发明专利件数（部门导入）。"),
    ("utility_patent", "实用新型专利", "innovation",
     {"source": "record_count", "record_indicator": "utility_patent"},
     {"rule": "segments", "segments": "1:1,3:2,6:3"}, "3", EVEN, "实用新型专利件数。"),
    ("software_copyright", "软件著作权", "innovation",
     {"source": "record_count", "record_indicator": "software_copyright"},
     {"rule": "segments", "segments": "1:1,3:2,6:3"}, "3", EVEN, "软件著作权登记件数。"),
    ("tech_contract", "技术合同成交额", "innovation",
     {"source": "record_sum", "record_indicator": "tech_contract"},
     {"rule": "segments", "segments": "1:1,50:2,200:3,500:4"}, "4", EVEN, "登记的技术合同成交额合计（万元）。"),
    ("sci_project", "承担科技计划项目", "innovation",
     {"source": "record_sum", "record_indicator": "sci_project"},
     {"rule": "linear", "lower": "0", "upper": "200"}, "3", EVEN, "承担的各级科技计划项目资助金额合计（万元）。"),
    # --- 成长经营 (30) ------------------------------------------------------------------
    ("revenue", "营业收入", "operation", {"source": "field", "field": "revenue"},
     {"rule": "percentile"}, "7", SCALE_UP, "Y年营业收入（万元），按同阶段企业中的百分位计分。"),
    ("revenue_growth", "营业收入增长率", "operation",
     {"source": "growth", "field": "revenue", "previous_field": "revenue_prev"},
     {"rule": "segments", "segments": "0:1,10:3,20:5,30:7"}, "7", SCALE_DOWN, "Y年较Y-1年营业收入的增长率。"),
    ("equity_growth", "所有者权益增长率", "operation",
     {"source": "growth", "field": "equity_end", "previous_field": "equity_begin"},
     {"rule": "linear", "lower": "0", "upper": "30"}, "5", EVEN, "Y年末较年初所有者权益的增长率。"),
    ("tax_paid", "上缴税费总额", "operation", {"source": "field", "field": "tax_paid"},
     {"rule": "percentile"}, "5", SCALE_UP, "Y年企业实际上缴税费总额（万元），按同阶段百分位计分。"),
    ("tax_growth", "上缴税费增长率", "operation",
     {"source": "growth", "field": "tax_paid", "previous_field": "tax_paid_prev"},
     {"rule": "segments", "segments": "0:2,10:4,20:6"}, "6", EVEN, "Y年较Y-1年实际上缴税费的增长率。"),
    # --- 辅助 (20) ----------------------------------------------------------------------
    ("graduates_hired", "吸纳高校应届毕业生", "auxiliary", {"source": "field", "field": "graduates_hired"},
     {"rule": "segments", "segments": "1:2,3:3,5:4,10:5"}, "5", EVEN, "企业当年吸纳高校应届毕业生人数。"),
    ("venture_capital", "获得风险投资金额", "auxiliary",
     {"source": "record_sum", "record_indicator": "venture_capital"},
     {"rule": "segments", "segments": "1:2,100:3,500:4,1000:5"}, "5", SCALE_DOWN, "获得的风险投资金额合计（万元）。"),
    ("degree_share", "本科及以上学历人员占比", "auxiliary",
     {"source": "ratio", "field": "degree_count", "denominator_field": "staff_total"},
     {"rule": "linear", "lower": "20", "upper": "80"}, "5", EVEN, "大学本科与研究生学历人数之和占期末人员总数的比例。"),
    ("social_security_growth", "社保参保人数增长率", "auxiliary",
     {"source": "growth", "field": "social_security", "previous_field": "social_security_prev"},
     {"rule": "linear", "lower": "0", "upper": "20"}, "5", EVEN, "Y年12月较Y-1年12月社保人数的增长率。"),
    # --- 加分 ---------------------------------------------------------------------------
    ("high_tech", "高新技术企业认定", "bonus", {"source": "record_count", "record_indicator": "high_tech"},
     {"rule": "bonus", "points": "5"}, "5", EVEN, "持有有效的高新技术企业证书。"),
    ("tech_sme", "科技型中小企业", "bonus", {"source": "record_count", "record_indicator": "tech_sme"},
     {"rule": "bonus", "points": "2"}, "2", EVEN, "当年通过科技型中小企业评价入库。"),
    ("rd_institution_national", "国家级研发机构", "bonus",
     {"source": "record_count", "record_indicator": "rd_institution", "record_kind": "国家级"},
     {"rule": "bonus", "points": "5"}, "5", EVEN, "建有国家级研发机构（重点实验室、技术中心等）。"),
    ("rd_institution_provincial", "省级研发机构", "bonus",
     {"source": "record_count", "record_indicator": "rd_institution", "record_kind": "省级"},
     {"rule": "bonus", "points": "3"}, "3", EVEN, "建有省级研发机构。"),
    ("standard", "主导或参与制定标准", "bonus", {"source": "record_count", "record_indicator": "standard"},
     {"rule": "bonus", "points": "2"}, "6", EVEN, "每项已发布的标准加2分，最多6分。"),
    ("sci_award", "科技奖励", "bonus", {"source": "record_count", "record_indicator": "sci_award"},
     {"rule": "bonus", "points": "2"}, "4", EVEN, "每项科技奖励加2分，最多4分。"),
    ("trademark", "注册商标", "bonus", {"source": "record_count", "record_indicator": "trademark"},
     {"rule": "bonus", "points": "0.5"}, "2", EVEN, "每件注册商标加0.5分，最多2分。"),
    # --- 负面 ---------------------------------------------------------------------------
    ("negative_record", "失信或行政处罚记录", "negative",
     {"source": "record_count", "record_indicator": "negative_record"},
     {"rule": "deduction", "points": "10"}, "20", EVEN, "每条失信或行政处罚记录扣10分，最多扣20分。"),
]


def indicator_rows():
    """Field values of each default indicator, ready for SchemeIndicator(**row)."""
    for order, (code, name, category, source, rule, cap, weights, description) in enumerate(INDICATORS, start=1):
        row = {
            "code": code, "name": name, "category": category, "source": "field", "field": "",
            "denominator_field": "", "previous_field": "", "record_indicator": "", "record_kind": "",
            "rule": "segments", "segments": "", "lower": None, "upper": None, "points": None,
            "cap": Decimal(cap), "weight_startup": Decimal(weights[0]), "weight_growth": Decimal(weights[1]),
            "weight_mature": Decimal(weights[2]), "sort_order": order * 10, "description": description,
        }
        row.update(source)
        row.update({key: Decimal(value) if key in ("lower", "upper", "points") else value
                    for key, value in rule.items()})
        yield row


def install_default_scheme(Scheme, SchemeIndicator):
    """Create the default scheme unless one of that name exists (data migration, tests)."""
    if Scheme.objects.filter(name=NAME).exists():
        return Scheme.objects.filter(name=NAME).order_by("pk").first()
    scheme = Scheme.objects.create(name=NAME, description=DESCRIPTION, **STAGE_RULE)
    SchemeIndicator.objects.bulk_create([SchemeIndicator(scheme=scheme, **row) for row in indicator_rows()])
    return scheme
