"""Demo of the 金融超市: four banks, their sections and ten products, and one bank's staff."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from .models import Bank, BankSectionPage, FinanceIndexPage, FinanceProductPage

BANKS = [
    ("大连银行", "dlbank", "立足大连、服务中小企业的城市商业银行，设有科技支行专营科技型企业融资。", "0411-96527"),
    ("中国建设银行大连市分行", "ccb", "提供“科技贷”“善新贷”等科技企业专属信贷产品。", "0411-95533"),
    ("招商银行大连分行", "cmb", "面向高新技术企业的“科创贷”及知识产权质押融资服务。", "0411-95555"),
    ("大连农商银行", "dlrcb", "为小微科技企业提供普惠信用贷款及政府风险补偿项目贷款。", "0411-96600"),
]
# (bank slug, product slug, title, type, min, max amount, min, max rate, term, guarantee, min points, tier, stage, summary)
PRODUCTS = [
    (
        "dlbank",
        "points-loan",
        "创新积分贷",
        "points_loan",
        50,
        1000,
        "3.45",
        "4.35",
        "1年以内",
        "credit",
        60,
        "",
        "",
        "依据企业创新积分发放的纯信用贷款，积分越高额度越高。",
    ),
    (
        "dlbank",
        "ip-pledge-loan",
        "知识产权质押贷",
        "ip_pledge",
        100,
        2000,
        "3.65",
        "4.80",
        "1-3年",
        "ip_pledge",
        None,
        "",
        "",
        "以发明专利、实用新型专利、商标专用权等质押融资。",
    ),
    (
        "dlbank",
        "startup-loan",
        "科创启航贷",
        "tech_loan",
        20,
        300,
        "3.90",
        "5.20",
        "1年以内",
        "guarantee",
        None,
        "",
        "startup",
        "面向初创期科技企业的小额流动资金贷款。",
    ),
    (
        "ccb",
        "kejidai",
        "科技贷",
        "tech_loan",
        100,
        3000,
        "3.30",
        "4.20",
        "1-3年",
        "credit",
        70,
        "racing",
        "",
        "以企业研发投入、知识产权和创新积分综合评定授信额度。",
    ),
    (
        "ccb",
        "shanxindai",
        "善新贷",
        "credit_loan",
        50,
        1000,
        "3.50",
        "4.50",
        "1年以内",
        "credit",
        None,
        "",
        "growth",
        "服务成长期科技企业的信用贷款，随借随还。",
    ),
    (
        "ccb",
        "points-leading-loan",
        "积分领跑贷",
        "points_loan",
        500,
        5000,
        "3.10",
        "3.85",
        "1-3年",
        "credit",
        85,
        "leading",
        "",
        "专为创新积分领跑企业设计的大额信用贷款。",
    ),
    (
        "cmb",
        "kechuangdai",
        "科创贷",
        "credit_loan",
        100,
        2000,
        "3.40",
        "4.60",
        "1-2年",
        "credit",
        None,
        "",
        "",
        "面向高新技术企业和专精特新企业的信用贷款。",
    ),
    (
        "cmb",
        "ip-financing",
        "知识产权融资",
        "ip_pledge",
        200,
        3000,
        "3.60",
        "4.70",
        "1-3年",
        "ip_pledge",
        None,
        "",
        "mature",
        "以知识产权组合质押，配套评估费补贴政策。",
    ),
    (
        "dlrcb",
        "risk-compensation-loan",
        "风险补偿贷",
        "points_loan",
        30,
        500,
        "3.80",
        "4.90",
        "1年以内",
        "guarantee",
        50,
        "",
        "",
        "纳入高新区创新积分贷风险补偿资金池的普惠贷款。",
    ),
    (
        "dlrcb",
        "micro-credit",
        "科技微贷",
        "credit_loan",
        10,
        200,
        "4.20",
        "5.60",
        "1年以内",
        "credit",
        None,
        "",
        "startup",
        "手续简便、审批快速的小微科技企业信用贷款。",
    ),
]
CONDITIONS = "<ul><li>注册地在大连高新区，依法经营两年以上（初创期产品除外）；</li><li>企业及实际控制人信用记录良好；</li><li>在本平台完成企业基本信息填报并审核通过。</li></ul>"
MATERIALS = "<ul><li>营业执照、公司章程；</li><li>近两年财务报表及纳税证明；</li><li>创新积分结果截图或授权查询；</li><li>贷款用途说明。</li></ul>"


def build(report):
    from home.models import HomePage

    home = HomePage.objects.get()
    index = FinanceIndexPage.objects.child_of(home).filter(slug="finance").first()
    if index is None:
        index = home.add_child(
            instance=FinanceIndexPage(
                title="金融超市",
                slug="finance",
                intro="<p>汇集合作银行面向科技企业的创新积分贷等金融产品，企业可按银行、产品类型、额度和利率筛选。</p>",
            )
        )
        index.save_revision().publish()
    sections = {}
    for name, slug, description, phone in BANKS:
        bank, _ = Bank.objects.get_or_create(name=name, defaults={"description": description, "contact_phone": phone})
        section = BankSectionPage.objects.filter(bank=bank).first()
        if section is None:
            section = index.add_child(instance=BankSectionPage(title=name, slug=slug, bank=bank))
            section.save_revision().publish()
        sections[slug] = section
    created = 0
    for (
        bank_slug,
        slug,
        title,
        kind,
        low,
        high,
        min_rate,
        max_rate,
        term,
        guarantee,
        points,
        tier,
        stage,
        summary,
    ) in PRODUCTS:
        section = sections[bank_slug]
        if FinanceProductPage.objects.child_of(section).filter(slug=slug).exists():
            continue
        product = section.add_child(
            instance=FinanceProductPage(
                title=title,
                slug=slug,
                product_type=kind,
                min_amount=Decimal(low),
                max_amount=Decimal(high),
                min_rate=Decimal(min_rate),
                max_rate=Decimal(max_rate),
                term=term,
                guarantee=guarantee,
                min_points=points,
                tier=tier,
                stage=stage,
                summary=summary,
                conditions=CONDITIONS,
                materials=MATERIALS,
                contact=f"{section.bank.name} {section.bank.contact_phone}",
            )
        )
        product.save_revision().publish()
        created += 1
    report(f"金融超市：{len(BANKS)} 家银行，新建 {created} 个产品")
    return build_bank_staff()


def build_bank_staff():
    User = get_user_model()
    bank = Bank.objects.get(name="大连银行")
    user, _ = User.objects.get_or_create(username="bank", defaults={"display_name": "大连银行客户经理"})
    user.set_password("bank12345")
    user.is_staff = True
    user.save()
    user.groups.set([bank.staff_group])
    return [("bank", "bank12345", "金融机构·大连银行")]


DEMO_ENTERPRISE = "91210231MA0QX7LK1Q"


def build_applications(report):
    """Applications of the demo enterprise, if it has a published (final) result: one 大连银行
    loan taken to 已放款 by the demo bank account, one more at 大连银行 and one at another bank
    waiting to be accepted. Needs the scoring demo's final run, so it runs after it; without a
    published result it creates nothing and says so."""
    from enterprise_business.models import Enterprise

    from . import applications, matching
    from .models import LoanApplication

    enterprise = Enterprise.objects.filter(credit_code=DEMO_ENTERPRISE).select_related("user").first()
    result = matching.published_result(enterprise) if enterprise else None
    if result is None:
        report("金融产品申请：演示企业暂无正式发布的积分结果，未创建演示申请")
        return []
    if LoanApplication.objects.filter(enterprise=enterprise).exists():
        report("金融产品申请：演示申请已存在")
        return []
    products = FinanceProductPage.objects.live().select_related("bank").order_by("min_rate", "pk")
    qualifying = [product for product in products if matching.match(product, result).qualifies]
    own = [product for product in qualifying if product.bank.name == "大连银行"]
    others = [product for product in qualifying if product.bank.name != "大连银行"]
    bank_user = get_user_model().objects.get(username="bank")

    def apply(product, amount, purpose):
        amount = min(max(Decimal(amount), product.min_amount), product.max_amount)
        return applications.submit(
            enterprise,
            enterprise.user,
            product,
            {
                "amount": amount,
                "term_months": 12,
                "purpose": purpose,
                "contact_name": enterprise.contact_name,
                "contact_phone": "0411-84820327",
                "authorise": True,
            },
        )

    made = []
    if own:
        loan = apply(own[0], 300, "工业互联网数据平台研发投入及服务器采购。")
        for step in ("accept", "review"):
            applications.decide(loan.pk, bank_user, step)
        applications.decide(loan.pk, bank_user, "disburse", amount=loan.amount)
        made.append(loan)
    if len(own) > 1:
        made.append(apply(own[1], 200, "补充流动资金，支付研发人员薪酬。"))
    if others:
        made.append(apply(others[0], 150, "购置研发测试设备。"))
    report(
        f"金融产品申请：为演示企业创建 {len(made)} 笔申请（其中 1 笔已放款）"
        if own
        else f"金融产品申请：为演示企业创建 {len(made)} 笔申请"
    )
    return []
