"""审计日志: who did what, when, from where, with what outcome. Written by the application,
never changed or deleted by it; browsed and exported by auditors in the admin."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..records import AppendOnlyModel


class AuditEvent(AppendOnlyModel):
    class Kind(models.TextChoices):
        LOGIN = "login", "登录成功"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKOUT = "lockout", "账号锁定"
        LOGOUT = "logout", "退出登录"
        PASSWORD_RESET = "password_reset", "重置密码"
        SMS_SENT = "sms_sent", "发送短信验证码"
        SMS_CHECKED = "sms_checked", "校验短信验证码"
        REGISTRATION = "registration", "企业注册"
        REGISTRATION_REVIEW = "registration_review", "注册审核"
        UPLOAD = "upload", "上传文件"
        DOWNLOAD = "download", "下载文件"
        FILING = "filing", "填报审核流程"
        REVEAL = "reveal", "查看完整个人信息"
        PERMISSION = "permission", "权限变更"

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    kind = models.CharField("事件", max_length=30, choices=Kind.choices)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name="操作人")
    username = models.CharField("账号", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    target = models.CharField("对象", max_length=200, blank=True)
    detail = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-created_at"]), models.Index(fields=["username", "-created_at"])]
        permissions = [("audit_auditevent", "查阅和导出审计日志")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"
