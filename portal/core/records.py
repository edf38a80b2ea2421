"""Records the application writes once and never changes: review decisions, filing events,
record changes, application events, the audit log."""

from django.core.exceptions import PermissionDenied
from django.db import models


class AppendOnlyModel(models.Model):
    """A record that, once written, the application never changes or deletes."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied("审核记录不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审核记录不能删除。")
