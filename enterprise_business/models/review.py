"""The one review machinery every filing type uses: its statuses, the filing base class
and the append-only log of every transition. The rules live in `enterprise_business.review`."""

import json

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .accounts import AppendOnlyModel, Enterprise, User


class FilingStatus(models.TextChoices):
    NOT_FILED = "not_filed", "未填报"
    DRAFT = "draft", "暂存"
    SUBMITTED = "submitted", "提交待审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回修改"


class Filing(models.Model):
    """A filing an enterprise edits and staff review (基本信息, 积分数据, …).

    The concrete fields are the working copy. `approved_snapshot` is the last approved
    version, which stays in force while a newer version is edited or under review.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name="企业")
    status = models.CharField("状态", max_length=10, choices=FilingStatus.choices, default=FilingStatus.NOT_FILED)
    return_reason = models.TextField("退回原因", blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("保存时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    approved_snapshot = models.JSONField("审核通过的版本", null=True, blank=True, editable=False)
    approved_at = models.DateTimeField("审核通过时间", null=True, blank=True)

    # The fields that make up a version, in display order; set by each filing type.
    snapshot_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def is_editable_by_owner(self):
        return self.status != FilingStatus.SUBMITTED

    def snapshot(self) -> dict:
        values = {name: getattr(self, name) for name in self.snapshot_fields}
        return json.loads(json.dumps(values, cls=DjangoJSONEncoder))

    def display_value(self, name):
        """A field's value as people read it (the label of a choice, not its code)."""
        if self._meta.get_field(name).choices:
            return getattr(self, f"get_{name}_display")()
        return getattr(self, name)

    def changes_since_approved(self) -> list[tuple[str, object, object]]:
        """(label, approved value, current value) for each field that differs."""
        if not self.approved_snapshot:
            return []
        current = self.snapshot()
        changes = []
        for name in self.snapshot_fields:
            if self.approved_snapshot.get(name) != current.get(name):
                changes.append((self._meta.get_field(name).verbose_name, self.approved_snapshot.get(name),
                                current.get(name)))
        return changes

    def events(self):
        if self.pk is None:
            return FilingEvent.objects.none()
        return FilingEvent.objects.filter(
            filing_type=ContentType.objects.get_for_model(self), filing_id=self.pk
        ).select_related("actor")


class FilingEvent(AppendOnlyModel):
    """Who moved which filing from which status to which, when and why. Never edited."""

    filing_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    filing_id = models.PositiveBigIntegerField()
    filing = GenericForeignKey("filing_type", "filing_id")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="操作人")
    action = models.CharField("操作", max_length=20)
    from_status = models.CharField("原状态", max_length=10, choices=FilingStatus.choices)
    to_status = models.CharField("新状态", max_length=10, choices=FilingStatus.choices)
    reason = models.TextField("原因", blank=True)
    # The version submitted or approved, files included, so the history shows what was decided on.
    snapshot = models.JSONField("版本内容", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["filing_type", "filing_id", "created_at"])]

    def __str__(self):
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"
