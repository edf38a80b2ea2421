"""Reading the programme desk's figures of one batch: the funnel from registration to an
approved points filing, what waits for review and how long (in Chinese working days), the
returns not resubmitted and the unanswered 数据异议. Each function runs a fixed number of
grouped queries, whatever the number of enterprises (tested at two sizes)."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Min, OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from portal.core import workdays

from ..accounts.models import Enterprise, User
from ..filings.models import BasicInfo, FilingEvent, FilingStatus, PointsFiling
from ..qualifications.models import DataQuestion, Department
from ..qualifications.selectors import departments_of

# The funnel's steps in order: (stage, label). The last five partition the enterprises whose
# basic information is approved by their points filing of the batch.
STAGES = (
    ("registered", "注册"),
    ("basic_approved", "基本信息审核通过"),
    (FilingStatus.NOT_FILED.value, "未填报"),
    (FilingStatus.DRAFT.value, "暂存"),
    (FilingStatus.SUBMITTED.value, "提交待审核"),
    (FilingStatus.RETURNED.value, "退回修改"),
    (FilingStatus.APPROVED.value, "审核通过"),
)
STAGE_LABELS = dict(STAGES)
STARTED = (FilingStatus.DRAFT, FilingStatus.SUBMITTED, FilingStatus.RETURNED, FilingStatus.APPROVED)
# Age columns: 0, 1 and 2 working days, then overdue (more than workdays.REVIEW_WORKDAYS).
AGE_LABELS = ("当天", "1个工作日", "2个工作日", "已超期")
_DAY = timedelta(days=1)


def _basic_approved():
    return Exists(BasicInfo.objects.filter(enterprise=OuterRef("pk"), approved_at__isnull=False))


def _filing_of(batch, statuses):
    return Exists(PointsFiling.objects.filter(enterprise=OuterRef("pk"), batch=batch, status__in=statuses))


def funnel(batch) -> list[dict]:
    """[{"stage", "label", "count"}] of STAGES for `batch`: every registered enterprise, those
    with an approved basic information, and these by the status of their points filing of the
    batch (未填报 when they have none). Three queries."""
    registered = Enterprise.objects.count()
    approved = Enterprise.objects.filter(_basic_approved())
    counts = dict(PointsFiling.objects.filter(batch=batch, status__in=STARTED, enterprise__in=approved)
                  .values_list("status").annotate(n=Count("pk")).order_by())
    basic = approved.count()
    values = {"registered": registered, "basic_approved": basic,
              FilingStatus.NOT_FILED.value: basic - sum(counts.values()), **counts}
    return [{"stage": stage, "label": label, "count": values.get(stage, 0)} for stage, label in STAGES]


def stage_enterprises(batch, stage: str):
    """The enterprises behind one figure of the funnel (a QuerySet of Enterprise, by name).
    KeyError for a stage not in STAGES."""
    if stage not in STAGE_LABELS:
        raise KeyError(stage)
    enterprises = Enterprise.objects.order_by("name", "pk")
    if stage == "registered":
        return enterprises
    enterprises = enterprises.filter(_basic_approved())
    if stage == "basic_approved":
        return enterprises
    if stage == FilingStatus.NOT_FILED:
        return enterprises.exclude(_filing_of(batch, STARTED))
    return enterprises.filter(_filing_of(batch, [stage]))


def _ages(dated_counts, today) -> dict:
    """{"ages": [4 counts], "ranges": [(from, to) date per age column], "oldest": age or None}
    from [(local day, count)]."""
    w1, w2, w3 = workdays.last_workdays(today, 3)
    ranges = [(w1, None), (w2, w1 - _DAY), (w3, w2 - _DAY), (None, w3 - _DAY)]
    ages, oldest = [0, 0, 0, 0], None
    for day, count in dated_counts:
        age = workdays.workdays_between(day, today)
        ages[min(age, 3)] += count
        oldest = age if oldest is None else max(oldest, age)
    return {"ages": ages, "ranges": ranges, "oldest": oldest,
            "overdue": oldest is not None and oldest > workdays.REVIEW_WORKDAYS}


def _by_day(queryset, field="submitted_at"):
    return list(queryset.annotate(day=TruncDate(field)).values_list("day").annotate(n=Count("pk")).order_by())


def review_waits(batch, today=None) -> dict:
    """What waits for review: {"registrations", "basic_info", "points"} → `_ages` (how many
    waited 0, 1, 2 or more working days, with the submission dates behind each column), and
    "by_reviewer": the batch's waiting points filings by the reviewer who last returned them
    ([{"reviewer", "count", "oldest_age", "overdue"}], oldest first; first submissions under
    "首次提交"). Five queries."""
    today = today or timezone.localdate()
    waiting_points = PointsFiling.objects.filter(batch=batch, status=FilingStatus.SUBMITTED)
    return {
        "registrations": _ages(_by_day(Enterprise.objects.filter(status=Enterprise.Status.PENDING)), today),
        "basic_info": _ages(_by_day(BasicInfo.objects.filter(status=FilingStatus.SUBMITTED)), today),
        "points": _ages(_by_day(waiting_points), today),
        "by_reviewer": _by_reviewer(waiting_points, today),
    }


def _by_reviewer(waiting, today) -> list[dict]:
    last_return = FilingEvent.objects.filter(
        filing_type=ContentType.objects.get_for_model(PointsFiling), filing_id=OuterRef("pk"),
        to_status=FilingStatus.RETURNED).order_by("-created_at", "-pk").values("actor_id")[:1]
    groups = list(waiting.annotate(reviewer=Subquery(last_return)).values_list("reviewer")
                  .annotate(n=Count("pk"), oldest=Min("submitted_at")).order_by())
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=[g[0] for g in groups if g[0]])}
    rows = []
    for reviewer, count, oldest in groups:
        age = workdays.review_age(oldest, today)
        rows.append({"reviewer": names.get(reviewer, "首次提交（尚未审核过）"), "count": count, "oldest_age": age,
                     "oldest_at": oldest, "overdue": age > workdays.REVIEW_WORKDAYS})
    return sorted(rows, key=lambda row: row["oldest_at"])


def returns(batch, today=None) -> dict:
    """The batch's filings returned and not resubmitted: {"count", "oldest_age"} (working days
    since the return, None when there is none). One query."""
    today = today or timezone.localdate()
    returned = PointsFiling.objects.filter(batch=batch, status=FilingStatus.RETURNED)
    row = returned.aggregate(count=Count("pk"), oldest=Min("decided_at"))
    return {"count": row["count"], "oldest_age": workdays.review_age(row["oldest"], today) if row["oldest"] else None}


def open_questions(user, batch, *, all_departments: bool) -> list[dict]:
    """Unanswered 数据异议 of the batch by department: [{"department", "department_id", "count",
    "oldest_age"}], for the departments `user` works for, or every department when
    `all_departments`. Two queries."""
    today = timezone.localdate()
    departments = Department.objects.all() if all_departments else departments_of(user)
    pending = DataQuestion.objects.filter(batch=batch, status=DataQuestion.Status.PENDING,
                                          indicator__department__in=departments)
    groups = pending.values_list("indicator__department").annotate(n=Count("pk"), oldest=Min("asked_at")).order_by()
    names = dict(Department.objects.values_list("pk", "name"))
    return [{"department": names.get(pk, ""), "department_id": pk, "count": count,
             "oldest_age": workdays.review_age(oldest, today)} for pk, count, oldest in groups]
