import pytest

from enterprise_business.models import SmsCode
from enterprise_business.tests.factories import PASSWORD, make_enterprise
from enterprise_business.tests.helpers import send_code, sms_code_from_outbox
from portal.core.models import SmsMessage

pytestmark = pytest.mark.django_db


def test_page_has_the_manual_fields(client):
    html = client.get("/accounts/password-reset/").content.decode()
    for label in ("账号", "手机号码", "短信验证码", "新密码", "确认密码"):
        assert f"{label}</label>" in html
    assert 'placeholder="请输入新密码"' in html and 'placeholder="请输入确认密码"' in html


def test_matching_and_non_matching_phone_get_the_same_answer(client):
    enterprise = make_enterprise()
    matching = send_code(client, enterprise.phone, "reset", username=enterprise.credit_code)
    SmsCode.objects.all().delete()
    not_matching = send_code(client, "13900009999", "reset", username=enterprise.credit_code)
    unknown = send_code(client, "13900008888", "reset", username="91350100M000100Y43")
    assert matching.status_code == not_matching.status_code == unknown.status_code == 200
    assert matching.json() == not_matching.json() == unknown.json()
    assert [m.phone for m in SmsMessage.objects.all()] == [enterprise.phone]


def test_reset_with_the_code_changes_the_password_and_ends_other_sessions(client, django_user_model):
    from django.test import Client

    enterprise = make_enterprise()
    other_device = Client()
    other_device.force_login(enterprise.user)
    assert other_device.get("/enterprise/").status_code == 200

    send_code(client, enterprise.phone, "reset", username=enterprise.credit_code)
    response = client.post("/accounts/password-reset/", {
        "username": enterprise.credit_code, "phone": enterprise.phone,
        "sms_code": sms_code_from_outbox(enterprise.phone), "password1": "NewPass2026", "password2": "NewPass2026",
    })
    assert response.status_code == 302
    enterprise.user.refresh_from_db()
    assert enterprise.user.check_password("NewPass2026") and not enterprise.user.check_password(PASSWORD)
    assert other_device.get("/enterprise/").status_code == 302


def test_wrong_code_or_wrong_account_is_refused_alike(client):
    enterprise = make_enterprise()
    other = make_enterprise()
    send_code(client, enterprise.phone, "reset", username=enterprise.credit_code)
    code = sms_code_from_outbox(enterprise.phone)
    response = client.post("/accounts/password-reset/", {
        "username": other.credit_code, "phone": enterprise.phone, "sms_code": code,
        "password1": "NewPass2026", "password2": "NewPass2026",
    })
    assert "短信验证码不正确" in response.content.decode()
    other.user.refresh_from_db()
    assert other.user.check_password(PASSWORD)
    assert f'value="{other.credit_code}"' in response.content.decode()
