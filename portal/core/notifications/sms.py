"""The one SMS service of the platform.

Every message goes through `send_sms`, which records it (短信记录, readable in the admin and by
the tests) before handing it to the backend named by SMS_BACKEND: the default outbox backend
has nothing more to do, the console backend prints for local development, and
`portal.core.notifications.gateways.TencentCloudBackend` sends the catalogue's template
through Tencent Cloud SMS. A backend's `send(outgoing)` raises when the gateway refuses or
cannot be reached; the message then stays queued, the caller is told (the user sees
短信发送暂时延迟，系统将自动重试), and `manage.py retry_sms` (cron, every minute) tries again
with a growing delay; a code's message is dropped once the code has expired. Once a real
gateway has a code's message (or gave up on it), the code is blanked out of the record.
"""

import logging
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from ..identifiers import mask_phone
from ..jobs.services import register
from .catalogue import SIGNATURE, template
from .models import SmsMessage

DELAYED_NOTICE = "短信发送暂时延迟，系统将自动重试，请稍后查收。"
RETRY_FIRST_DELAY = timedelta(seconds=30)
RETRY_MAX_DELAY = timedelta(hours=1)
MAX_SEND_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 32 min between them: about an hour in all
REDACTED = "******"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """What a backend sends: the phone (11 digits), the catalogue template's name, its
    parameter values in the provider's order, and the text the recipient reads."""

    phone: str
    template: str
    params: tuple[str, ...]
    text: str


class OutboxBackend:
    """The record is the whole delivery: development, tests and the demo read it."""

    keeps_text = True

    def send(self, outgoing: Outgoing) -> None:
        pass


class ConsoleBackend:
    """Local development only: prints the message, code included, to the terminal."""

    keeps_text = True

    def send(self, outgoing: Outgoing) -> None:
        sys.stdout.write(f"[短信] {mask_phone(outgoing.phone)} {outgoing.text}\n")
        sys.stdout.flush()


def _backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, template_name: str, *, expires_at=None, secret: str = "", **params) -> bool:
    """Record the catalogue's `template_name` with `params` for `phone`, then hand it to the
    gateway. True when the gateway took it; False when it is queued for `retry_sms` (the caller
    tells the user it may be late). `secret` (a code among the params) is blanked out of the
    record once a real gateway has it or gave up. ValueError for wrong parameters."""
    rendered = template(template_name).render(params)
    message = SmsMessage.objects.create(
        phone=phone, phone_masked=mask_phone(phone), template=template_name,
        params={name: str(value) for name, value in params.items()}, text=f"{SIGNATURE}{rendered.sms_text}",
        expires_at=expires_at,
    )
    message.secret = secret
    return _attempt(message, _backend(), timezone.now())


def _outgoing(message) -> Outgoing:
    names = template(message.template).params
    return Outgoing(message.phone, message.template, tuple(message.params.get(n, "") for n in names), message.text)


def _retry_delay(attempts: int) -> timedelta:
    return min(RETRY_FIRST_DELAY * 2 ** (attempts - 1), RETRY_MAX_DELAY)


def _attempt(message, backend, now) -> bool:
    message.attempts += 1
    fields = ["status", "attempts", "next_attempt_at", "sent_at", "last_error", "text", "params"]
    try:
        backend.send(_outgoing(message))
    except Exception as error:  # whatever a gateway raises: the message stays queued
        logger.warning("SMS to %s not sent (attempt %s): %r", message.phone_masked, message.attempts, error)
        message.last_error = f"{type(error).__name__}: {error}"[:200]
        if message.attempts >= MAX_SEND_ATTEMPTS:
            message.status, message.next_attempt_at = SmsMessage.Status.FAILED, None
            _redact(message, backend)
        else:
            message.status, message.next_attempt_at = SmsMessage.Status.QUEUED, now + _retry_delay(message.attempts)
        message.save(update_fields=fields)
        return False
    message.status, message.sent_at, message.next_attempt_at = SmsMessage.Status.SENT, now, None
    _redact(message, backend)
    message.save(update_fields=fields)
    return True


def _redact(message, backend):
    """A real gateway has the message (or gave up on it): no code stays in the record."""
    secret = getattr(message, "secret", "") or message.params.get("code", "")
    if secret and not getattr(backend, "keeps_text", False):
        message.text = message.text.replace(secret, REDACTED)
        message.params = {name: REDACTED if value == secret else value for name, value in message.params.items()}


def _deliver(pk, backend, now, outcome: Counter) -> None:
    """Try the queued message `pk`: marked 发送中 and committed before the gateway has it, so a
    worker killed meanwhile never leads to a second send; skipped if another process holds it."""
    with transaction.atomic():
        message = (SmsMessage.objects.select_for_update(skip_locked=True)
                   .filter(pk=pk, status=SmsMessage.Status.QUEUED).first())
        if message is None:
            return
        if message.expires_at and message.expires_at <= now:
            message.status, message.next_attempt_at = SmsMessage.Status.EXPIRED, None
            _redact(message, backend)
            message.save(update_fields=["status", "next_attempt_at", "text", "params"])
            outcome["expired"] += 1
            return
        message.status = SmsMessage.Status.SENDING
        message.save(update_fields=["status"])
    if _attempt(message, backend, now):
        outcome["sent"] += 1
    else:
        outcome["failed" if message.status == SmsMessage.Status.FAILED else "queued"] += 1


def send_queued(messages, now=None, progress=None) -> Counter:
    """Try each queued message of `messages` (a queryset) once, e.g. those a notice job queued;
    `progress(n)` after each. Returns the outcome as `retry_queued` does."""
    now = now or timezone.now()
    backend, outcome = _backend(), Counter()
    pks = list(messages.filter(status=SmsMessage.Status.QUEUED).order_by("pk").values_list("pk", flat=True))
    for n, pk in enumerate(pks, start=1):
        _deliver(pk, backend, now, outcome)
        if progress is not None:
            progress(n)
    return outcome


def retry_queued(now=None, limit: int = 1000) -> Counter:
    """One pass over the due queue (the "sms.retry" job of `manage.py retry_sms`): each message
    locked while it is tried, so two overlapping passes never send one twice. Returns how many
    were sent, failed again, given up or dropped as expired."""
    now = now or timezone.now()
    backend, outcome = _backend(), Counter()
    due = SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED, next_attempt_at__lte=now)
    for pk in due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit]:
        _deliver(pk, backend, now, outcome)
    return outcome


RETRY_JOB = "sms.retry"


def outcome_text(outcome: Counter) -> str:
    waiting = SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED).count()
    return (f"短信重试：发送成功 {outcome['sent']} 条，仍待重试 {outcome['queued']} 条，"
            f"放弃 {outcome['failed']} 条，验证码过期未发 {outcome['expired']} 条；队列中还有 {waiting} 条。")


@register(RETRY_JOB, "短信重试")
def retry_job(context) -> dict:
    return {"summary": outcome_text(retry_queued())}


def gateway_degraded() -> bool:
    """Whether messages are waiting for the gateway (it refused or could not be reached)."""
    return SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED).exists()
