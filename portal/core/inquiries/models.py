"""Ask and answer (提问与答复): an enterprise asks about something of its own, with an optional
file; the staff responsible answer; the enterprise is told. 数据异议 (to a department, on an
indicator's records) and 积分异议 (to the scoring admins, on a published result) are both this.

`Inquiry` holds what every such question has; each kind is a concrete model in its app that
adds what the question is about and says who answers it and how the asker is told.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..records import NotContent


class Inquiry(NotContent, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        ANSWERED = "answered", "已答复"

    text = models.TextField("异议内容")
    attachment = models.ForeignKey("core.PrivateFile", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="附件")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="提出人")
    asked_at = models.DateTimeField("提出时间", default=timezone.now)
    status = models.CharField("处理状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="答复人")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    # Set by each kind: the catalogue template that tells the asker of the answer.
    answered_template = ""

    class Meta:
        abstract = True
        ordering = ["-asked_at", "-pk"]

    @property
    def answered(self) -> bool:
        return self.status == self.Status.ANSWERED

    @property
    def summary(self) -> str:
        return self.text if len(self.text) <= 40 else f"{self.text[:40]}…"

    summary.fget.short_description = "异议内容"

    def recipient(self):
        """Who is told of the answer: anything with `user_id` and `phone` (an enterprise)."""
        raise NotImplementedError

    def answer_params(self) -> dict:
        """The parameters of `answered_template` besides `answer`."""
        return {}

    def answer_link(self) -> str:
        """Where the asker reads the answer."""
        return ""
