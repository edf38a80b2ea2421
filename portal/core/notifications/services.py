"""Telling someone something: a 消息 on their pages and the same text by SMS, from the catalogue.

A recipient is anything with `user_id` (the account whose 消息 it becomes) and `phone` (an
11-digit mobile number), such as an enterprise.
"""

from django.db import transaction
from django.utils import timezone

from ..identifiers import mask_phone
from ..jobs.models import Job
from .catalogue import SIGNATURE, template
from .models import Message, SmsMessage
from .selectors import INBOX
from .sms import send_queued, send_sms

CHUNK = 500


def notify(recipient, template_name: str, *, link: str = "", **params) -> Message:
    """The catalogue's `template_name` with `params`, as a 消息 to `recipient.user_id` (linking
    to `link`) and an SMS to `recipient.phone`. ValueError for wrong parameters."""
    rendered = template(template_name).render(params)
    message = Message.objects.create(recipient_id=recipient.user_id, template=template_name, title=rendered.title,
                                     body=rendered.body, link=link)
    send_sms(recipient.phone, template_name, **params)
    return message


def notify_many(recipients, template_name: str, *, link: str = "", **params) -> int:
    """The same template to every recipient: the 消息 in bulk inserts, the SMS one by one (a
    gateway takes one phone at a time). Returns how many were told."""
    recipients = list(recipients)
    rendered = template(template_name).render(params)
    Message.objects.bulk_create(
        [Message(recipient_id=r.user_id, template=template_name, title=rendered.title, body=rendered.body, link=link)
         for r in recipients],
        batch_size=1000,
    )
    INBOX.renew(*{r.user_id for r in recipients})  # bulk_create sends no post_save
    for recipient in recipients:
        send_sms(recipient.phone, template_name, **params)
    return len(recipients)


def notify_all(context, recipients, template_name: str, *, link: str = "", on_chunk=None, **params) -> dict:
    """notify_many for a job (`context`, portal.core.jobs), for any number of recipients and
    exactly once: the 消息 and the SMS records are written CHUNK recipients at a time (ordered
    by pk), each chunk committed with the job's cursor, so a job taken over from a dead worker
    goes on after the last committed chunk; then the job's SMS are sent, each marked 发送中
    before the gateway has it (`sms.send_queued`), so none is ever sent twice. `on_chunk(chunk,
    now)`, when given, is called inside each chunk's transaction (a log of who was told commits
    with the messages, or not at all)."""
    rendered = template(template_name).render(params)
    sms_params = {name: str(value) for name, value in params.items()}
    job = context.job
    recipients = recipients.order_by("pk").only("pk", "user_id", "phone")
    count = recipients.count()
    done = recipients.filter(pk__lte=job.cursor).count()  # taken over, or retried by staff (which clears done)
    context.progress(done, 2 * count)
    while True:
        with transaction.atomic():
            locked = Job.objects.select_for_update().get(pk=job.pk)
            if locked.attempt != job.attempt or locked.status != Job.Status.RUNNING:
                raise RuntimeError("另一个工作进程已接手该任务")
            chunk = list(recipients.filter(pk__gt=locked.cursor)[:CHUNK])
            if not chunk:
                break
            now = timezone.now()
            Message.objects.bulk_create([
                Message(recipient_id=r.user_id, template=template_name, title=rendered.title, body=rendered.body,
                        link=link, created_at=now) for r in chunk])
            INBOX.renew(*{r.user_id for r in chunk})  # bulk_create sends no post_save
            SmsMessage.objects.bulk_create([
                SmsMessage(phone=r.phone, phone_masked=mask_phone(r.phone), template=template_name, params=sms_params,
                           text=f"{SIGNATURE}{rendered.sms_text}", created_at=now, next_attempt_at=now, job=job)
                for r in chunk])
            if on_chunk is not None:
                on_chunk(chunk, now)
            job.cursor, job.done = chunk[-1].pk, job.done + len(chunk)
            Job.objects.filter(pk=job.pk).update(cursor=job.cursor, done=job.done, heartbeat_at=now)
    messages = SmsMessage.objects.filter(job=job)
    tried = count + messages.exclude(status=SmsMessage.Status.QUEUED).count()  # by an earlier attempt
    outcome = send_queued(messages, progress=lambda n: context.progress(tried + n) if n % 100 == 0 else None)
    context.progress(2 * count)
    return {"notified": count, "sms_sent": outcome["sent"], "sms_queued": outcome["queued"] + outcome["failed"]}
