import io
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from PIL import Image

from enterprise_business.models import Enterprise, RegistrationReview, SmsCode, User
from enterprise_business.tests.helpers import (
    credit_code,
    id_number,
    licence_upload,
    png_bytes,
    send_code,
    sms_code_from_outbox,
)

pytestmark = pytest.mark.django_db

PHONE = "13940112233"


def form_data(client, **overrides):
    data = {
        "username": credit_code(),
        "contact_name": "王晓明",
        "contact_id_number": id_number(),
        "email": "wang@example.cn",
        "phone": PHONE,
        "password1": "Qiye2025abc",
        "password2": "Qiye2025abc",
        "consent": "on",
    }
    if "sms_code" not in overrides:
        send_code(client, overrides.get("phone", PHONE))
        data["sms_code"] = sms_code_from_outbox(overrides.get("phone", PHONE))
    data.update(overrides)
    if "licence" not in data:
        data["licence"] = licence_upload()
    return {key: value for key, value in data.items() if value is not None}


def post(client, data):
    return client.post("/accounts/register/", data)


def test_registration_page_has_every_field_of_the_manual_with_labels(client):
    html = client.get("/accounts/register/").content.decode()
    for label, field in [("账号", "username"), ("联系人", "contact_name"), ("联系人身份证号", "contact_id_number"),
                         ("邮箱", "email"), ("营业执照", "licence"), ("手机号码", "phone"),
                         ("手机验证码", "sms_code"), ("密码", "password1"), ("确认密码", "password2")]:
        assert f'<label for="id_{field}" class="required">{label}</label>' in html
    assert '<label for="id_consent">我同意政府相关</label>' in html
    assert "《知情同意书》" in html and "获取验证码" in html
    assert "只能上传1个jpg/png文件, 且大小不超过2M." in html


def test_a_complete_registration_waits_for_review(client):
    response = post(client, form_data(client))
    assert response.status_code == 302 and response["Location"] == "/accounts/register/done/"
    enterprise = Enterprise.objects.get()
    assert enterprise.status == Enterprise.Status.PENDING
    assert enterprise.user.check_password("Qiye2025abc")
    assert enterprise.contact_id_number == id_number() and enterprise.phone == PHONE
    assert RegistrationReview.objects.get().action == "submitted"
    assert "等待平台管理员审核" in client.get("/accounts/register/done/").content.decode()


def test_personal_numbers_are_encrypted_at_rest(client):
    post(client, form_data(client))
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_id_number, phone, phone_hash FROM enterprise_business_enterprise")
        row = cursor.fetchone()
    assert id_number() not in str(row) and PHONE not in str(row)


def test_licence_is_reencoded_without_exif_and_stored_privately(client):
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    jpeg = png_bytes(exif=exif.tobytes())
    post(client, form_data(client, licence=licence_upload("scan.jpg", jpeg, "image/jpeg")))
    enterprise = Enterprise.objects.get()
    stored = enterprise.licence.read()
    assert b"SecretCamera" not in stored
    assert Image.open(io.BytesIO(stored)).format == "JPEG"
    assert enterprise.licence.name.startswith("licences/") and "scan" not in enterprise.licence.name
    with pytest.raises(NotImplementedError):
        enterprise.licence.url  # noqa: B018


def _refused(response, field, message):
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    return html


REFUSALS = [
    ("username", "91350100M000100Y42", "校验位"),
    ("contact_id_number", "110105194912310021", "校验位"),
    ("email", "not-an-email", "邮箱"),
    ("phone", "12345", "手机号码"),
    ("password2", "Different2025", "不一致"),
    ("consent", None, "知情同意书"),
]


@pytest.mark.parametrize("field,value,message", REFUSALS)
def test_each_refusal_names_its_field_and_keeps_the_other_values(client, field, value, message):
    overrides = {field: value, "sms_code": "123456"} if field == "phone" else {field: value}
    data = form_data(client, **overrides)
    html = _refused(post(client, data), field, message)
    for kept in ("contact_name", "email", "phone"):
        if kept != field:
            assert f'value="{data[kept]}"' in html
    assert 'value="Qiye2025abc"' not in html
    assert not Enterprise.objects.exists()


def test_wrong_sms_code_is_refused_and_keeps_values(client):
    data = form_data(client)
    data["sms_code"] = "000000" if data["sms_code"] != "000000" else "111111"
    html = _refused(post(client, data), "sms_code", "不正确")
    assert 'value="王晓明"' in html


def test_expired_sms_code_is_refused(client):
    data = form_data(client)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    _refused(post(client, data), "sms_code", "已过期")


@pytest.mark.parametrize("upload,message", [
    (lambda: licence_upload("big.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024)), "不能超过2M"),
    (lambda: licence_upload("fake.png", b"this is not an image"), "不是有效的"),
    (lambda: licence_upload("licence.pdf", png_bytes(), "application/pdf"), "jpg/png"),
    (lambda: licence_upload("svg.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
     "不是有效的"),
    (lambda: licence_upload("page.png", b"<html><script>alert(1)</script></html>"), "不是有效的"),
    (lambda: licence_upload("empty.png", b""), "空"),
    (lambda: licence_upload("jpeg-named.png", png_bytes(exif=Image.Exif().tobytes())), "不符"),
    (lambda: licence_upload("cut.png", png_bytes()[:200]), "不是有效的"),
])
def test_bad_licence_files_are_refused_by_content(client, upload, message):
    data = form_data(client, licence=upload())
    html = _refused(post(client, data), "licence", message)
    assert 'value="王晓明"' in html


def test_png_with_appended_html_is_cleaned(client):
    post(client, form_data(client, licence=licence_upload("x.png", png_bytes() + b"<script>alert(1)</script>")))
    assert b"<script>" not in Enterprise.objects.get().licence.read()


# A few kilobytes that decode to 49 million pixels (over the portal's cap) and to 400 million
# (over Pillow's own decompression-bomb limit): both refused as too large, neither decoded.
@pytest.mark.parametrize("side", [7000, 20000])
def test_pixel_bomb_is_refused(client, side):
    bomb = io.BytesIO()
    Image.new("1", (side, side)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 100_000
    upload = licence_upload("bomb.png", bomb.getvalue())
    _refused(post(client, form_data(client, licence=upload)), "licence", "图片尺寸过大，请压缩后重新上传。")
    assert not Enterprise.objects.exists()


def test_an_accepted_licence_survives_a_refused_form(client):
    data = form_data(client, password2="Mismatch2025")
    first = post(client, data)
    token = first.context["form"].licence_token_value
    assert token and "已上传营业执照" in first.content.decode()
    retry = {**data, "password2": "Qiye2025abc", "licence_token": token}
    del retry["licence"]
    response = post(client, retry)
    assert response.status_code == 302
    assert Enterprise.objects.get().licence.read()


def test_a_forged_licence_token_is_ignored(client):
    data = form_data(client, licence=None, licence_token="forged")
    _refused(post(client, data), "licence", "请上传营业执照")


def test_one_account_per_credit_code_and_per_phone(client):
    post(client, form_data(client))
    again = form_data(client, phone="13940114455")
    _refused(post(client, again), "username", "已经注册")
    other = form_data(client, username=credit_code("91210231MA0R2H8T6"), sms_code="123456")
    _refused(post(client, other), "phone", "已被其他企业")
    assert User.objects.count() == 1


def test_password_rules_are_in_chinese(client):
    for password, message in (("abcdefgh", "字母和数字"), ("password1", "常见"), ("Ab1", "太短"),
                              ("12345678", "全部是数字"), ("x" * 129 + "1", "不能超过")):
        data = form_data(client, password1=password, password2=password)
        _refused(post(client, data), "password1", message)
        SmsCode.objects.all().delete()
