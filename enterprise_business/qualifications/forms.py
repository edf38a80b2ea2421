"""The forms of qualification records: one record of an indicator (its fields built from the
indicator's columns, with a proof when the enterprise reports it) and a data question."""

from django import forms

from portal.core.files.forms import KeepsProofs
from portal.core.forms import PortalForm
from portal.core.inquiries.forms import InquiryForm

from .models import IndicatorColumn

Type = IndicatorColumn.Type


class RecordForm(KeepsProofs, PortalForm):
    """One record of an indicator, its fields built from the indicator's columns."""

    def __init__(self, *args, indicator, enterprise=None, user=None, with_proof=False, **kwargs):
        kwargs.setdefault("prefix", f"rec-{indicator.code}")
        super().__init__(*args, **kwargs)
        self.indicator, self.user = indicator, user
        self.owner = enterprise.user if enterprise is not None else None
        for column in indicator.ordered_columns:
            self.fields[column.key] = _form_field(column)
        if with_proof:
            self.proof_file_field("proof", "证明文件", required=True)

    def clean(self):
        cleaned = super().clean()
        if "proof" in self.fields:
            self.clean_proofs(cleaned)
            if not cleaned.get("proof") and "proof" not in self.errors:
                self.add_error("proof", "请上传证明文件。")
        return cleaned

    def column_values(self):
        return {c.key: self.cleaned_data.get(c.key) for c in self.indicator.ordered_columns}


def _form_field(column):
    required_message = {"required": f"请填写“{column.label}”。"}
    if column.type == Type.AMOUNT:
        field = forms.DecimalField(label=f"{column.label}（万元）", min_value=0, max_digits=14, decimal_places=2,
                                   error_messages={**required_message, "invalid": "请输入数字，最多两位小数。",
                                                   "max_decimal_places": "最多两位小数。", "min_value": "不能为负数。"})
        field.input_suffix = "万元"
    elif column.type == Type.INTEGER:
        field = forms.IntegerField(label=column.label, min_value=0, max_value=10**12 - 1,
                                   error_messages={**required_message, "invalid": "请输入整数。",
                                                   "min_value": "不能为负数。", "max_value": "数值过大。"})
    elif column.type == Type.DATE:
        field = forms.DateField(label=column.label, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={**required_message, "invalid": "请输入有效的日期（YYYY-MM-DD）。"})
    else:
        field = forms.CharField(label=column.label, max_length=200, error_messages=required_message)
    field.required = column.required
    field.show_required = column.required
    return field


class QuestionForm(InquiryForm):
    """数据异议 on one indicator (its form's fields are prefixed with the indicator's code)."""

    def __init__(self, *args, indicator, enterprise=None, user=None, **kwargs):
        kwargs.setdefault("prefix", f"q-{indicator.code}")
        super().__init__(*args, owner=enterprise.user if enterprise is not None else None, user=user, **kwargs)
        self.indicator = indicator
