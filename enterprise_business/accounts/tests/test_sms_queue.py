"""An SMS gateway outage degrades gracefully: every message is recorded before the gateway is
tried, a refused one stays queued (the user is told it may be late), `retry_sms` sends it
later with a growing delay, and an expired code's message is dropped rather than sent late."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from enterprise_business.accounts import sms_codes
from enterprise_business.tests.factories import make_enterprise
from enterprise_business.tests.helpers import send_code
from portal.core.models import SmsMessage
from portal.core.notifications import sms

pytestmark = pytest.mark.django_db

PHONE = "13940117777"
FAILING = "enterprise_business.accounts.tests.test_sms_queue.FailingGateway"
WORKING = "enterprise_business.accounts.tests.test_sms_queue.RecordingGateway"


class FailingGateway:
    """A gateway that cannot be reached."""

    def send(self, outgoing):
        raise ConnectionError("短信网关无法连接")


class RecordingGateway:
    """A real gateway stand-in: takes every message and remembers it (keeps no outbox)."""

    sent = []

    def send(self, outgoing):
        self.sent.append((outgoing.phone, outgoing.text))


@pytest.fixture(autouse=True)
def _empty_gateway():
    RecordingGateway.sent.clear()


def test_a_refused_message_is_recorded_and_queued(settings):
    settings.SMS_BACKEND = FAILING
    assert sms.send_sms(PHONE, "filing_approved", filing="企业基本信息") is False
    message = SmsMessage.objects.get()
    assert message.status == SmsMessage.Status.QUEUED and message.attempts == 1
    assert message.text == "【高新区企业创新积分管理平台】企业基本信息审核结果：审核通过。"
    assert "ConnectionError" in message.last_error
    assert timedelta(seconds=25) < message.next_attempt_at - timezone.now() <= timedelta(seconds=30)


def test_the_user_is_told_the_code_is_delayed(client, settings):
    settings.SMS_BACKEND = FAILING
    response = send_code(client, PHONE)
    assert response.status_code == 200
    assert response.json()["delayed"] is True and "短信发送暂时延迟，系统将自动重试" in response.json()["message"]
    assert SmsMessage.objects.get().status == SmsMessage.Status.QUEUED


def test_a_reset_for_an_unknown_account_says_the_same_during_an_outage(client, settings):
    settings.SMS_BACKEND = FAILING
    enterprise = make_enterprise(phone="13940116666")
    known = send_code(client, enterprise.phone, purpose="reset", username=enterprise.credit_code).json()
    unknown = send_code(client, "13940115555", purpose="reset", username=enterprise.credit_code).json()
    assert known["message"] == unknown["message"] and "系统将自动重试" in known["message"]


def test_retry_sends_what_is_due_with_a_growing_delay(settings):
    settings.SMS_BACKEND = FAILING
    sms.send_sms(PHONE, "filing_approved", filing="企业基本信息")
    message = SmsMessage.objects.get()
    now = timezone.now()
    assert sms.retry_queued(now=now)["sent"] == 0  # not due yet: nothing tried
    message.refresh_from_db()
    assert message.attempts == 1
    later = message.next_attempt_at
    assert sms.retry_queued(now=later) == {"queued": 1}
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at - later == timedelta(minutes=1)
    settings.SMS_BACKEND = WORKING
    assert sms.retry_queued(now=message.next_attempt_at) == {"sent": 1}
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT and message.attempts == 3 and message.sent_at
    assert RecordingGateway.sent == [(PHONE, "【高新区企业创新积分管理平台】企业基本信息审核结果：审核通过。")]
    assert sms.retry_queued(now=message.next_attempt_at or timezone.now() + timedelta(days=1)) == {}


def test_retry_gives_up_after_the_last_attempt(settings):
    settings.SMS_BACKEND = FAILING
    sms.send_sms(PHONE, "filing_approved", filing="企业基本信息")
    when = timezone.now()
    for _ in range(sms.MAX_SEND_ATTEMPTS - 1):
        when += timedelta(hours=2)
        sms.retry_queued(now=when)
    message = SmsMessage.objects.get()
    assert message.status == SmsMessage.Status.FAILED and message.attempts == sms.MAX_SEND_ATTEMPTS
    assert sms.retry_queued(now=when + timedelta(days=1)) == {}


def test_an_expired_code_is_not_sent_late_and_is_blanked_out(settings):
    settings.SMS_BACKEND = FAILING
    sms_codes.issue_code(PHONE, "register", "10.0.0.3")
    message = SmsMessage.objects.get()
    assert message.expires_at and "验证码为" in message.text
    settings.SMS_BACKEND = WORKING
    assert sms.retry_queued(now=message.expires_at + timedelta(seconds=1)) == {"expired": 1}
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.EXPIRED and "验证码为******" in message.text
    assert RecordingGateway.sent == []


def test_a_real_gateway_leaves_no_code_in_the_record(settings):
    settings.SMS_BACKEND = WORKING
    sms_codes.issue_code(PHONE, "register", "10.0.0.4")
    (_, delivered), = RecordingGateway.sent
    message = SmsMessage.objects.get()
    assert message.status == SmsMessage.Status.SENT and "验证码为******" in message.text
    assert delivered.replace(delivered[delivered.index("验证码为") + 4:][:6], "******") == message.text


def test_a_queued_code_sent_by_retry_is_blanked_out_too(settings):
    settings.SMS_BACKEND = FAILING
    sms_codes.issue_code(PHONE, "register", "10.0.0.5")
    settings.SMS_BACKEND = WORKING
    message = SmsMessage.objects.get()
    assert sms.retry_queued(now=message.next_attempt_at) == {"sent": 1}
    message.refresh_from_db()
    assert "验证码为******" in message.text and "******" not in RecordingGateway.sent[0][1]


def test_the_retry_command_reports_in_chinese(settings, capsys):
    settings.SMS_BACKEND = FAILING
    sms.send_sms(PHONE, "filing_approved", filing="企业基本信息")
    SmsMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    settings.SMS_BACKEND = WORKING
    call_command("retry_sms", "--now")
    assert "发送成功 1 条" in capsys.readouterr().out
    assert SmsMessage.objects.get().status == SmsMessage.Status.SENT


def test_the_outbox_backend_keeps_codes_for_development_and_tests():
    sms_codes.issue_code(PHONE, "register", "10.0.0.6")
    message = SmsMessage.objects.get()
    assert message.status == SmsMessage.Status.SENT and "******" not in message.text
