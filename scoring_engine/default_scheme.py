"""The default scheme, following the structure of 科技部《“创新积分制”工作指引（全国试行版）》
(2024): 18 core indicators (核心指标) in the three first-level categories 技术创新, 成长经营
and 辅助, with weights that differ by stage (初创期, 成长期, 稳定期), plus the zone's own
indicators (地方指标: three in the categories, the 加分 items and the 负面 item). What is and
is not confirmed about the guideline, and why each indicator is here: docs/scoring-scheme.md,
whose tables are generated from this data (`scoring_engine.scheme_doc`).

Each core indicator reads a figure this platform collects. Two of the guideline's core
indicators are not collected; each is named (`stands_in_for`) on the indicator that stands
in for it: 高新技术产品收入 (by 高新技术企业认定) and 净资产利润率 (by 所有者权益增长率).

Installed by data migrations (0002, updated by 0008) so every deployment starts with it;
scoring admins copy and edit it in the admin. The stage weights come in pairs of equal caps
(e.g. 营业收入 ×0.5/1/1.5 against 营业收入增长率 ×1.5/1/0.5, both 7 points) so the core
indicators give 100 points at every stage.
"""

import hashlib
import json
from decimal import Decimal

NAME = "企业创新积分默认方案（参照全国试行版指引）"
# The name the default had until the scheme above replaced it (migration 0008).
PREVIOUS_NAME = "企业创新积分默认方案（参照全国指引）"
DESCRIPTION = (
    "参照科技部《“创新积分制”工作指引（全国试行版）》（2024年）的结构设置：技术创新、成长经营、辅助"
    "三类一级指标下的18项核心指标，初创期、成长期、稳定期分别设置权重，核心指标每个阶段满分均为100分；"
    "另设本区地方指标、加分项和负面减分项。平台无法采集的核心指标以相近指标代替并注明。"
    "依据和说明见 docs/scoring-scheme.md。"
)
SCHEME_FIELDS = {
    "startup_max_age": 3,
    "startup_max_revenue": Decimal("1000"),
    "mature_min_revenue": Decimal("20000"),
    "percentile_min_group": 10,
}

SCALE_UP = ("0.5", "1", "1.5")  # scale matters more as an enterprise matures
SCALE_DOWN = ("1.5", "1", "0.5")  # growth and funding matter more early on
EVEN = ("1", "1", "1")
R_UP = ("0.75", "1", "1.25")
R_DOWN = ("1.25", "1", "0.75")
CORE, LOCAL = "core", "local"

# (code, name, category, kind, stands in for, source dict, rule dict, cap, weights, description)
INDICATORS = [
    # --- 技术创新: 9 core, 2 local ------------------------------------------------------
    ("rd_expense", "研发费用金额", "innovation", CORE, "", {"source": "field", "field": "rd_expense"},
     {"rule": "percentile"}, "8", R_UP, "Y年研发费用（万元），按同阶段企业中的百分位计分。"),
    ("rd_growth", "研发费用增长率", "innovation", CORE, "",
     {"source": "growth", "field": "rd_expense", "previous_field": "rd_expense_prev"},
     {"rule": "segments", "segments": "0:1,10:3,20:4,30:5"}, "5", EVEN, "Y年较Y-1年研发费用的增长率。"),
    ("rd_intensity", "研发投入强度", "innovation", CORE, "",
     {"source": "ratio", "field": "rd_expense", "denominator_field": "revenue"},
     {"rule": "segments", "segments": "3:2,5:4,8:6,12:8"}, "8", R_DOWN, "研发费用占营业收入的比例。"),
    ("rd_staff", "研发人员数", "innovation", CORE, "", {"source": "field", "field": "rd_staff"},
     {"rule": "segments", "segments": "1:1,5:2,10:3,20:4,50:5"}, "5", EVEN, "期末研发人员数。"),
    ("rd_staff_share", "研发人员占比", "innovation", CORE, "",
     {"source": "ratio", "field": "rd_staff", "denominator_field": "staff_total"},
     {"rule": "linear", "lower": "5", "upper": "30"}, "5", EVEN, "研发人员数占期末人员总数的比例。"),
    ("invention_patent", "知识产权（发明专利）", "innovation", CORE, "",
     {"source": "record_count", "record_indicator": "invention_patent"},
     {"rule": "segments", "segments": "1:3,2:5,5:7,10:8"}, "8", EVEN,
     "有效发明专利件数（部门导入）；实用新型专利、软件著作权另作地方指标。"),
    ("tech_contract", "技术合同成交额", "innovation", CORE, "",
     {"source": "record_sum", "record_indicator": "tech_contract"},
     {"rule": "segments", "segments": "1:1,50:2,200:3,500:4"}, "4", EVEN, "登记的技术合同成交额合计（万元）。"),
    ("sci_project", "承担科技计划项目", "innovation", CORE, "",
     {"source": "record_sum", "record_indicator": "sci_project"},
     {"rule": "linear", "lower": "0", "upper": "200"}, "4", EVEN, "承担的各级科技计划项目资助金额合计（万元）。"),
    ("rd_tax_deduction", "研发费用加计扣除减免额", "innovation", CORE, "",
     {"source": "field", "field": "rd_tax_deduction"},
     {"rule": "percentile"}, "3", EVEN, "企业Y年研发费用加计扣除所得税减免额（万元），按同阶段百分位计分。"),
    ("utility_patent", "实用新型专利", "innovation", LOCAL, "",
     {"source": "record_count", "record_indicator": "utility_patent"},
     {"rule": "segments", "segments": "1:1,3:2,6:3"}, "3", EVEN, "实用新型专利件数（本区地方指标）。"),
    ("software_copyright", "软件著作权", "innovation", LOCAL, "",
     {"source": "record_count", "record_indicator": "software_copyright"},
     {"rule": "segments", "segments": "1:1,3:2,6:3"}, "3", EVEN, "软件著作权登记件数（本区地方指标）。"),
    # --- 成长经营: 5 core, 1 local ------------------------------------------------------
    ("revenue", "营业收入", "operation", CORE, "", {"source": "field", "field": "revenue"},
     {"rule": "percentile"}, "7", SCALE_UP, "Y年营业收入（万元），按同阶段企业中的百分位计分。"),
    ("revenue_growth", "营业收入增长率", "operation", CORE, "",
     {"source": "growth", "field": "revenue", "previous_field": "revenue_prev"},
     {"rule": "segments", "segments": "0:1,10:3,20:5,30:7"}, "7", SCALE_DOWN, "Y年较Y-1年营业收入的增长率。"),
    ("high_tech", "高新技术企业认定", "operation", CORE, "高新技术产品收入",
     {"source": "record_count", "record_indicator": "high_tech"},
     {"rule": "yes_no"}, "6", EVEN,
     "平台不采集高新技术产品（服务）收入；高新技术企业认定要求该收入占总收入60%以上，故以持有有效的高新技术企业证书代替。"),
    ("equity_growth", "所有者权益增长率", "operation", CORE, "净资产利润率",
     {"source": "growth", "field": "equity_end", "previous_field": "equity_begin"},
     {"rule": "linear", "lower": "0", "upper": "30"}, "5", EVEN,
     "平台不采集净利润；以Y年末较年初所有者权益的增长率代替净资产利润率。"),
    ("tax_paid", "上缴税费总额", "operation", CORE, "", {"source": "field", "field": "tax_paid"},
     {"rule": "percentile"}, "5", SCALE_UP, "Y年企业实际上缴税费总额（万元），按同阶段百分位计分。"),
    ("tax_growth", "上缴税费增长率", "operation", LOCAL, "",
     {"source": "growth", "field": "tax_paid", "previous_field": "tax_paid_prev"},
     {"rule": "segments", "segments": "0:2,10:4,20:6"}, "6", EVEN, "Y年较Y-1年实际上缴税费的增长率（本区地方指标）。"),
    # --- 辅助: 4 core --------------------------------------------------------------------
    ("graduates_hired", "吸纳高校应届毕业生", "auxiliary", CORE, "",
     {"source": "field", "field": "graduates_hired"},
     {"rule": "segments", "segments": "1:2,3:3,5:4,10:5"}, "5", EVEN, "企业当年吸纳高校应届毕业生人数。"),
    ("venture_capital", "获得风险投资金额", "auxiliary", CORE, "",
     {"source": "record_sum", "record_indicator": "venture_capital"},
     {"rule": "segments", "segments": "1:2,100:3,500:4,1000:5"}, "5", SCALE_DOWN, "获得的风险投资金额合计（万元）。"),
    ("degree_share", "本科及以上学历人员占比", "auxiliary", CORE, "",
     {"source": "ratio", "field": "degree_count", "denominator_field": "staff_total"},
     {"rule": "linear", "lower": "20", "upper": "80"}, "5", EVEN, "大学本科与研究生学历人数之和占期末人员总数的比例。"),
    ("social_security_growth", "社保参保人数增长率", "auxiliary", CORE, "",
     {"source": "growth", "field": "social_security", "previous_field": "social_security_prev"},
     {"rule": "linear", "lower": "0", "upper": "20"}, "5", EVEN, "Y年12月较Y-1年12月社保人数的增长率。"),
    # --- 加分 (地方指标) -----------------------------------------------------------------
    ("tech_sme", "科技型中小企业", "bonus", LOCAL, "", {"source": "record_count", "record_indicator": "tech_sme"},
     {"rule": "bonus", "points": "2"}, "2", EVEN, "当年通过科技型中小企业评价入库。"),
    ("rd_institution_national", "国家级研发机构", "bonus", LOCAL, "",
     {"source": "record_count", "record_indicator": "rd_institution", "record_kind": "国家级"},
     {"rule": "bonus", "points": "5"}, "5", EVEN, "建有国家级研发机构（重点实验室、技术中心等）。"),
    ("rd_institution_provincial", "省级研发机构", "bonus", LOCAL, "",
     {"source": "record_count", "record_indicator": "rd_institution", "record_kind": "省级"},
     {"rule": "bonus", "points": "3"}, "3", EVEN, "建有省级研发机构。"),
    ("standard", "主导或参与制定标准", "bonus", LOCAL, "", {"source": "record_count", "record_indicator": "standard"},
     {"rule": "bonus", "points": "2"}, "6", EVEN, "每项已发布的标准加2分，最多6分。"),
    ("sci_award", "科技奖励", "bonus", LOCAL, "", {"source": "record_count", "record_indicator": "sci_award"},
     {"rule": "bonus", "points": "2"}, "4", EVEN, "每项科技奖励加2分，最多4分。"),
    ("trademark", "注册商标", "bonus", LOCAL, "", {"source": "record_count", "record_indicator": "trademark"},
     {"rule": "bonus", "points": "0.5"}, "2", EVEN, "每件注册商标加0.5分，最多2分。"),
    # --- 负面 (地方指标) -----------------------------------------------------------------
    ("negative_record", "失信或行政处罚记录", "negative", LOCAL, "",
     {"source": "record_count", "record_indicator": "negative_record"},
     {"rule": "deduction", "points": "10"}, "20", EVEN, "每条失信或行政处罚记录扣10分，最多扣20分。"),
]


def indicator_rows():
    """Field values of each default indicator, ready for SchemeIndicator(**row)."""
    for order, (code, name, category, kind, stands_in_for, source, rule, cap, weights, description) in enumerate(
        INDICATORS, start=1
    ):
        row = {
            "code": code, "name": name, "category": category, "kind": kind, "stands_in_for": stands_in_for,
            "source": "field", "field": "", "denominator_field": "", "previous_field": "", "record_indicator": "",
            "record_kind": "", "rule": "segments", "segments": "", "lower": None, "upper": None, "points": None,
            "cap": Decimal(cap), "weight_startup": Decimal(weights[0]), "weight_growth": Decimal(weights[1]),
            "weight_mature": Decimal(weights[2]), "sort_order": order * 10, "description": description,
        }
        row.update(source)
        row.update({key: Decimal(value) if key in ("lower", "upper", "points") else value
                    for key, value in rule.items()})
        yield row


def _known(model, values: dict) -> dict:
    """`values` without the fields `model` does not have (an earlier migration state)."""
    names = {field.name for field in model._meta.fields}
    return {key: value for key, value in values.items() if key in names}


def install_default_scheme(Scheme, SchemeIndicator):
    """Create the default scheme unless one of that name exists (data migrations, tests).
    Works with the models of any migration state from 0002 on."""
    existing = Scheme.objects.filter(name=NAME).order_by("pk").first()
    if existing is not None:
        return existing
    scheme = Scheme.objects.create(name=NAME, description=DESCRIPTION, **_known(Scheme, SCHEME_FIELDS))
    SchemeIndicator.objects.bulk_create(
        [SchemeIndicator(scheme=scheme, **_known(SchemeIndicator, row)) for row in indicator_rows()]
    )
    return scheme


# ---- replacing the previous default (migration 0008) --------------------------------------

# What decides the points of an indicator, for telling an untouched shipped default from one
# that scoring admins edited in place.
_DIGEST_FIELDS = (
    "code", "name", "category", "source", "field", "denominator_field", "previous_field", "record_indicator",
    "record_kind", "rule", "segments", "lower", "upper", "points", "cap", "weight_startup", "weight_growth",
    "weight_mature",
)
# rows_digest() of the indicators the previous default (PREVIOUS_NAME) was shipped with.
PREVIOUS_DIGEST = "808a5d45854a9e50c570d0863fea9310977995d10c93f8f189a0fd2c9ddd985e"


def rows_digest(rows) -> str:
    """SHA-256 of indicator rows (dicts), in any order, numbers without trailing zeros."""

    def plain(value):
        if value is None:
            return None
        if isinstance(value, Decimal | int | float):
            return format(Decimal(str(value)).normalize(), "f")
        return str(value)

    table = sorted([plain(row.get(name)) for name in _DIGEST_FIELDS] for row in rows)
    return hashlib.sha256(json.dumps(table, ensure_ascii=False).encode()).hexdigest()


def _frozen(scheme, CalculationRun) -> bool:
    # As Scheme.is_frozen, which a migration's historical model does not have.
    return CalculationRun.objects.filter(scheme=scheme).filter(
        status__in=("publicity", "final")
    ).exists() or CalculationRun.objects.filter(scheme=scheme, published_at__isnull=False).exists()


def _replace_indicators(scheme, SchemeIndicator) -> None:
    SchemeIndicator.objects.filter(scheme=scheme).delete()
    SchemeIndicator.objects.bulk_create([SchemeIndicator(scheme=scheme, **row) for row in indicator_rows()])


def update_shipped_default(Scheme, SchemeIndicator, CalculationRun) -> str:
    """Bring a deployment's shipped default up to this one (migration 0008); returns what
    it did. A scheme used by a published run is never changed, nor one scoring admins
    edited: the new default is then a new scheme, copied from the old one (as 复制方案
    does), and the old one keeps its name and indicators."""
    current = Scheme.objects.filter(name=NAME).order_by("pk").first()
    if current is not None and not _frozen(current, CalculationRun):
        # Installed by 0002 on this database (without the fields 0006/0007 added).
        _replace_indicators(current, SchemeIndicator)
        Scheme.objects.filter(pk=current.pk).update(description=DESCRIPTION, **SCHEME_FIELDS)
        return "updated"
    previous = Scheme.objects.filter(name=PREVIOUS_NAME).order_by("pk").first()
    if previous is not None and current is None:
        untouched = rows_digest(SchemeIndicator.objects.filter(scheme=previous).values()) == PREVIOUS_DIGEST
        if untouched and not _frozen(previous, CalculationRun):
            _replace_indicators(previous, SchemeIndicator)
            Scheme.objects.filter(pk=previous.pk).update(name=NAME, description=DESCRIPTION, **SCHEME_FIELDS)
            return "replaced in place"
    scheme = Scheme.objects.create(
        name=NAME, description=DESCRIPTION, copied_from=previous or current, **SCHEME_FIELDS
    )
    _replace_indicators(scheme, SchemeIndicator)
    return "copied"
