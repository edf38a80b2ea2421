"""Demo accounts of SPEC §10: staff, and enterprises in every registration state.
Never created in production (see load_demo_content)."""

import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from enterprise_business.models import Enterprise, RegistrationReview
from portal.core import roles
from portal.core.identifiers import credit_code_check_char, id_number_check_char

# (username, password, display name, superuser, groups)
STAFF_ACCOUNTS = [
    ("admin", "admin12345", "系统管理员", True, roles.STAFF_GROUPS),
    ("reviewer", "review12345", "平台审核员", False, (roles.REVIEWER,)),
    ("editor", "editor12345", "内容编辑", False, (roles.CONTENT_EDITOR,)),
]

ENTERPRISE_PASSWORD = "Qiye12345"  # noqa: S105 - a demo account, printed on every run
# (first 17 characters of the credit code, name, contact, ID first 17, phone, status, reason)
ENTERPRISES = [
    ("91210231MA0QX7LK1", "大连栖川数据技术有限公司", "王晓明", "21020319850612001", "13940110001", "approved", ""),
    ("91210231MA0R2H8T6", "大连海融智能装备有限公司", "李静", "21021119900318002", "13940110002", "approved", ""),
    ("91210231MA0T9Y3C2", "大连新材高分子科技有限公司", "张伟", "21020419820927003", "13940110003", "approved", ""),
    ("91210231MA0U4K6N8", "大连启明生物医药有限公司", "刘洋", "21020219920105004", "13940110004", "pending", ""),
    ("91210231MA0W5P2D3", "大连蓝湾软件有限公司", "陈晨", "21021219881130005", "13940110005", "rejected",
     "营业执照扫描件不清晰，无法辨认统一社会信用代码，请重新上传清晰的扫描件。"),
    ("91210231MA0XA1F70", "大连恒拓激光科技有限公司", "孙丽", "21020319870422006", "13940110006", "approved", ""),
    ("91210231MA0XB3H29", "大连北辰云计算有限公司", "周强", "21021119910716007", "13940110007", "approved", ""),
    ("91210231MA0XC5K41", "大连润禾环保工程有限公司", "吴敏", "21020419830209008", "13940110008", "approved", ""),
]
# Not in the registry file: its basic-info form asks for the registry's facts too.
UNREGISTERED = "91210231MA0XC5K41"


def demo_licence_image(seed: int) -> bytes:
    """A licence-like picture (frame, seal, lines): real pixels, no real document."""
    image = Image.new("RGB", (900, 640), (250, 246, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 879, 619), outline=(176, 32, 32), width=10)
    draw.rectangle((44, 44, 855, 595), outline=(200, 160, 60), width=3)
    for row in range(9):
        y = 150 + row * 44
        draw.line((110, y, 560 - (seed * 23 + row * 37) % 140, y), fill=(70, 70, 70), width=4)
    draw.ellipse((620, 380, 800, 560), outline=(210, 30, 30), width=8)
    draw.polygon([(710, 420), (724, 462), (768, 462), (732, 488), (746, 530), (710, 504), (674, 530), (688, 488),
                  (652, 462), (696, 462)], fill=(210, 30, 30))
    draw.rectangle((360, 64, 540, 110), fill=(176, 32, 32))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def build(report) -> list[tuple[str, str, str]]:
    accounts = build_staff(report) + build_enterprises(report)
    build_registry(report)
    build_basic_info(report)
    build_points(report)
    from enterprise_business.demo_qualifications import build as build_qualifications

    return accounts + build_qualifications(report)


def build_staff(report) -> list[tuple[str, str, str]]:
    User = get_user_model()
    made = []
    for username, password, display_name, superuser, group_names in STAFF_ACCOUNTS:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
        # The demo promises these passwords on every run, so they are reset each time.
        user.set_password(password)
        user.is_staff = True
        user.is_superuser = superuser
        user.save()
        user.groups.set(Group.objects.filter(name__in=group_names))
        if created:
            report(f"账号 {username} 已创建")
        made.append((username, password, display_name))
    return made


def build_enterprises(report) -> list[tuple[str, str, str]]:
    User = get_user_model()
    reviewer = User.objects.get(username="reviewer")
    made = []
    for n, (code17, name, contact, id17, phone, status, reason) in enumerate(ENTERPRISES):
        code = code17 + credit_code_check_char(code17)
        user, created = User.objects.get_or_create(username=code, defaults={"email": f"contact{n + 1}@example.cn"})
        user.set_password(ENTERPRISE_PASSWORD)
        user.save()
        if created:
            enterprise = Enterprise(
                user=user, credit_code=code, name=name, contact_name=contact,
                contact_id_number=id17 + id_number_check_char(id17), email=user.email, phone=phone,
                consented_at=timezone.now(), status=status, reject_reason=reason,
                reviewed_at=None if status == "pending" else timezone.now(),
            )
            enterprise.licence.save("licence.png", ContentFile(demo_licence_image(n)), save=False)
            enterprise.save()
            RegistrationReview.objects.create(enterprise=enterprise, action="submitted", actor=user)
            if status != "pending":
                RegistrationReview.objects.create(enterprise=enterprise, action=status, reason=reason, actor=reviewer)
            report(f"企业账号 {code}（{name}，{Enterprise.Status(status).label}）已创建")
        label = f"企业·{Enterprise.Status(status).label}"
        made.append((code, ENTERPRISE_PASSWORD, label))
    return made


def build_registry(report) -> None:
    """A registry file of 240 synthetic Dalian high-tech zone enterprises, loaded through the
    same import staff use; the demo enterprises are in it, but for one."""
    from django.core.files.base import ContentFile as Upload

    from enterprise_business.demo_registry import registry_csv
    from enterprise_business.imports.registry import RegistryImport

    excluded = UNREGISTERED + credit_code_check_char(UNREGISTERED)
    known = [(code17 + credit_code_check_char(code17), name, contact)
             for code17, name, contact, *_ in ENTERPRISES if code17 + credit_code_check_char(code17) != excluded]
    result = RegistryImport().run(Upload(registry_csv(known, total=240).encode("utf-8-sig"), name="registry.csv"))
    if not result.ok:
        raise RuntimeError(f"demo registry file refused: {result.errors[:3]}")
    report(f"工商登记数据：新增 {result.added} 条，更新 {result.changed} 条，未变化 {result.unchanged} 条")


# Basic-info states of the approved demo enterprises, in ENTERPRISES order.
BASIC_INFO_PLAN = {
    "91210231MA0QX7LK1": ("approved", ""),
    "91210231MA0R2H8T6": ("submitted", ""),
    "91210231MA0T9Y3C2": ("returned", "主营产品描述过于简略，请补充主要产品名称及应用领域。"),
    "91210231MA0XA1F70": ("approved", ""),
    "91210231MA0XB3H29": ("draft", ""),
    "91210231MA0XC5K41": ("approved", ""),
}

OWN_VALUES = {
    "mailing_address": "辽宁省大连市高新技术产业园区黄浦路{n}号",
    "postcode": "116023",
    "industry": "I",
    "tech_field": "electronics",
    "enterprise_size": "small",
    "is_high_tech": "yes",
    "high_tech_certificate": "GR20232120{n:04d}",
    "is_tech_sme": "yes",
    "tech_sme_number": "2023210203A{n:07d}",
    "main_products": "工业互联网数据平台、智能运维软件及技术服务",
    "contact_name": "联系人{n}",
    "contact_phone": "0411-8482{n:04d}",
    "contact_email": "contact{n}@example.cn",
    "website": "www.example{n}.cn",
}


def build_basic_info(report) -> None:
    from enterprise_business.filings import selectors
    from enterprise_business.filings.services import basic_info
    from enterprise_business.models import BasicInfo

    reviewer = get_user_model().objects.get(username="reviewer")
    for n, (code17, plan) in enumerate(BASIC_INFO_PLAN.items(), start=1):
        enterprise = Enterprise.objects.get(credit_code=code17 + credit_code_check_char(code17))
        if BasicInfo.objects.filter(enterprise=enterprise).exclude(status="not_filed").exists():
            continue
        status, reason = plan
        filing = selectors.basic_info_of(enterprise)
        facts = selectors.registry_facts(enterprise)
        values = {key: value.format(n=n) for key, value in OWN_VALUES.items()}
        if facts is None:
            values.update(name=enterprise.name, legal_representative=enterprise.contact_name,
                          registered_capital="500.00", established_on="2019-06-18",
                          address="辽宁省大连市高新技术产业园区七贤岭学子街2号",
                          company_type="有限责任公司（自然人投资或控股）",
                          business_scope="环保工程设计、施工；环境监测技术服务。", registration_status="存续")
        user = enterprise.user
        if status == "draft":
            basic_info.save(filing, user, {**values, "main_products": "", "contact_phone": ""}, facts)
        else:
            filing = basic_info.save(filing, user, values, facts, submit=True)
            if status == "approved":
                basic_info.approve(filing.pk, reviewer)
            elif status == "returned":
                basic_info.send_back(filing.pk, reviewer, reason)
        report(f"企业基本信息：{enterprise.name}（{dict(BasicInfo._meta.get_field('status').choices)[status]}）")


# Torch survey figures (万元) of some demo enterprises: (Y, Y-1) rows per data year.
TORCH = {
    "91210231MA0QX7LK1": {2025: (1850, 2310, 420, 6120, 310, 63), 2024: (1500, 1850, 355, 5230, 268, 51),
                          2023: (1260, 1500, 290, 4410, 236, 40)},
    "91210231MA0XC5K41": {2025: (620, 700, 96, 1840, 88, 12), 2024: (560, 620, 80, 1510, 75, 10),
                          2023: (500, 560, 71, 1320, 66, 8)},
}


def _template_document(title):
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from portal.core.demo.pdf import make_pdf

    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name="填报模板").first() or root.add_child(name="填报模板")
    document = Document(title=title, collection=collection)
    pdf = make_pdf(title, ["请按本模板格式提供证明材料，加盖企业公章后扫描上传。", "单位名称：", "统计时点：",
                           "人数："])
    document.file.save(f"{title}.pdf", ContentFile(pdf), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def build_points(report) -> None:
    from datetime import date, timedelta

    from enterprise_business.filings import forms, selectors
    from enterprise_business.filings.services import points
    from enterprise_business.models import Batch, PointsFiling, TorchRecord
    from portal.core.demo.pdf import pdf_upload
    from portal.core.labels import year_label

    for code17, years in TORCH.items():
        code = code17 + credit_code_check_char(code17)
        for year, (begin, end, rd, revenue, tax, deduction) in years.items():
            TorchRecord.objects.get_or_create(credit_code=code, year=year, defaults={
                "equity_begin": begin, "equity_end": end, "rd_expense": rd, "revenue": revenue, "tax_paid": tax,
                "rd_tax_deduction": deduction,
            })
    documents = {
        "social_security_template": _template_document("社保证明文件模板"),
        "staff_template": _template_document("企业人员证明文件模板"),
    }
    today = timezone.localdate()
    open_batch, created = Batch.objects.get_or_create(data_year=2025, defaults={
        "name": "2025年度创新积分数据填报", "opens_on": min(date(2026, 9, 7), today - timedelta(days=1)),
        "closes_on": max(date(2026, 11, 30), today + timedelta(days=30)),
        "indicator_guide": _template_document("2025年度创新积分指标说明文件"), **documents,
    })
    if not created:
        return
    closed_batch = Batch.objects.create(
        data_year=2024, name="2024年度创新积分数据填报", opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=1), indicator_guide=_template_document("2024年度创新积分指标说明文件"),
        **documents,
    )
    reviewer = get_user_model().objects.get(username="reviewer")
    plan = [
        (closed_batch, "91210231MA0QX7LK1", "approved"), (closed_batch, "91210231MA0XA1F70", "approved"),
        (closed_batch, "91210231MA0XC5K41", "returned"),
        (open_batch, "91210231MA0QX7LK1", "submitted"), (open_batch, "91210231MA0XA1F70", "draft"),
        (open_batch, "91210231MA0XC5K41", "approved"),
    ]
    for n, (batch, code17, status) in enumerate(plan, start=1):
        enterprise = Enterprise.objects.get(credit_code=code17 + credit_code_check_char(code17))
        filing = points.create(enterprise, batch)
        torch = selectors.torch_figures(enterprise, batch)
        data = {"filler_name": enterprise.contact_name, "filler_phone": enterprise.phone, "social_security": 40 + n,
                "social_security_prev": 35 + n, "bachelor_count": 20 + n, "postgraduate_count": 6 + n,
                "staff_total": 48 + n, "graduates_hired": 3 + n, "rd_staff": 15 + n, "records_confirmed": True}
        if torch is None:
            data.update(equity_begin=800 + n, equity_end=960 + n, rd_expense=150 + n, rd_expense_prev=120 + n,
                        revenue=2100 + n, revenue_prev=1800 + n, tax_paid=130 + n, tax_paid_prev=110 + n,
                        rd_tax_deduction=22 + n)
        proofs = (
            ("social_security_proof", "Y年12月社保人数证明"),
            ("social_security_prev_proof", "Y-1年12月社保人数证明"),
            ("staff_proof", "企业人员证明"),
            ("balance_sheet", "资产负债表"),
            ("tax_return", "Y年所得税纳税申报表"),
            ("tax_return_prev", "Y-1年所得税纳税申报表"),
        )
        files = {name: pdf_upload(f"{enterprise.name}{year_label(label, batch.data_year)}")
                 for name, label in proofs}
        form = forms.PointsForm(data, files, batch=batch, enterprise=enterprise, user=enterprise.user,
                                 filing=filing, torch=torch, mode="save" if status == "draft" else "submit")
        if not form.is_valid():
            raise RuntimeError(f"demo points filing refused: {form.errors.as_json()}")
        points.save(filing, enterprise.user, form, submit=status != "draft")
        if status == "approved":
            points.approve(filing.pk, reviewer)
        elif status == "returned":
            points.send_back(filing.pk, reviewer, "社保人数证明文件未加盖公章，请重新上传。")
        label = dict(PointsFiling._meta.get_field("status").choices)[status]
        report(f"积分数据填报：{batch.name} · {enterprise.name}（{label}）")
    closed_batch.opens_on, closed_batch.closes_on = date(2025, 6, 3), date(2025, 7, 15)
    closed_batch.save()
