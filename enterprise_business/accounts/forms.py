from django import forms
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import ValidationError

from enterprise_business.accounts.selectors import find_enterprise_user
from enterprise_business.accounts.sms_codes import SmsCodeError, check_code
from enterprise_business.models import Enterprise, User
from portal.core.crypto import lookup_hash
from portal.core.files.checks import clean_licence_image
from portal.core.files.services import storage_errors
from portal.core.forms import PortalForm, text_input
from portal.core.identifiers import normalize_credit_code, normalize_id_number, normalize_mobile

PENDING_LICENCE_SALT = "enterprise_business.pending-licence"


class CaptchaTokenField(forms.CharField):
    """The pass issued by the slider check, filled in by the slider's script."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=False, **kwargs)


class LoginForm(PortalForm):
    username = forms.CharField(label="账号", max_length=150, widget=text_input("username"))
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    captcha_token = CaptchaTokenField()


class PasswordFieldsMixin(forms.Form):
    password1 = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少8位，须同时包含字母和数字。",
    )
    password2 = forms.CharField(
        label="确认密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password2(self):
        password1, password2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise ValidationError("两次输入的密码不一致。")
        return password2

    def validate_password_for(self, user):
        password = self.cleaned_data.get("password1")
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error("password1", error)


class RegistrationForm(PasswordFieldsMixin, PortalForm):
    """企业用户注册. The licence, once accepted, is kept across refused submissions."""

    field_order = [
        "username", "contact_name", "contact_id_number", "email", "licence", "licence_token",
        "phone", "sms_code", "password1", "password2", "consent",
    ]

    username = forms.CharField(
        label="账号", max_length=30, widget=text_input("off", placeholder="统一社会信用代码"),
        help_text="请填写企业的18位统一社会信用代码，作为登录账号。",
    )
    contact_name = forms.CharField(label="联系人", max_length=50, widget=text_input("name"))
    contact_id_number = forms.CharField(label="联系人身份证号", max_length=30, widget=text_input("off"))
    email = forms.EmailField(label="邮箱", widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             error_messages={"invalid": "请输入正确的邮箱地址。"})
    licence = forms.FileField(
        label="营业执照", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png"}),
        help_text="营业执照扫描件或经盖章的营业执照复印件扫描件, 只能上传1个jpg/png文件, 且大小不超过2M.",
    )
    licence_token = forms.CharField(widget=forms.HiddenInput, required=False)
    phone = forms.CharField(label="手机号码", max_length=30, widget=text_input("tel", inputmode="tel"))
    sms_code = forms.CharField(
        label="手机验证码", max_length=6, widget=text_input("one-time-code", inputmode="numeric")
    )
    consent = forms.BooleanField(
        label="我同意政府相关", required=True,
        error_messages={"required": "请阅读并勾选同意《知情同意书》。"},
    )

    def __init__(self, *args, consent_url="", private_storage=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].link_url = consent_url
        self.fields["consent"].link_text = "《知情同意书》"
        self.private_storage = private_storage
        self.pending_licence_name = None

    def clean_username(self):
        code = normalize_credit_code(self.cleaned_data["username"])
        if User.objects.filter(username=code).exists():
            raise ValidationError("该统一社会信用代码已经注册。如忘记密码，请在登录页点击“忘记密码”找回。")
        return code

    def clean_contact_id_number(self):
        return normalize_id_number(self.cleaned_data["contact_id_number"])

    def clean_phone(self):
        phone = normalize_mobile(self.cleaned_data["phone"])
        if Enterprise.objects.filter(phone_hash=lookup_hash(phone)).exists():
            raise ValidationError("该手机号码已被其他企业账号使用，请更换手机号码。")
        return phone

    def clean_licence(self):
        upload = self.cleaned_data.get("licence")
        if upload:
            image = clean_licence_image(upload)
            with storage_errors():
                self.pending_licence_name = self.private_storage.save(f"pending/{image.name}", image)
            return self.pending_licence_name
        name = self._pending_from_token(self.data.get(self.add_prefix("licence_token")))
        if name is None:
            raise ValidationError("请上传营业执照。")
        self.pending_licence_name = name
        return name

    def _pending_from_token(self, token):
        if not token:
            return None
        try:
            name = signing.loads(token, salt=PENDING_LICENCE_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            return None
        with storage_errors():
            return name if name.startswith("pending/") and self.private_storage.exists(name) else None

    @property
    def licence_token_value(self):
        return signing.dumps(self.pending_licence_name, salt=PENDING_LICENCE_SALT) if self.pending_licence_name else ""

    def clean(self):
        cleaned = super().clean()
        self.validate_password_for(User(username=cleaned.get("username", "")))
        # The code is checked last, and consumed only when everything else is right.
        if not self.errors and cleaned.get("phone"):
            try:
                check_code(cleaned["phone"], "register", cleaned.get("sms_code", ""))
            except SmsCodeError as error:
                self.add_error("sms_code", error.message)
        return cleaned


class ResubmitForm(RegistrationForm):
    """A rejected enterprise corrects its registration: same checks, its own code and phone allowed."""

    def __init__(self, *args, enterprise, **kwargs):
        self.enterprise = enterprise
        super().__init__(*args, **kwargs)
        for name in ("username", "password1", "password2"):
            del self.fields[name]
        self.fields["sms_code"].required = False
        self.fields["sms_code"].help_text = "仅在更换手机号码时需要。"
        # The numbers on file are never sent back to the browser in full: blank keeps them.
        for name, masked in (("contact_id_number", enterprise.masked_id_number), ("phone", enterprise.masked_phone)):
            self.fields[name].required = False
            self.fields[name].show_required = True
            self.fields[name].help_text = f"当前：{masked}。不修改请留空。"

    def clean_contact_id_number(self):
        if not self.cleaned_data.get("contact_id_number"):
            return self.enterprise.contact_id_number
        return super().clean_contact_id_number()

    def clean_phone(self):
        if not self.cleaned_data.get("phone"):
            return self.enterprise.phone
        phone = normalize_mobile(self.cleaned_data["phone"])
        clash = Enterprise.objects.filter(phone_hash=lookup_hash(phone)).exclude(pk=self.enterprise.pk)
        if clash.exists():
            raise ValidationError("该手机号码已被其他企业账号使用，请更换手机号码。")
        return phone

    def clean_licence(self):
        if not self.cleaned_data.get("licence") and not self.data.get(self.add_prefix("licence_token")):
            return None  # keep the licence already on file
        return super().clean_licence()

    def clean(self):
        cleaned = forms.Form.clean(self)
        phone = cleaned.get("phone")
        if not self.errors and phone and phone != self.enterprise.phone:
            try:
                check_code(phone, "register", cleaned.get("sms_code", ""))
            except SmsCodeError as error:
                self.add_error("sms_code", error.message)
        return cleaned


class PasswordResetForm(PasswordFieldsMixin, PortalForm):
    username = forms.CharField(label="账号", max_length=30, widget=text_input("username"))
    phone = forms.CharField(label="手机号码", max_length=30, widget=text_input("tel", inputmode="tel"))
    sms_code = forms.CharField(
        label="短信验证码", max_length=6, widget=text_input("one-time-code", inputmode="numeric")
    )

    field_order = ["username", "phone", "sms_code", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "新密码"
        self.fields["password1"].widget.attrs["placeholder"] = "请输入新密码"
        self.fields["password2"].widget.attrs["placeholder"] = "请输入确认密码"
        self.user = None

    def clean_phone(self):
        return normalize_mobile(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        user = find_enterprise_user(cleaned["username"], cleaned["phone"])
        # One message whatever was wrong: the form never tells whether the account exists.
        try:
            check_code(cleaned["phone"], "reset", cleaned["sms_code"])
        except SmsCodeError as error:
            self.add_error("sms_code", error.message)
            return cleaned
        if user is None:
            self.add_error("sms_code", "短信验证码不正确。")
            return cleaned
        self.validate_password_for(user)
        self.user = user
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="未通过原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=500,
        error_messages={"required": "请填写未通过原因。"},
    )
