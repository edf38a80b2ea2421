"""Records the application writes once and never changes: review decisions, filing events,
record changes, application events, the audit log; and what marks a model as a record, not content."""

from django.core.exceptions import PermissionDenied
from django.db import models


class NotContent:
    """Mixin for the programme's records (filings, results, questions, messages, jobs, logs):
    they are not content, so Wagtail's reference index leaves them out. Its save signal would
    otherwise queue a task for every saved record (thousands an hour in a filing season, ahead
    of the jobs people wait for) to record links that no usage view of content shows."""

    wagtail_reference_index_ignore = True


class AppendOnlyModel(NotContent, models.Model):
    """A record that, once written, the application never changes or deletes."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied("审核记录不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审核记录不能删除。")
