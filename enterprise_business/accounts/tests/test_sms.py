from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from enterprise_business.accounts import sms_codes
from enterprise_business.models import SmsCode
from enterprise_business.tests.helpers import send_code, sms_code_from_outbox
from portal.core.models import SmsMessage
from portal.core.notifications import sms

pytestmark = pytest.mark.django_db

PHONE = "13940119999"


def test_code_is_six_digits_sent_through_the_outbox_and_stored_only_hashed():
    sms_codes.issue_code(PHONE, "register", "10.0.0.1")
    message = SmsMessage.objects.get()
    code = sms_code_from_outbox(PHONE)
    assert message.text.startswith("【高新区企业创新积分管理平台】") and len(code) == 6
    with connection.cursor() as cursor:
        cursor.execute("SELECT code_hash, phone_hash FROM enterprise_business_smscode")
        stored = cursor.fetchall()
        cursor.execute("SELECT phone FROM core_smsmessage")
        stored_phone = cursor.fetchone()[0]
    assert code not in str(stored) and PHONE not in str(stored)
    assert PHONE not in stored_phone


def test_correct_code_passes_once():
    sms_codes.issue_code(PHONE, "register", None)
    code = sms_code_from_outbox(PHONE)
    sms_codes.check_code(PHONE, "register", code)
    with pytest.raises(sms_codes.SmsCodeError, match="请先获取"):
        sms_codes.check_code(PHONE, "register", code)


def test_code_is_bound_to_its_purpose():
    sms_codes.issue_code(PHONE, "register", None)
    with pytest.raises(sms_codes.SmsCodeError):
        sms_codes.check_code(PHONE, "reset", sms_code_from_outbox(PHONE))


def test_expired_code_is_refused():
    sms_codes.issue_code(PHONE, "register", None)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(sms_codes.SmsCodeError, match="已过期"):
        sms_codes.check_code(PHONE, "register", sms_code_from_outbox(PHONE))


def test_five_wrong_tries_kill_the_code():
    sms_codes.issue_code(PHONE, "register", None)
    code = sms_code_from_outbox(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(sms_codes.SmsCodeError, match="不正确"):
            sms_codes.check_code(PHONE, "register", wrong)
    with pytest.raises(sms_codes.SmsCodeError, match="错误次数过多"):
        sms_codes.check_code(PHONE, "register", wrong)
    with pytest.raises(sms_codes.SmsCodeError, match="错误次数过多"):
        sms_codes.check_code(PHONE, "register", code)


def test_one_send_per_phone_per_minute_and_a_resend_replaces_the_code():
    sms_codes.issue_code(PHONE, "register", None)
    first = sms_code_from_outbox(PHONE)
    with pytest.raises(sms_codes.SmsCodeError, match="秒后再试") as refusal:
        sms_codes.issue_code(PHONE, "register", None)
    assert 0 < refusal.value.wait_seconds <= 60
    SmsCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    sms_codes.issue_code(PHONE, "register", None)
    second = sms_code_from_outbox(PHONE)
    if first != second:
        with pytest.raises(sms_codes.SmsCodeError):
            sms_codes.check_code(PHONE, "register", first)
    sms_codes.check_code(PHONE, "register", second)


def test_daily_caps_per_phone_and_per_address():
    earlier = timezone.now() - timedelta(minutes=5)
    for _ in range(sms_codes.DAILY_LIMIT_PER_PHONE):
        SmsCode.objects.create(phone_hash=sms_codes.lookup_hash(PHONE), purpose="register", code_hash="x",
                               created_at=earlier, expires_at=earlier)
    with pytest.raises(sms_codes.SmsCodeError, match="该手机号码今日"):
        sms_codes.issue_code(PHONE, "register", "10.0.0.9")
    for n in range(sms_codes.DAILY_LIMIT_PER_ADDRESS):
        SmsCode.objects.create(phone_hash=f"other{n}", purpose="register", code_hash="x", client_ip="10.0.0.7",
                               created_at=earlier, expires_at=earlier)
    with pytest.raises(sms_codes.SmsCodeError, match="您今日"):
        sms_codes.issue_code("13940118888", "register", "10.0.0.7")


def test_sending_needs_a_passed_slider(client):
    response = client.post("/accounts/sms/", {"purpose": "register", "phone": PHONE, "captcha_token": "forged"})
    assert response.status_code == 400 and "滑块" in response.json()["message"]
    assert not SmsMessage.objects.exists()


def test_sending_through_the_view_answers_in_chinese_and_limits(client):
    assert send_code(client, PHONE).json()["message"] == "验证码已发送，请注意查收。"
    again = send_code(client, PHONE)
    assert again.status_code == 429 and "秒后再试" in again.json()["message"]


def test_the_console_backend_prints_the_recorded_message(settings, capsys):
    settings.SMS_BACKEND = "portal.core.notifications.sms.ConsoleBackend"
    assert sms.send_sms(PHONE, "filing_approved", filing="企业基本信息") is True
    assert "139****9999" in capsys.readouterr().out
    assert SmsMessage.objects.get().status == SmsMessage.Status.SENT  # every message is recorded (test_sms_queue)
