"""Reading qualification records: which departments, indicators, records and data questions a
staff member reaches, and what an enterprise sees on its 相关资质填报 page."""

from portal.core.generations import Generation, Memo
from portal.core.prepared import Prepared

from .models import DataQuestion, Department, QualificationIndicator, QualificationRecord

# The catalogue of indicators with their departments and columns, which every enterprise's
# 相关资质填报 page lists: kept in the worker's memory until an indicator, a column or a
# department is saved or deleted (enterprise_business/apps.py).
CATALOGUE = Memo(Generation("qualifications:catalogue"), max_entries=1)


def catalogue() -> list[QualificationIndicator]:
    """Every indicator in the catalogue's order, with its department and `ordered_columns`
    loaded (fresh copies from the worker's memo: no query once it is current)."""
    return CATALOGUE.get("all", lambda: list(
        QualificationIndicator.objects.select_related("department").prefetch_related("columns")))


def departments_of(user):
    """The departments a staff member works for; every department for a superuser."""
    if user.is_superuser:
        return Department.objects.all()
    return Department.objects.filter(group__in=user.groups.all())


def indicators_of(user):
    return QualificationIndicator.objects.filter(department__in=departments_of(user))


def records_of(user):
    return QualificationRecord.objects.filter(indicator__department__in=departments_of(user))


def _visible(batch_id: int, credit_code: str):
    return QualificationRecord.objects.filter(batch_id=batch_id, credit_code=credit_code, withdrawn=False)


def visible_records(enterprise, batch):
    """What the enterprise sees: every record held for it in the batch, but not the ones it deleted."""
    return _visible(batch.pk, enterprise.credit_code)


# An enterprise's records and data questions of a batch, which its 相关资质填报 page and the
# reviewer's page of its filing read on every visit: compiled once per worker (portal.core.prepared).
VISIBLE_RECORDS = Prepared(lambda batch_id, credit_code: _visible(batch_id, credit_code).select_related("proof")
                           .order_by("created_at", "pk"), int, str)
QUESTIONS = Prepared(lambda enterprise_id, batch_id: DataQuestion.objects.filter(
    enterprise_id=enterprise_id, batch_id=batch_id).select_related("attachment"), int, int)


def indicator_rows(enterprise, batch):
    """One row per indicator: the indicator (with its columns), its records (what
    `visible_records` holds, oldest first) and its data questions."""
    indicators = catalogue()
    records = {}
    for record in VISIBLE_RECORDS.all(batch.pk, enterprise.credit_code):
        records.setdefault(record.indicator_id, []).append(record)
    questions = {}
    for question in QUESTIONS.all(enterprise.pk, batch.pk):
        questions.setdefault(question.indicator_id, []).append(question)
    rows = []
    for indicator in indicators:
        items = records.get(indicator.pk, [])
        rows.append({"indicator": indicator,
                     "records": [(record, [record.values.get(c.key, "") for c in indicator.ordered_columns])
                                 for record in items],
                     "count": len(items), "questions": questions.get(indicator.pk, [])})
    return rows


def questions_for(user):
    """The data questions `user` answers: those on their departments' indicators."""
    return DataQuestion.objects.filter(indicator__department__in=departments_of(user)).select_related(
        "indicator__department", "enterprise", "batch")
