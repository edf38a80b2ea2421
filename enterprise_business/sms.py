"""The one SMS service of the platform and its verification codes.

Every message goes through `send_sms`, which records it (短信记录, readable in the admin and by
the tests) before handing it to the backend named by SMS_BACKEND: the default outbox backend
has nothing more to do, the console backend prints for local development, a real gateway is
one more class with a `send(phone, text)` method that raises when the gateway refuses or
cannot be reached. Then the message stays queued, the caller is told (the user sees
短信发送暂时延迟，系统将自动重试), and `manage.py retry_sms` (cron, every minute) tries again with a
growing delay; a code's message is dropped once the code has expired. Once a real gateway
has a code's message (or gave up on it), the code is blanked out of the stored text.

Codes: 6 digits from `secrets`, stored only as a keyed hash, bound to phone and purpose,
valid 5 minutes, single use, dead after 5 wrong tries; one send per phone per 60 s, at most
10 per phone and 20 per address a day; a resend replaces the previous code.
"""

import hmac
import logging
import secrets
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import audit
from .crypto import lookup_hash
from .identifiers import mask_phone
from .models import SmsCode, SmsMessage

SIGNATURE = "【高新区企业创新积分管理平台】"
CODE_LIFETIME = timedelta(minutes=5)
MAX_FAILED_ATTEMPTS = 5
RESEND_INTERVAL = timedelta(seconds=60)
DAILY_LIMIT_PER_PHONE = 10
DAILY_LIMIT_PER_ADDRESS = 20


DELAYED_NOTICE = "短信发送暂时延迟，系统将自动重试，请稍后查收。"
RETRY_FIRST_DELAY = timedelta(seconds=30)
RETRY_MAX_DELAY = timedelta(hours=1)
MAX_SEND_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 32 min between them: about an hour in all
REDACTED = "******"

logger = logging.getLogger(__name__)


class OutboxBackend:
    """The record is the whole delivery: development, tests and the demo read it."""

    keeps_text = True

    def send(self, phone: str, text: str) -> None:
        pass


class ConsoleBackend:
    """Local development only: prints the message, code included, to the terminal."""

    keeps_text = True

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"[短信] {mask_phone(phone)} {text}\n")
        sys.stdout.flush()


def _backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, text: str, *, expires_at=None, secret: str = "") -> bool:
    """Record the message, then hand it to the gateway. True when the gateway took it; False
    when it is queued for `retry_sms` (the caller tells the user it may be late). `secret`
    (a code) is blanked out of the stored text once a real gateway has it or gave up."""
    message = SmsMessage.objects.create(
        phone=phone, phone_masked=mask_phone(phone), text=f"{SIGNATURE}{text}", expires_at=expires_at,
    )
    message.secret = secret
    return _attempt(message, _backend(), timezone.now())


def _retry_delay(attempts: int) -> timedelta:
    return min(RETRY_FIRST_DELAY * 2 ** (attempts - 1), RETRY_MAX_DELAY)


def _attempt(message, backend, now) -> bool:
    message.attempts += 1
    fields = ["status", "attempts", "next_attempt_at", "sent_at", "last_error", "text"]
    try:
        backend.send(message.phone, message.text)
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
    secret = getattr(message, "secret", "") or _code_in(message.text)
    if secret and not getattr(backend, "keeps_text", False):
        message.text = message.text.replace(secret, REDACTED)


def _code_in(text: str) -> str:
    """The code of a verification message (the text `issue_code` writes), for retries."""
    head, found, tail = text.partition("验证码为")
    return tail[:6] if found and tail[:6].isdigit() else ""


def retry_queued(now=None, limit: int = 1000) -> Counter:
    """One pass over the due queue (`manage.py retry_sms`): each message locked while it is
    tried, so two overlapping runs never send one twice. Returns how many were sent, failed
    again, given up or dropped as expired."""
    now = now or timezone.now()
    backend, outcome = _backend(), Counter()
    due = SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED, next_attempt_at__lte=now)
    for pk in due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            message = (SmsMessage.objects.select_for_update(skip_locked=True)
                       .filter(pk=pk, status=SmsMessage.Status.QUEUED).first())
            if message is None:
                continue
            if message.expires_at and message.expires_at <= now:
                message.status, message.next_attempt_at = SmsMessage.Status.EXPIRED, None
                _redact(message, backend)
                message.save(update_fields=["status", "next_attempt_at", "text"])
                outcome["expired"] += 1
            elif _attempt(message, backend, now):
                outcome["sent"] += 1
            else:
                outcome["failed" if message.status == SmsMessage.Status.FAILED else "queued"] += 1
    return outcome


def gateway_degraded() -> bool:
    return SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED).exists()


class SmsCodeError(Exception):
    """A refusal the user is told about, in Chinese."""

    def __init__(self, message: str, wait_seconds: int = 0):
        super().__init__(message)
        self.message = message
        self.wait_seconds = wait_seconds


@dataclass(frozen=True)
class Sent:
    wait_seconds: int
    delayed: bool = False  # the gateway did not take it at once: queued and retried


def _code_hash(phone: str, purpose: str, code: str) -> str:
    return lookup_hash(f"sms-code:{purpose}:{phone}:{code}")


def issue_code(phone: str, purpose: str, client_ip: str | None, deliver: bool = True) -> Sent:
    """Create and send a code. With deliver=False the limits and the record are the same
    but nothing is sent: used when a reset request's account and phone do not match, so
    the answer cannot tell an attacker which accounts exist."""
    now = timezone.now()
    phone_hash = lookup_hash(phone)
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        recent = SmsCode.objects.select_for_update().filter(phone_hash=phone_hash, created_at__gte=start_of_day)
        last = recent.order_by("-created_at").first()
        if last and now - last.created_at < RESEND_INTERVAL:
            wait = int((RESEND_INTERVAL - (now - last.created_at)).total_seconds()) + 1
            raise SmsCodeError(f"验证码发送过于频繁，请{wait}秒后再试。", wait_seconds=wait)
        if recent.count() >= DAILY_LIMIT_PER_PHONE:
            raise SmsCodeError("该手机号码今日获取验证码次数已达上限，请明天再试。")
        if client_ip and SmsCode.objects.filter(client_ip=client_ip, created_at__gte=start_of_day).count() \
                >= DAILY_LIMIT_PER_ADDRESS:
            raise SmsCodeError("您今日获取验证码次数已达上限，请明天再试。")
        SmsCode.objects.filter(phone_hash=phone_hash, purpose=purpose, used_at__isnull=True).update(used_at=now)
        code = f"{secrets.randbelow(1_000_000):06d}"
        SmsCode.objects.create(
            phone_hash=phone_hash, purpose=purpose, code_hash=_code_hash(phone, purpose, code),
            client_ip=client_ip, created_at=now, expires_at=now + CODE_LIFETIME,
        )
    if deliver:
        delayed = not send_sms(phone, f"您的验证码为{code}，5分钟内有效。请勿将验证码告诉他人。",
                               expires_at=now + CODE_LIFETIME, secret=code)
    else:
        # Said the same way as a delayed send, so that an outage does not tell which accounts exist.
        delayed = gateway_degraded()
    audit.record(audit.Kind.SMS_SENT, target=mask_phone(phone), detail=purpose)
    return Sent(wait_seconds=int(RESEND_INTERVAL.total_seconds()), delayed=delayed)


def check_code(phone: str, purpose: str, code: str) -> None:
    """Consume the phone's current code for this purpose, or raise SmsCodeError.

    A wrong code is counted before the error is raised, outside the transaction, so the
    count survives the refusal."""
    now = timezone.now()
    with transaction.atomic():
        record = (
            SmsCode.objects.select_for_update()
            .filter(phone_hash=lookup_hash(phone), purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        error = _refusal(record, phone, purpose, code, now)
        if error is None:
            record.used_at = now
            record.save(update_fields=["used_at"])
    audit.record(audit.Kind.SMS_CHECKED, outcome=audit.Outcome.FAILURE if error else audit.Outcome.SUCCESS,
                 target=mask_phone(phone), detail=f"{purpose} {error or ''}".strip())
    if error:
        raise SmsCodeError(error)


def _refusal(record, phone, purpose, code, now) -> str | None:
    if record is None:
        return "请先获取短信验证码。"
    if record.expires_at <= now:
        return "短信验证码已过期，请重新获取。"
    if record.failed_attempts >= MAX_FAILED_ATTEMPTS:
        return "短信验证码错误次数过多，请重新获取。"
    if hmac.compare_digest(record.code_hash, _code_hash(phone, purpose, (code or "").strip())):
        return None
    record.failed_attempts += 1
    record.save(update_fields=["failed_attempts"])
    if record.failed_attempts >= MAX_FAILED_ATTEMPTS:
        return "短信验证码错误次数过多，请重新获取。"
    return "短信验证码不正确。"
