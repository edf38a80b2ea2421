"""The background side of 填报提醒 (reminders.py): the "desk.remind" job."""

from portal.core import jobs
from portal.core.notifications.services import notify_all

from ..accounts.models import Enterprise
from ..filings.models import Batch
from . import reminders
from .models import Reminder


@jobs.register(reminders.JOB_KIND, "填报提醒（消息和短信）")
def remind_job(context) -> dict:
    """Send params["template"] to each of params["enterprise_ids"] once (消息 and SMS, through
    `notify_all`, which resumes after a worker dies) and log each in the same transaction as
    its messages. The trigger is params["trigger"]: "manual" becomes "manual:<job id>"."""
    params = context.params
    batch = Batch.objects.get(pk=params["batch_id"])
    trigger = params["trigger"] if params["trigger"] != "manual" else f"manual:{context.job.pk}"
    job = context.job

    def log(chunk, now):
        Reminder.objects.bulk_create([
            Reminder(batch=batch, enterprise_id=enterprise.pk, template=params["template"], stage=params["stage"],
                     trigger=trigger, job_id=job.pk, sent_by_id=job.created_by_id, created_at=now)
            for enterprise in chunk])

    outcome = notify_all(context, Enterprise.objects.filter(pk__in=params["enterprise_ids"]), params["template"],
                         link=reminders.LINK, on_chunk=log, **reminders.params(batch))
    return {**outcome, "summary": f"已向 {outcome['notified']} 家企业发送填报提醒（消息和短信）。"}
