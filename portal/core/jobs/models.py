"""The job row: what is to be done, how far it has got, and what came of it."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..records import NotContent


class Job(NotContent, models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField("任务类型", max_length=50)
    title = models.CharField("任务", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    key = models.CharField(
        "唯一标识", max_length=100, blank=True, help_text="同一标识同时只能有一个排队中或进行中的任务（如同一次计算）。"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempt = models.PositiveSmallIntegerField(
        "执行次数", default=1, help_text="每次排队（含重试、工作进程中断后接续）加一；只有携带当前次数的任务才会执行。"
    )
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    cursor = models.PositiveBigIntegerField(
        "已处理到", default=0, help_text="分批处理的任务已提交到的位置（如最后一个已通知对象的编号），接续时从此继续。"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="发起人",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    worker = models.CharField("工作进程", max_length=100, blank=True)
    input_file = models.CharField("输入文件", max_length=300, blank=True)
    input_name = models.CharField("输入文件名", max_length=200, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    result_file = models.CharField("结果文件", max_length=300, blank=True)
    result_name = models.CharField("结果文件名", max_length=200, blank=True)
    error = models.TextField("错误信息", blank=True)

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_running_heartbeat")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(status__in=("queued", "running")) & ~models.Q(key=""),
                name="one_active_job_per_key",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def elapsed_seconds(self) -> int | None:
        if self.started_at is None:
            return None
        return int(((self.finished_at or timezone.now()) - self.started_at).total_seconds())
