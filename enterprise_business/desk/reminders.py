"""填报提醒: reminding enterprises that have not submitted their points filing of a batch.

A scoring admin picks enterprises of one funnel stage (未填报, 暂存 or 退回修改), reads who will
receive which template (`preview`), and sends (`start`): one job on the queue
("desk.remind", enterprise_business.desk.jobs) sends each of them the stage's 消息 and SMS
once and logs it (`Reminder`). The automatic reminder (`enqueue_due`, run daily by
`manage.py send_reminders`) does the same for every enterprise that has not submitted, once
the batch is `Batch.remind_workdays` working days (or fewer) from its close date — off while
that field is blank; each enterprise is reminded once per batch and trigger."""

from django.db import transaction
from django.utils import timezone

from portal.core import jobs, workdays
from portal.core.notifications.catalogue import template

from ..accounts.models import Enterprise
from ..filings.models import Batch, FilingStatus
from . import selectors
from .models import Reminder

JOB_KIND = "desk.remind"
PERMISSION = "enterprise_business.send_reminder"
LINK = "/enterprise/filings/"
# The stages a reminder may be sent to, and the catalogue template each receives.
STAGE_TEMPLATES = {
    FilingStatus.NOT_FILED.value: "reminder_not_filed",
    FilingStatus.DRAFT.value: "reminder_draft",
    FilingStatus.RETURNED.value: "reminder_returned",
}
AUTO_TEMPLATE = "reminder_deadline"


class ReminderRefused(Exception):
    """A reminder that cannot be sent as asked; the message is Chinese, for the page."""


def params(batch) -> dict:
    """The templates' parameters for `batch`: its name and close date (YYYY-MM-DD)."""
    return {"batch": batch.name, "closes_on": batch.closes_on.isoformat()}


def recipients(batch, stage: str, enterprise_ids) -> list[Enterprise]:
    """Those of `enterprise_ids` that are at `stage` of `batch` now (anything else is dropped:
    a forged id or an enterprise that has moved on since the list was read), by name.
    ReminderRefused for a stage that takes no reminder."""
    if stage not in STAGE_TEMPLATES:
        raise ReminderRefused("只能提醒未填报、暂存或退回修改的企业。")
    ids = {int(pk) for pk in enterprise_ids if str(pk).isdigit()}
    return list(selectors.stage_enterprises(batch, stage).filter(pk__in=ids).only("pk", "name", "credit_code",
                                                                               "phone"))


def preview(batch, stage: str, enterprise_ids) -> dict:
    """What `start` would send: {"recipients": [Enterprise], "template": name, "title", "body",
    "sms_text"} — the rendered text each of them receives."""
    chosen = recipients(batch, stage, enterprise_ids)
    name = STAGE_TEMPLATES[stage]
    rendered = template(name).render(params(batch))
    return {"recipients": chosen, "template": name, "title": rendered.title, "body": rendered.body,
            "sms_text": rendered.sms_text}


def start(batch, stage: str, enterprise_ids, user) -> jobs.Job:
    """Queue the reminder of the chosen enterprises at `stage` (those still there) as one job.
    ReminderRefused when none is left to remind."""
    chosen = recipients(batch, stage, enterprise_ids)
    if not chosen:
        raise ReminderRefused("请至少选择一家仍处于该环节的企业。")
    return jobs.enqueue(
        JOB_KIND, f"{batch.name}填报提醒（{selectors.STAGE_LABELS[stage]}，{len(chosen)}家）", user=user,
        params={"batch_id": batch.pk, "stage": stage, "template": STAGE_TEMPLATES[stage], "trigger": "manual",
                "enterprise_ids": [e.pk for e in chosen]})


def not_submitted(batch):
    """The enterprises that may still file but have not submitted: 未填报, 暂存 and 退回修改."""
    return selectors.stage_enterprises(batch, "basic_approved").exclude(
        selectors._filing_of(batch, [FilingStatus.SUBMITTED, FilingStatus.APPROVED]))


def auto_trigger(batch) -> str:
    return f"auto:{batch.remind_workdays}"


def enqueue_due(today=None) -> list[jobs.Job]:
    """The automatic reminders due today: for each open batch with `remind_workdays` set whose
    close date is that many working days away or fewer, one job for the enterprises that have
    not submitted and were not yet reminded on this trigger. A job of the same batch and trigger
    already queued or running is left alone. Returns the jobs queued."""
    today = today or timezone.localdate()
    queued = []
    for batch in Batch.objects.filter(remind_workdays__isnull=False, opens_on__lte=today, closes_on__gte=today):
        if workdays.workdays_between(today, batch.closes_on) > batch.remind_workdays:
            continue
        trigger = auto_trigger(batch)
        reminded = Reminder.objects.filter(batch=batch, trigger=trigger).values("enterprise_id")
        ids = list(not_submitted(batch).exclude(pk__in=reminded).values_list("pk", flat=True))
        if not ids:
            continue
        try:
            with transaction.atomic():
                queued.append(jobs.enqueue(
                    JOB_KIND, f"{batch.name}截止前自动提醒（{len(ids)}家）", key=f"{JOB_KIND}:{batch.pk}:{trigger}",
                    params={"batch_id": batch.pk, "stage": "not_submitted", "template": AUTO_TEMPLATE,
                            "trigger": trigger, "enterprise_ids": ids}))
        except jobs.JobRefused:
            continue
    return queued
