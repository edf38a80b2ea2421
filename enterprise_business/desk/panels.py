"""This app's panels of the programme desk (portal.core.desk): the funnel, what waits for
review, the returns not resubmitted and the unanswered 数据异议. Each figure carries the link
to the list behind it (the funnel's own enterprise lists, or a review queue filtered to the
same rows)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from portal.core import desk, workdays

from . import reminders, selectors

FUNNEL = "enterprise_business.view_pointsfiling"
QUEUES = (  # (key, label, permission, queue URL name, status filter, filters by batch)
    ("registrations", "企业注册", "enterprise_business.view_enterprise", "registrations:index", "pending", False),
    ("basic_info", "企业基本信息", "enterprise_business.view_basicinfo", "basic_info_review:index", "submitted", False),
    ("points", "积分数据填报", "enterprise_business.view_pointsfiling", "points_review:index", "submitted", True),
)
QUESTIONS_OPEN = "enterprise_business.view_dataquestion"
# The models the funnel and the review queues count (portal.core.desk.register's `counts`).
FILINGS = ("enterprise_business.Enterprise", "enterprise_business.BasicInfo", "enterprise_business.PointsFiling")


def link(url_name, *args, **query) -> str:
    """The admin URL `url_name` with `query` (None values left out)."""
    return with_query(reverse(url_name, args=args), **query)


def with_query(url, **query) -> str:
    query = {name: value for name, value in query.items() if value is not None}
    return url + (f"?{urlencode(query)}" if query else "")


@desk.register("funnel", "填报进度", order=10, template="enterprise_business/desk/panel_funnel.html",
               visible=lambda user: user.has_perm(FUNNEL), counts=FILINGS)
def funnel_panel(user, batch) -> dict:
    rows = selectors.funnel(batch)
    for row in rows:
        row["link"] = link("desk:stage", batch.pk, row["stage"])
        row["remindable"] = row["stage"] in reminders.STAGE_TEMPLATES
    return {"rows": desk.bars(rows), "can_remind": user.has_perm(reminders.PERMISSION)}


@desk.register("review_waits", "待审核（按工作日计）", order=20, template="enterprise_business/desk/panel_waits.html",
               visible=lambda user: any(user.has_perm(q[2]) for q in QUEUES), on_home=True,
               counts=(*FILINGS, "enterprise_business.User"))
def waits_panel(user, batch) -> dict:
    today = timezone.localdate()
    waits = selectors.review_waits(batch, today)
    rows = []
    for key, label, permission, url_name, status, by_batch in QUEUES:
        if not user.has_perm(permission):
            continue
        ages, queue, of_batch = waits[key], reverse(url_name), batch.pk if by_batch else None
        cells = [{"count": count, "overdue": index == 3,
                  "link": with_query(queue, status=status, batch=of_batch,
                                     submitted_at__date__gte=start and start.isoformat(),
                                     submitted_at__date__lte=end and end.isoformat())}
                 for index, (count, (start, end)) in enumerate(zip(ages["ages"], ages["ranges"], strict=True))]
        rows.append({"label": label, "cells": cells, "total": sum(ages["ages"]), "oldest": ages["oldest"],
                     "overdue": ages["overdue"], "link": with_query(queue, status=status, batch=of_batch)})
    return {"rows": rows, "age_labels": selectors.AGE_LABELS, "limit": workdays.REVIEW_WORKDAYS,
            "by_reviewer": waits["by_reviewer"] if user.has_perm(FUNNEL) else None,
            "points_link": link("points_review:index", status="submitted", batch=batch.pk)}


@desk.register("returns", "退回修改未重新提交", order=30, template="enterprise_business/desk/panel_returns.html",
               visible=lambda user: user.has_perm(FUNNEL), counts=("enterprise_business.PointsFiling",))
def returns_panel(user, batch) -> dict:
    return {**selectors.returns(batch), "link": link("points_review:index", status="returned", batch=batch.pk),
            "stage_link": link("desk:stage", batch.pk, "returned")}


@desk.register("data_questions", "未答复的数据异议（按部门）", order=40,
               template="enterprise_business/desk/panel_questions.html",
               visible=lambda user: user.has_perm(QUESTIONS_OPEN) or user.has_perm(reminders.PERMISSION),
               counts=("enterprise_business.DataQuestion", "enterprise_business.QualificationIndicator",
                       "enterprise_business.Department"))
def questions_panel(user, batch) -> dict:
    can_open = user.has_perm(QUESTIONS_OPEN)
    rows = selectors.open_questions(user, batch, all_departments=not can_open)
    for row in rows:
        row["link"] = link("data_questions:index", status="pending", batch=batch.pk,
                           indicator__department=row["department_id"]) if can_open else ""
        row["overdue"] = row["oldest_age"] > workdays.REVIEW_WORKDAYS
    return {"rows": rows, "total": sum(row["count"] for row in rows)}
