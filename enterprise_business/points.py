"""积分数据填报 (基本数据): the form with the batch's year labels, Torch figures, proof files
kept across refused submissions, and writing versions through the review machinery."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.core.files.forms import KeepsProofs
from portal.core.forms import PortalForm
from portal.core.labels import year_label

from . import qualifications, review
from .models import Batch, PointsFiling, TorchRecord
from .review import TransitionError

REVIEW_PERMISSION = "enterprise_business.review_pointsfiling"

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


def torch_figures(enterprise, batch):
    """{filing field: value} from the Torch survey when both Y and Y-1 are on file, else None."""
    records = {r.year: r for r in TorchRecord.objects.filter(
        credit_code=enterprise.credit_code, year__in=[batch.data_year, batch.data_year - 1])}
    current, previous = records.get(batch.data_year), records.get(batch.data_year - 1)
    if current is None or previous is None:
        return None
    values = {}
    for source, (this_year, last_year) in TORCH_FIELDS.items():
        values[this_year] = getattr(current, source)
        if last_year:
            values[last_year] = getattr(previous, source)
    return values


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
            from portal.core.identifiers import normalize_mobile

            try:
                cleaned["filler_phone"] = normalize_mobile(phone)
            except ValidationError as error:
                self.add_error("filler_phone", error)
        return cleaned


PROOF_FIELDS = BUSINESS_FILES + STAFF_FILES


def filing_for(enterprise, batch, create=False) -> PointsFiling:
    """The enterprise's filing of the batch; unsaved until the first POST (a GET writes nothing)."""
    if create:
        return PointsFiling.objects.get_or_create(enterprise=enterprise, batch=batch)[0]
    existing = PointsFiling.objects.select_related(*PROOF_FIELDS).filter(enterprise=enterprise, batch=batch).first()
    return existing or PointsFiling(enterprise=enterprise, batch=batch)


def initial_values(filing):
    return {name: getattr(filing, name) for name in (*CONTACT_FIELDS, *BUSINESS_AMOUNTS, *STAFF_COUNTS)}


def _apply(form):
    def apply(filing):
        for name in (*CONTACT_FIELDS, *STAFF_COUNTS):
            setattr(filing, name, form.cleaned_data.get(name) if name in form.cleaned_data else getattr(filing, name))
        if form.torch is not None:
            # Torch figures, never what the form posted.
            for name, value in form.torch.items():
                setattr(filing, name, value)
            filing.torch_imported = True
        else:
            for name in BUSINESS_AMOUNTS:
                setattr(filing, name, form.cleaned_data.get(name))
            filing.torch_imported = False
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                setattr(filing, name, form.cleaned_data.get(name))
        if form.mode == "submit":
            filing.records_confirmed_at = timezone.now()
    return apply


def _check_dates(filing):
    if filing.is_editable_by_owner and not filing.owner_can_edit:
        batch = filing.batch
        raise TransitionError(
            f"不在本批次填报时间内（{batch.opens_on:%Y-%m-%d}至{batch.closes_on:%Y-%m-%d}），不能修改或提交。"
        )


def save(filing, user, form, submit=False):
    _check_dates(filing)
    if filing.pk is None:
        filing = filing_for(filing.enterprise, filing.batch, create=True)
    action = review.SUBMIT if submit else review.SAVE
    return review.transition(PointsFiling, filing.pk, user, action, apply=_apply(form))


def describe(filing):
    return filing.batch.name, f"/enterprise/filings/{filing.batch_id}/"


def approve(pk, reviewer):
    with transaction.atomic():
        filing = review.transition(PointsFiling, pk, reviewer, review.APPROVE, review_permission=REVIEW_PERMISSION,
                                   describe=describe)
        qualifications.apply_approval(filing)
    return filing


def send_back(pk, reviewer, reason):
    return review.transition(PointsFiling, pk, reviewer, review.RETURN, reason=reason,
                             review_permission=REVIEW_PERMISSION, describe=describe)


def reopen(pk, reviewer, reason):
    """退回更正: send an approved filing back for correction (its approved version still counts)."""
    return review.transition(PointsFiling, pk, reviewer, review.REOPEN, reason=reason,
                             review_permission=REVIEW_PERMISSION, describe=describe)


def visible_batches(today=None):
    today = today or timezone.localdate()
    return Batch.objects.filter(opens_on__lte=today).select_related(
        "social_security_template", "staff_template", "indicator_guide").order_by("-data_year")
