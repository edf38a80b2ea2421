"""积分异议: an enterprise's objection to its own published result, raised during 公示.

Kept in its own module with the publication code; `scoring_engine.models` imports it so that
Django registers it with the app's other models.
"""

from django.db import models

from portal.core.inquiries.models import Inquiry


class ScoreObjection(Inquiry):
    """积分异议: raised by the enterprise on its result during 公示, answered by the scoring admins."""

    result = models.ForeignKey(
        "scoring_engine.EnterpriseResult", on_delete=models.PROTECT, related_name="objections", verbose_name="积分结果"
    )
    enterprise = models.ForeignKey(
        "enterprise_business.Enterprise", on_delete=models.CASCADE, related_name="score_objections",
        verbose_name="企业",
    )

    answered_template = "objection_answered"

    class Meta(Inquiry.Meta):
        verbose_name = "积分异议"
        verbose_name_plural = "积分异议"
        indexes = [models.Index(fields=["status", "asked_at"], name="scoring_objection_status")]

    def __str__(self):
        return f"{self.enterprise} · {self.asked_at:%Y-%m-%d}"

    @property
    def batch(self):
        return self.result.run.batch

    batch.fget.short_description = "填报批次"

    def recipient(self):
        return self.enterprise

    def answer_link(self):
        return "/enterprise/results/"
