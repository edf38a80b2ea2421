"""企业基本信息填报: the form's rules, and writing a version through the review machinery."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from portal.core.forms import PortalForm
from portal.core.imports import parse_date, parse_decimal

from . import registry, review
from .models import BasicInfo, Enterprise
from .models.basic_info import INDUSTRY_CHOICES, OWN_FIELDS, REGISTRY_FIELDS, SIZE_CHOICES, TECH_FIELD_CHOICES, YES_NO

REVIEW_PERMISSION = "enterprise_business.review_basicinfo"
PHONE_RE = re.compile(r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9})$")
CERTIFICATE_RE = re.compile(r"^GR\d{12}$")
REQUIRED_OWN = (
    "mailing_address", "industry", "tech_field", "enterprise_size", "is_high_tech", "is_tech_sme",
    "main_products", "contact_name", "contact_phone", "contact_email",
)


def _choices(choices):
    return [("", "请选择")] + list(choices)


class BasicInfoForm(PortalForm):
    """Every field optional for 暂存; `mode="submit"` checks what 提交 needs. The registry's
    facts are fields only when the registry has no record of the enterprise."""

    name = forms.CharField(label="企业名称", max_length=200)
    legal_representative = forms.CharField(label="法定代表人", max_length=50)
    registered_capital = forms.CharField(label="注册资本", max_length=20)
    registered_capital.input_suffix = "万元"
    established_on = forms.CharField(label="成立日期", max_length=10, widget=forms.DateInput(attrs={"type": "date"}))
    address = forms.CharField(label="注册地址", max_length=300)
    company_type = forms.CharField(label="企业类型", max_length=100)
    business_scope = forms.CharField(label="经营范围", widget=forms.Textarea(attrs={"rows": 3}))
    registration_status = forms.CharField(label="登记状态", max_length=30)

    mailing_address = forms.CharField(label="通讯地址", max_length=300)
    postcode = forms.CharField(label="邮政编码", max_length=6)
    industry = forms.ChoiceField(label="所属行业", choices=_choices(INDUSTRY_CHOICES),
                                 help_text="按《国民经济行业分类》（GB/T 4754-2017）门类选择。")
    tech_field = forms.ChoiceField(label="技术领域", choices=_choices(TECH_FIELD_CHOICES))
    enterprise_size = forms.ChoiceField(label="企业规模", choices=_choices(SIZE_CHOICES))
    is_high_tech = forms.ChoiceField(label="是否高新技术企业", choices=YES_NO, widget=forms.RadioSelect)
    high_tech_certificate = forms.CharField(label="高新技术企业证书编号", max_length=30,
                                            help_text="是高新技术企业时必填，如 GR202321200123。")
    is_tech_sme = forms.ChoiceField(label="是否科技型中小企业", choices=YES_NO, widget=forms.RadioSelect)
    tech_sme_number = forms.CharField(label="科技型中小企业入库登记编号", max_length=30,
                                      help_text="是科技型中小企业时必填。")
    main_products = forms.CharField(label="主营产品", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=20, help_text="手机或座机，如 0411-84820327。")
    contact_email = forms.CharField(label="联系邮箱", max_length=100)
    website = forms.CharField(label="网址", max_length=200)

    def __init__(self, *args, mode="save", facts=None, readonly=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = mode
        if facts is not None:
            for name in REGISTRY_FIELDS:
                del self.fields[name]
        required = set(REQUIRED_OWN) | (set() if facts is not None else set(REGISTRY_FIELDS))
        for name, field in self.fields.items():
            field.show_required = name in required
            field.required = mode == "submit" and name in required
            field.disabled = readonly
            if field.required:
                field.error_messages["required"] = f"请填写“{field.label}”。" if not isinstance(
                    field, forms.ChoiceField) else f"请选择“{field.label}”。"

    def clean(self):
        cleaned = super().clean()
        if self.mode != "submit":
            return cleaned
        checks = {
            "postcode": lambda v: re.fullmatch(r"\d{6}", v) or "邮政编码应为6位数字。",
            "contact_phone": lambda v: PHONE_RE.match(v) or "请输入正确的手机号码或座机号码（如0411-84820327）。",
            "contact_email": lambda v: _valid(EmailValidator(), v) or "请输入正确的邮箱地址。",
            "website": lambda v: _valid(URLValidator(), v if "://" in v else f"http://{v}") or "请输入正确的网址。",
            "high_tech_certificate": lambda v: CERTIFICATE_RE.match(v) or "证书编号格式应为GR加12位数字。",
            "registered_capital": lambda v: _parses(parse_decimal, v) or "注册资本应为不小于0的数字（万元）。",
            "established_on": lambda v: _parses(parse_date, v) or "成立日期应为YYYY-MM-DD格式。",
        }
        for name, check in checks.items():
            value = cleaned.get(name)
            if value and name in self.fields:
                outcome = check(value)
                if isinstance(outcome, str):
                    self.add_error(name, outcome)
        if cleaned.get("is_high_tech") == "yes" and not cleaned.get("high_tech_certificate"):
            self.add_error("high_tech_certificate", "是高新技术企业时，请填写证书编号。")
        if cleaned.get("is_tech_sme") == "yes" and not cleaned.get("tech_sme_number"):
            self.add_error("tech_sme_number", "是科技型中小企业时，请填写入库登记编号。")
        return cleaned


def _valid(validator, value):
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _parses(parse, value):
    try:
        parse(value)
    except ValidationError:
        return False
    return True


def filing_for(enterprise, create=False) -> BasicInfo:
    """The enterprise's basic info; unsaved until the first POST (a GET writes nothing)."""
    if create:
        return BasicInfo.objects.get_or_create(enterprise=enterprise)[0]
    return BasicInfo.objects.filter(enterprise=enterprise).first() or BasicInfo(enterprise=enterprise)


def initial_values(filing) -> dict:
    return {name: getattr(filing, name) for name in (*REGISTRY_FIELDS, *OWN_FIELDS)}


def _apply(cleaned, facts):
    def apply(filing):
        for name in OWN_FIELDS:
            setattr(filing, name, cleaned.get(name) or "")
        if facts is not None:
            # The registry's facts, never what the form posted.
            for name, value in facts.as_form_values().items():
                setattr(filing, name, value)
            filing.facts_self_reported = False
        else:
            for name in REGISTRY_FIELDS:
                setattr(filing, name, cleaned.get(name) or "")
            filing.facts_self_reported = True
    return apply


def describe(filing):
    return "企业基本信息", "/enterprise/basic-info/"


def save(filing, user, cleaned, facts, submit=False):
    if filing.pk is None:
        filing = filing_for(filing.enterprise, create=True)
    action = review.SUBMIT if submit else review.SAVE
    return review.transition(BasicInfo, filing.pk, user, action, apply=_apply(cleaned, facts))


def approve(pk, reviewer):
    filing = review.transition(BasicInfo, pk, reviewer, review.APPROVE, review_permission=REVIEW_PERMISSION,
                               describe=describe)
    # The approved name is how the platform names the enterprise from now on.
    Enterprise.objects.filter(pk=filing.enterprise_id).update(name=filing.name)
    return filing


def send_back(pk, reviewer, reason):
    return review.transition(BasicInfo, pk, reviewer, review.RETURN, reason=reason,
                             review_permission=REVIEW_PERMISSION, describe=describe)


def has_approved_version(enterprise) -> bool:
    return BasicInfo.objects.filter(enterprise=enterprise, approved_at__isnull=False).exists()


def registry_facts(enterprise):
    return registry.lookup(enterprise.credit_code)

