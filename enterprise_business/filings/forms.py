"""The forms of the two filings: 企业基本信息 (a ModelForm: its labels, lengths and help texts are
the model's) and 积分数据填报's 基本数据 (labels following the batch's year Y, Torch figures
locked, proofs kept across refused submissions). Both are all optional for 暂存; `mode="submit"`
checks what 提交 needs."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from portal.core.files.forms import KeepsProofs
from portal.core.forms import PortalForm, PortalModelForm
from portal.core.identifiers import normalize_mobile
from portal.core.imports import parse_date, parse_decimal
from portal.core.labels import year_label

from .models import OWN_FIELDS, REGISTRY_FIELDS, BasicInfo, PointsFiling

PHONE_RE = re.compile(r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9})$")
CERTIFICATE_RE = re.compile(r"^GR\d{12}$")
UNIT = "（万元）"


class BasicInfoForm(PortalModelForm):
    """企业基本信息. The registry's facts are fields only when the registry has no record of the
    enterprise. Saving goes through `services.basic_info`, never `save()`: the review machinery
    writes the locked row."""

    class Meta:
        model = BasicInfo
        fields = (*REGISTRY_FIELDS, *OWN_FIELDS)
        widgets = {
            "established_on": forms.DateInput(attrs={"type": "date"}),
            "business_scope": forms.Textarea(attrs={"rows": 3}),
            "main_products": forms.Textarea(attrs={"rows": 3}),
            "is_high_tech": forms.RadioSelect,
            "is_tech_sme": forms.RadioSelect,
        }

    def __init__(self, *args, mode="save", facts=None, readonly=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = mode
        if facts is not None:
            for name in REGISTRY_FIELDS:
                del self.fields[name]
        required = set(BasicInfo.SUBMIT_REQUIRED) | (set() if facts is not None else set(REGISTRY_FIELDS))
        for name, field in self.fields.items():
            if field.label.endswith(UNIT):  # 注册资本（万元）: the unit goes beside the input
                field.label, field.input_suffix = field.label.removesuffix(UNIT), "万元"
            if isinstance(field, forms.ChoiceField) and not isinstance(field.widget, forms.RadioSelect):
                field.choices = [("", "请选择"), *[choice for choice in field.choices if choice[0]]]
            elif isinstance(field, forms.ChoiceField):
                field.choices = [choice for choice in field.choices if choice[0]]
            field.show_required = name in required
            field.required = mode == "submit" and name in required
            field.disabled = readonly
            if field.required:
                verb = "选择" if isinstance(field, forms.ChoiceField) else "填写"
                field.error_messages["required"] = f"请{verb}“{field.label}”。"

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
            "registered_capital": lambda v: _valid(parse_decimal, v) or "注册资本应为不小于0的数字（万元）。",
            "established_on": lambda v: _valid(parse_date, v) or "成立日期应为YYYY-MM-DD格式。",
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


def _valid(check, value) -> bool:
    try:
        check(value)
    except ValidationError:
        return False
    return True


CONTACT_FIELDS = ("filler_name", "filler_phone")
BUSINESS_AMOUNTS = ("equity_begin", "equity_end", "rd_expense", "rd_expense_prev", "revenue", "revenue_prev",
                    "tax_paid", "tax_paid_prev", "rd_tax_deduction")
BUSINESS_FILES = ("balance_sheet", "tax_return", "tax_return_prev", "audit_report")
STAFF_COUNTS = ("social_security", "social_security_prev", "bachelor_count", "postgraduate_count", "staff_total",
                "graduates_hired", "rd_staff")
STAFF_FILES = ("social_security_proof", "social_security_prev_proof", "staff_proof")
OPTIONAL_FILES = {"audit_report"}
# Torch figure → filing fields (Y, Y-1).
TORCH_FIELDS = {
    "equity_begin": ("equity_begin", None), "equity_end": ("equity_end", None),
    "rd_expense": ("rd_expense", "rd_expense_prev"), "revenue": ("revenue", "revenue_prev"),
    "tax_paid": ("tax_paid", "tax_paid_prev"), "rd_tax_deduction": ("rd_tax_deduction", None),
}
CONFIRM_LABEL = "核实无误：我已核实“相关资质填报”中平台导入的数据"
TEMPLATES = {"social_security_proof": ("social_security_template", "社保证明文件模板下载"),
             "social_security_prev_proof": ("social_security_template", "社保证明文件模板下载"),
             "staff_proof": ("staff_template", "企业人员证明文件模板下载")}


class PointsForm(KeepsProofs, PortalForm):
    def __init__(self, *args, batch, enterprise, user, filing, torch=None, mode="save", readonly=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch, self.enterprise, self.user, self.filing, self.mode = batch, enterprise, user, filing, mode
        self.owner = enterprise.user
        self.torch = torch
        year = batch.data_year
        meta = PointsFiling._meta
        for name in CONTACT_FIELDS:
            self.fields[name] = forms.CharField(label=meta.get_field(name).verbose_name, max_length=50,
                                                required=False)
        for name in BUSINESS_AMOUNTS:
            if torch is None:
                self.fields[name] = forms.DecimalField(
                    label=year_label(meta.get_field(name).verbose_name, year), min_value=0, max_digits=14,
                    decimal_places=2, required=False,
                    error_messages={"invalid": "请输入数字，最多两位小数。", "max_decimal_places": "最多两位小数。",
                                    "min_value": "不能为负数。"},
                )
                self.fields[name].input_suffix = "万元"
        for name in STAFF_COUNTS:
            self.fields[name] = forms.IntegerField(
                label=year_label(meta.get_field(name).verbose_name, year), min_value=0, required=False,
                error_messages={"invalid": "请输入整数。", "min_value": "不能为负数。"},
            )
            self.fields[name].input_suffix = "人"
        for name in (*(BUSINESS_FILES if torch is None else ()), *STAFF_FILES):
            label = year_label(meta.get_field(name).verbose_name, year)
            field = forms.FileField(label=label + ("（可选）" if name in OPTIONAL_FILES else ""), required=False)
            template_attr, template_text = TEMPLATES.get(name, (None, ""))
            document = getattr(batch, template_attr) if template_attr else None
            field.template_url, field.template_text = (document.url, template_text) if document else ("", "")
            self.fields[name] = field
            self.fields[f"{name}__kept"] = forms.CharField(widget=forms.HiddenInput, required=False)
        required = set(CONTACT_FIELDS) | set(STAFF_COUNTS) | {n for n in STAFF_FILES}
        if torch is None:
            required |= set(BUSINESS_AMOUNTS) | (set(BUSINESS_FILES) - OPTIONAL_FILES)
        for name, field in self.fields.items():
            field.show_required = name in required
            field.disabled = readonly
            if mode == "submit" and name in required and not name.endswith("__kept"):
                field.required = not isinstance(field, forms.FileField)
                field.error_messages["required"] = f"请填写“{field.label}”。"
        self.required_files = {n for n in required if isinstance(self.fields.get(n), forms.FileField)}
        confirm = forms.BooleanField(label=CONFIRM_LABEL, required=mode == "submit", disabled=readonly)
        confirm.error_messages["required"] = "提交前请在“相关资质填报”中核实平台导入的数据，并勾选“核实无误”。"
        confirm.show_required = True
        self.fields["records_confirmed"] = confirm

    def file_rows(self, names):
        """What the template needs per proof field: the field, the file on record, the keep token."""
        return [{"field": self[name], "proof": self.current_file(name), "kept": self.kept_token(name)}
                for name in names if name in self.fields]

    @property
    def business_files(self):
        return self.file_rows(BUSINESS_FILES)

    @property
    def staff_files(self):
        return self.file_rows(STAFF_FILES)

    def stored_proof(self, name):
        return getattr(self.filing, name)

    def clean(self):
        cleaned = super().clean()
        self.clean_proofs(cleaned)
        if self.mode != "submit":
            return cleaned
        for name in self.required_files:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, f"请上传“{self.fields[name].label}”。")
        total = cleaned.get("staff_total")
        if total is not None:
            for name in ("rd_staff", "graduates_hired"):
                if cleaned.get(name) is not None and cleaned[name] > total:
                    self.add_error(name, f"“{self.fields[name].label}”不能超过期末人员总数（{total}人）。")
            degrees = (cleaned.get("bachelor_count") or 0) + (cleaned.get("postgraduate_count") or 0)
            if degrees > total:
                self.add_error(
                    "postgraduate_count", f"大学本科学历人数与研究生学历人数之和不能超过期末人员总数（{total}人）。"
                )
        phone = cleaned.get("filler_phone")
        if phone:
            try:
                cleaned["filler_phone"] = normalize_mobile(phone)
            except ValidationError as error:
                self.add_error("filler_phone", error)
        return cleaned
