from django.db import models
from django.utils import timezone

from .accounts import Enterprise


class Message(models.Model):
    """消息: what the platform tells an enterprise (review decisions, …), shown under /enterprise/."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="messages")
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
