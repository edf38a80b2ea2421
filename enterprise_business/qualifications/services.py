"""相关资质填报: what the platform holds for an enterprise per indicator, the forms for a
record and a data question, the department's import, and every change written to the log.

Who may do what is decided here: an enterprise adds and deletes records only of
self-reported indicators and only while its filing of the batch is editable; a department
reaches only the indicators it owns; self-reported records count for the scoring once the
filing that carries them is approved.
"""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.core import roles
from portal.core.generations import rows_of
from portal.core.identifiers import normalize_credit_code
from portal.core.imports import Column, TableImport, parse_date, parse_decimal, parse_integer, parse_text
from portal.core.inquiries import services as inquiries
from portal.core.workflow import TransitionError

from .models import DataQuestion, Department, IndicatorColumn, QualificationIndicator, QualificationRecord, RecordChange
from .selectors import records_of

Type = IndicatorColumn.Type
Role = IndicatorColumn.Role


# ---- the departments' groups ----------------------------------------------------------------

# Model permissions of each department's group; which rows they reach is decided below.
DEPARTMENT_PERMISSIONS = [
    "enterprise_business.view_qualificationrecord", "enterprise_business.add_qualificationrecord",
    "enterprise_business.change_qualificationrecord", "enterprise_business.delete_qualificationrecord",
    "enterprise_business.view_recordchange", "enterprise_business.view_dataquestion",
    "enterprise_business.change_dataquestion",
]


def department_group(sender=None, instance=None, **kwargs):
    """pre_save of a Department: its own group 数据负责部门·<名称>, with the department's rights."""
    if instance.group_id is None:
        instance.group = roles.scoped_group(roles.DEPARTMENT_STAFF, instance.name, DEPARTMENT_PERMISSIONS)


def ensure_department_groups(**kwargs) -> None:
    """After every migrate: each department's group has the rights this module gives it."""
    roles.ensure_permissions()
    for department in Department.objects.select_related("group"):
        roles.grant(department.group, [roles.ACCESS_ADMIN, *DEPARTMENT_PERMISSIONS])


# ---- values ---------------------------------------------------------------------------------

PARSERS = {Type.TEXT: parse_text, Type.AMOUNT: parse_decimal, Type.INTEGER: parse_integer, Type.DATE: parse_date}
# A text value is stored in the record's JSON and shown in lists: at most 200 characters.
PARSER_OPTIONS = {Type.TEXT: {"max_length": 200}}


def to_json(values: dict) -> dict:
    """Column values as stored: amounts as '12.50', dates as 'YYYY-MM-DD', missing as ''."""
    stored = {}
    for key, value in values.items():
        if isinstance(value, Decimal):
            stored[key] = f"{value:.2f}"
        elif isinstance(value, date):
            stored[key] = value.isoformat()
        else:
            stored[key] = "" if value is None else value
    return stored


def derived_fields(indicator, values: dict) -> dict:
    """The model fields a record's column values determine: key, scoring amount, kind."""
    columns = indicator.ordered_columns
    by_role = {c.role: c for c in columns if c.role}
    amount = values.get(by_role[Role.AMOUNT].key) if Role.AMOUNT in by_role else None
    return {
        "record_key": str(values.get(by_role[Role.KEY].key, ""))[:100] if Role.KEY in by_role else "",
        "amount": Decimal(str(amount)) if amount not in (None, "") else None,
        "kind": str(values.get(by_role[Role.KIND].key, ""))[:50] if Role.KIND in by_role else "",
        "values": to_json({c.key: values.get(c.key, "") for c in columns}),
    }


def record_state(record) -> dict:
    return {"credit_code": record.credit_code, "values": record.values, "in_force": record.in_force,
            "withdrawn": record.withdrawn}


def log(record, action, actor, before=None, after=None):
    RecordChange.objects.create(record_id=record.pk, indicator_id=record.indicator_id, batch_id=record.batch_id,
                                credit_code=record.credit_code, action=action, before=before, after=after,
                                actor=actor)


# ---- the enterprise's records -------------------------------------------------------------

def _check_editable(filing, indicator):
    if not indicator.self_reported:
        raise TransitionError("该指标的数据由负责部门导入，企业不能填报；如有疑问，请提出数据异议或电话联系负责部门。")
    if not filing.owner_can_edit:
        raise TransitionError("积分数据已提交或不在填报时间内，不能修改资质记录。")


def add_self_record(filing, indicator, user, form) -> QualificationRecord:
    _check_editable(filing, indicator)
    record = QualificationRecord(
        indicator=indicator, batch=filing.batch, credit_code=filing.enterprise.credit_code,
        source=QualificationRecord.Source.SELF, filing=filing, proof=form.cleaned_data["proof"], in_force=False,
        **derived_fields(indicator, form.column_values()),
    )
    if not record.record_key:
        record.record_key = f"self-{timezone.now():%Y%m%d%H%M%S%f}"
    try:
        with transaction.atomic():
            record.save()
            log(record, "企业新增", user, after=record_state(record))
    except IntegrityError:
        key_column = indicator.column_with_role(Role.KEY)
        raise TransitionError(f"已有{key_column.label if key_column else '相同'}为“{record.record_key}”的记录，"
                              "不能重复填报。") from None
    return record


def delete_self_record(filing, record_id, user):
    record = QualificationRecord.objects.select_related("indicator").get(
        pk=record_id, filing=filing, source=QualificationRecord.Source.SELF, withdrawn=False)
    _check_editable(filing, record.indicator)
    before = record_state(record)
    with transaction.atomic():
        if record.in_force:
            # Approved and counted: it stays in force until the next approval removes it.
            record.withdrawn = True
            record.save(update_fields=["withdrawn", "updated_at"])
            log(record, "企业删除", user, before=before, after=record_state(record))
        else:
            log(record, "企业删除", user, before=before)
            record.delete()


def apply_approval(filing):
    """On approval of a points filing: its self-reported records count from now on, and
    the ones the enterprise deleted are gone."""
    QualificationRecord.objects.filter(filing=filing, withdrawn=True).delete()
    QualificationRecord.objects.filter(filing=filing, in_force=False).update(in_force=True)
    rows_of(QualificationRecord._meta.label).invalidate()  # no post_save for update()


# ---- data questions ------------------------------------------------------------------------

def ask(enterprise, batch, indicator, user, form) -> DataQuestion:
    return inquiries.ask(DataQuestion, asked_by=user, enterprise=enterprise, batch=batch, indicator=indicator,
                         **form.question())


# ---- department staff: import, correct, delete ----------------------------------------------

class RecordImport(TableImport):
    """One indicator's records for one batch, keyed by credit code and the key column."""

    model = QualificationRecord
    key = ("credit_code", "record_key")

    def __init__(self, indicator, batch, actor):
        self.indicator, self.batch, self.actor = indicator, batch, actor
        self.columns = (Column("credit_code", "统一社会信用代码", normalize_credit_code),) + tuple(
            Column(c.key, c.label, PARSERS[c.type], required=c.required, options=PARSER_OPTIONS.get(c.type, {}))
            for c in indicator.ordered_columns
        )

    @classmethod
    def from_params(cls, indicator, batch, actor):
        from django.contrib.auth import get_user_model

        from enterprise_business.filings.models import Batch

        return cls(QualificationIndicator.objects.get(pk=indicator), Batch.objects.get(pk=batch),
                   get_user_model().objects.filter(pk=actor).first())

    def job_params(self):
        return {"indicator": self.indicator.pk, "batch": self.batch.pk, "actor": getattr(self.actor, "pk", None)}

    def clean_row(self, values):
        column_values = {c.key: values.get(c.key) for c in self.indicator.ordered_columns}
        return {"credit_code": values["credit_code"], "indicator": self.indicator, "batch": self.batch,
                "source": QualificationRecord.Source.IMPORT, "in_force": True,
                **derived_fields(self.indicator, column_values)}

    def existing(self, cleaned):
        return QualificationRecord.objects.filter(
            indicator=self.indicator, batch=self.batch, credit_code__in={row["credit_code"] for row in cleaned})

    def written(self, obj, before):
        log(obj, "导入新增" if before is None else "导入修改", self.actor, before=before, after=record_state(obj))

    def snapshot(self, obj):
        return record_state(obj)


def correct(record, user, form):
    if not records_of(user).filter(pk=record.pk).exists():
        raise TransitionError("只能修改本部门负责指标的记录。")
    before = record_state(record)
    for name, value in derived_fields(record.indicator, form.column_values()).items():
        setattr(record, name, value)
    try:
        with transaction.atomic():
            record.save()
            log(record, "部门修改", user, before=before, after=record_state(record))
    except IntegrityError:
        raise TransitionError(f"已有相同唯一标识“{record.record_key}”的记录。") from None


def remove(record, user):
    if not records_of(user).filter(pk=record.pk).exists():
        raise TransitionError("只能删除本部门负责指标的记录。")
    with transaction.atomic():
        log(record, "部门删除", user, before=record_state(record))
        record.delete()
