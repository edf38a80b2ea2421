"""SMS verification codes (短信验证码) for registration and password reset.

Codes: 6 digits from `secrets`, stored only as a keyed hash, bound to phone and purpose,
valid 5 minutes, single use, dead after 5 wrong tries; one send per phone per 60 s, at most
10 per phone and 20 per address a day; a resend replaces the previous code. They are sent
through the platform's one SMS service (`portal.core.notifications.sms`), whose queue retries
them while a gateway is down and drops them once expired.
"""

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from enterprise_business.models import SmsCode
from portal.core import audit
from portal.core.crypto import lookup_hash
from portal.core.identifiers import mask_phone
from portal.core.notifications.sms import gateway_degraded, send_sms

CODE_LIFETIME = timedelta(minutes=5)
MAX_FAILED_ATTEMPTS = 5
RESEND_INTERVAL = timedelta(seconds=60)
DAILY_LIMIT_PER_PHONE = 10
DAILY_LIMIT_PER_ADDRESS = 20


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
        delayed = not send_sms(phone, "verification_code", code=code, expires_at=now + CODE_LIFETIME, secret=code)
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
