import uuid
from pathlib import PurePosixPath

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from portal.core.crypto import EncryptedCharField, lookup_hash
from portal.core.files.storage import private_storage
from portal.core.identifiers import mask_id_number, mask_phone
from portal.core.records import AppendOnlyModel


class User(AbstractUser):
    """Every person who logs in: staff of each role and enterprise accounts alike.

    Enterprise accounts use their 统一社会信用代码 as the username and have an `enterprise`
    profile; staff have none.
    """

    display_name = models.CharField("显示名称", max_length=100, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def portal_name(self):
        """How the top bar names whoever is logged in: the enterprise, or the staff member."""
        enterprise = getattr(self, "enterprise", None)
        return enterprise.display_name if enterprise else str(self)


def licence_upload_to(instance, filename):
    # A random name: the uploaded name is never trusted or shown to anyone else.
    return f"licences/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class Enterprise(models.Model):
    """An enterprise account's registration (企业用户注册) and its review state."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "审核通过"
        REJECTED = "rejected", "未通过"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="enterprise", verbose_name="账号")
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("企业名称", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=50)
    contact_id_number = EncryptedCharField("联系人身份证号")
    email = models.EmailField("邮箱")
    phone = EncryptedCharField("手机号码")
    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    licence = models.FileField("营业执照", storage=private_storage, upload_to=licence_upload_to)
    status = models.CharField("审核状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    reject_reason = models.TextField("未通过原因", blank=True)
    consented_at = models.DateTimeField("同意知情同意书时间")
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "企业注册"
        verbose_name_plural = "企业注册"
        ordering = ["-submitted_at"]
        permissions = [("review_enterprise", "审核企业注册")]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return self.name or self.credit_code

    def save(self, *args, **kwargs):
        self.phone_hash = lookup_hash(self.phone)
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self):
        return mask_id_number(self.contact_id_number)

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    masked_phone.fget.short_description = "手机号码"  # the column heading in admin lists and exports

    @property
    def display_name(self):
        return self.name or f"企业用户 {self.credit_code}"


class RegistrationReview(AppendOnlyModel):
    """The registration's history: every submission and every decision, with who and why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "提交注册"
        RESUBMITTED = "resubmitted", "修改后重新提交"
        APPROVED = "approved", "审核通过"
        REJECTED = "rejected", "审核未通过"

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField("操作", max_length=12, choices=Action.choices)
    reason = models.TextField("原因", blank=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="操作人")
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "注册审核记录"
        verbose_name_plural = "注册审核记录"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"


class SmsCode(models.Model):
    """A verification code sent by SMS, stored only as a keyed hash, bound to phone and purpose."""

    class Purpose(models.TextChoices):
        REGISTER = "register", "注册"
        RESET = "reset", "重置密码"

    phone_hash = models.CharField(max_length=64)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    client_ip = models.GenericIPAddressField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "短信验证码"
        indexes = [
            models.Index(fields=["phone_hash", "purpose", "created_at"]),
            models.Index(fields=["client_ip", "created_at"]),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"
