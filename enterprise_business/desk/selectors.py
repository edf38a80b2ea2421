"""Reading the programme desk's figures of one batch: the funnel from registration to an
approved points filing, what waits for review and how long (in Chinese working days), the
returns not resubmitted and the unanswered 数据异议. Each function runs a fixed number of
grouped queries, whatever the number of enterprises (tested at two sizes)."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from portal.core import workdays

from ..accounts.models import Enterprise, User
from ..filings.models import BasicInfo, FilingStatus, PointsFiling
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


def _approved_enterprise_ids():
    # An enterprise has one basic information (a constraint): its enterprise_id, as a subquery.
    return BasicInfo.objects.filter(approved_at__isnull=False).values("enterprise_id")


def _filing_of(batch, statuses):
    return Exists(PointsFiling.objects.filter(enterprise=OuterRef("pk"), batch=batch, status__in=statuses))


def funnel(batch) -> list[dict]:
    """[{"stage", "label", "count"}] of STAGES for `batch`: every registered enterprise, those
    with an approved basic information, and these by the status of their points filing of the
    batch (未填报 when they have none). Two queries, each one pass over its table with the
    approved basic informations as one hashed subquery (not an EXISTS per enterprise)."""
    approved = _approved_enterprise_ids()
    totals = Enterprise.objects.aggregate(registered=Count("pk"), basic=Count("pk", filter=Q(pk__in=approved)))
    counts = dict(PointsFiling.objects.filter(batch=batch, status__in=STARTED, enterprise_id__in=approved)
                  .values_list("status").annotate(n=Count("pk")).order_by())
    basic = totals["basic"]
    values = {"registered": totals["registered"], "basic_approved": basic,
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
    enterprises = enterprises.filter(pk__in=_approved_enterprise_ids())
    if stage == "basic_approved":
        return enterprises
    if stage == FilingStatus.NOT_FILED:
        return enterprises.exclude(_filing_of(batch, STARTED))
    return enterprises.filter(_filing_of(batch, [stage]))


def _age_columns(today) -> tuple[list, list]:
    """(ranges, starts): the four age columns' date ranges (from, to) — 0, 1, 2 working days,
    then older (workdays.last_workdays) — and the local midnights that start the first three."""
    w1, w2, w3 = workdays.last_workdays(today, 3)
    ranges = [(w1, None), (w2, w1 - _DAY), (w3, w2 - _DAY), (None, w3 - _DAY)]
    return ranges, [timezone.make_aware(datetime.combine(day, time.min)) for day in (w1, w2, w3)]


def _aged(starts, field="submitted_at") -> dict:
    """Aggregates of a queryset of waiting things: "a0"–"a3" how many in each age column
    (compared with the columns' first instants, so the rows' dates are never computed one by
    one), "oldest" the earliest `field`."""
    s1, s2, s3 = starts
    return {"a0": Count("pk", filter=Q(**{f"{field}__gte": s1})),
            "a1": Count("pk", filter=Q(**{f"{field}__gte": s2, f"{field}__lt": s1})),
            "a2": Count("pk", filter=Q(**{f"{field}__gte": s3, f"{field}__lt": s2})),
            "a3": Count("pk", filter=Q(**{f"{field}__lt": s3})),
            "oldest": Min(field)}


def _ages(rows, ranges, today) -> dict:
    """{"ages": [4 counts], "ranges": [(from, to) date per age column], "oldest": age or None,
    "overdue"} from rows of `_aged` (summed, the oldest of all)."""
    ages = [sum(row[f"a{index}"] for row in rows) for index in range(4)]
    first = min((row["oldest"] for row in rows if row["oldest"] is not None), default=None)
    oldest = workdays.review_age(first, today) if first is not None else None
    return {"ages": ages, "ranges": ranges, "oldest": oldest,
            "overdue": oldest is not None and oldest > workdays.REVIEW_WORKDAYS}


def review_waits(batch, today=None) -> dict:
    """What waits for review: {"registrations", "basic_info", "points"} → `_ages` (how many
    waited 0, 1, 2 or more working days, with the submission dates behind each column), and
    "by_reviewer": the batch's waiting points filings by the reviewer who last returned them
    ([{"reviewer", "count", "oldest_age", "overdue"}], oldest first; first submissions under
    "首次提交"). Three queries (four when a waiting filing was returned before): the points
    filings' columns come grouped by reviewer."""
    today = today or timezone.localdate()
    ranges, starts = _age_columns(today)
    aged = _aged(starts)
    waiting_points = PointsFiling.objects.filter(batch=batch, status=FilingStatus.SUBMITTED)
    by_reviewer = list(waiting_points.values("last_returned_by").annotate(**aged).order_by())
    return {
        "registrations": _ages([Enterprise.objects.filter(status=Enterprise.Status.PENDING).aggregate(**aged)],
                               ranges, today),
        "basic_info": _ages([BasicInfo.objects.filter(status=FilingStatus.SUBMITTED).aggregate(**aged)],
                            ranges, today),
        "points": _ages(by_reviewer, ranges, today),
        "by_reviewer": _by_reviewer(by_reviewer, today),
    }


FIRST_SUBMISSIONS = "首次提交（尚未审核过）"


def _by_reviewer(groups, today) -> list[dict]:
    """Rows of `_aged` grouped by Filing.last_returned_by (kept by the review machinery, so no
    query reads the review log) as [{"reviewer", "count", "oldest_age", "oldest_at", "overdue"}],
    and one more query for the reviewers' names when there is any. (Joining the users in the
    grouped query makes PostgreSQL hash the whole user table.)"""
    ids = [group["last_returned_by"] for group in groups if group["last_returned_by"] is not None]
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=ids)} if ids else {}
    rows = []
    for group in groups:
        age = workdays.review_age(group["oldest"], today)
        rows.append({"reviewer": names.get(group["last_returned_by"], FIRST_SUBMISSIONS),
                     "count": sum(group[f"a{index}"] for index in range(4)), "oldest_age": age,
                     "oldest_at": group["oldest"], "overdue": age > workdays.REVIEW_WORKDAYS})
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
    `all_departments`. One query."""
    today = timezone.localdate()
    departments = Department.objects.all() if all_departments else departments_of(user)
    pending = DataQuestion.objects.filter(batch=batch, status=DataQuestion.Status.PENDING,
                                          indicator__department__in=departments)
    groups = (pending.values_list("indicator__department", "indicator__department__name")
              .annotate(n=Count("pk"), oldest=Min("asked_at")).order_by())
    return [{"department": name or "", "department_id": pk, "count": count,
             "oldest_age": workdays.review_age(oldest, today)} for pk, name, count, oldest in groups]
