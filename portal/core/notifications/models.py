"""What the platform tells people: 消息 shown to an account on its pages, and every SMS, recorded
before a gateway is tried (the outbox of development and tests, and the retry queue)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..crypto import EncryptedCharField
from ..records import NotContent


class Message(models.Model):
    """消息: what the platform tells an account (review decisions, answers, results), shown on
    the 平台首页 and under /enterprise/."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages",
                                  verbose_name="接收人")
    template = models.CharField("消息模板", max_length=50, blank=True)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class SmsMessage(NotContent, models.Model):
    """Every SMS the platform sends, recorded before the gateway is tried: the outbox of the
    default backend, and the queue `retry_sms` works through while a gateway is down. A gateway
    sends `template` with `params`; `text` is what the recipient reads, for staff and tests.

    A queued message is marked 发送中 (committed) before the gateway is tried and given its
    outcome after: one left 发送中 lost its worker while the gateway had it, and is never sent
    again, since the gateway may already have delivered it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        EXPIRED = "expired", "已过期未发送"

    phone = EncryptedCharField("手机号码")
    phone_masked = models.CharField("手机号码", max_length=20)
    template = models.CharField("短信模板", max_length=50, blank=True)
    params = models.JSONField("模板参数", default=dict, blank=True)
    text = models.TextField("内容")
    created_at = models.DateTimeField("发送时间", default=timezone.now)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    next_attempt_at = models.DateTimeField("下次重试时间", null=True, blank=True)
    sent_at = models.DateTimeField("送达网关时间", null=True, blank=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True, help_text="验证码短信过期后不再重试。")
    last_error = models.CharField("最近一次错误", max_length=200, blank=True)
    job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            verbose_name="任务", help_text="群发通知的短信由该后台任务发送。")

    class Meta:
        verbose_name = "短信记录"
        verbose_name_plural = "短信记录"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="sms_retry_queue")]

    def __str__(self):
        return f"{self.phone_masked} {self.created_at:%Y-%m-%d %H:%M}"
