"""积分异议: an enterprise's objection to its own published result, raised during 公示.

Kept in its own module with the publication code; `scoring_engine.models` imports it so that
Django registers it with the app's other models.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ScoreObjection(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        ANSWERED = "answered", "已答复"

    result = models.ForeignKey(
        "scoring_engine.EnterpriseResult", on_delete=models.PROTECT, related_name="objections", verbose_name="积分结果"
    )
    enterprise = models.ForeignKey(
        "enterprise_business.Enterprise",
        on_delete=models.CASCADE,
        related_name="score_objections",
        verbose_name="企业",
    )
    reason = models.TextField("异议理由")
    attachment = models.ForeignKey(
        "enterprise_business.ProofFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="附件",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提出人"
    )
    created_at = models.DateTimeField("提出时间", default=timezone.now)
    status = models.CharField("处理状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="答复人",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "积分异议"
        verbose_name_plural = "积分异议"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="scoring_objection_status")]

    def __str__(self):
        return f"{self.enterprise} · {self.created_at:%Y-%m-%d}"

    @property
    def batch(self):
        return self.result.run.batch

    batch.fget.short_description = "填报批次"

    @property
    def answered(self) -> bool:
        return self.status == self.Status.ANSWERED
