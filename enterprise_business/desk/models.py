"""The log of reminders (填报提醒): which enterprise was sent which template about which batch,
by which job, on which trigger. Written in the same transaction as the messages themselves."""

from django.db import models
from django.utils import timezone

from portal.core.records import AppendOnlyModel

from ..accounts.models import Enterprise, User
from ..filings.models import Batch


class Reminder(AppendOnlyModel):
    """One reminder to one enterprise. `trigger` says why: "manual:<job id>" for a scoring
    admin's selection, "auto:<N>" for the automatic reminder N working days before the batch
    closes; one enterprise is reminded once per batch and trigger (a database constraint)."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+", verbose_name="填报批次")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name="企业")
    template = models.CharField("消息模板", max_length=50)
    stage = models.CharField("提醒时所处环节", max_length=20, choices=[
        ("not_filed", "未填报"), ("draft", "暂存"), ("returned", "退回修改"), ("not_submitted", "尚未提交")])
    trigger = models.CharField("触发方式", max_length=30)
    job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            verbose_name="任务")
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name="发送人", help_text="自动提醒为空。")
    created_at = models.DateTimeField("发送时间", default=timezone.now)

    class Meta:
        verbose_name = "填报提醒"
        verbose_name_plural = "填报提醒"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "enterprise", "trigger"],
                                               name="one_reminder_per_batch_and_trigger")]
        permissions = [("send_reminder", "发送填报提醒")]

    def __str__(self):
        return f"{self.enterprise} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def text(self) -> str:
        """What the enterprise read: the 消息's title and body (the catalogue template, filled in)."""
        from portal.core.notifications.catalogue import template

        rendered = template(self.template).render({"batch": self.batch.name, "closes_on": self.batch.closes_on})
        return f"{rendered.title}：{rendered.body}"

    text.fget.short_description = "提醒内容"

    @property
    def trigger_display(self) -> str:
        """The trigger in words: 手动发送（任务 12） or 截止前2个工作日自动提醒."""
        kind, _, value = self.trigger.partition(":")
        return f"手动发送（任务 {value}）" if kind == "manual" else f"截止前{value}个工作日自动提醒"

    trigger_display.fget.short_description = "触发方式"
