"""Large spreadsheet exports of the admin's listings as jobs: `ExportAsJobMixin` on a Wagtail
listing (IndexView, ReportView) with `list_export` makes an export of more than
JOBS_EXPORT_INLINE_ROWS rows a "core.export" job, and the request redirects to the job's page,
which offers the file once a worker has written it; smaller exports are answered at once, as before.

The worker makes the export by calling the same listing URL (its filters, search and ordering)
as the staff member who asked, so it holds exactly the rows, columns and rights the listing
has when the worker runs it.
"""

import hashlib
import tempfile

from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.files import File
from django.db.models import QuerySet
from django.test import RequestFactory
from django.urls import resolve
from wagtail.admin.views.generic import IndexView

from .admin import start
from .services import register

EXPORT_JOB = "core.export"
PROGRESS_EVERY = 500  # rows between two progress reports of an export job


class ExportAsJobMixin:
    """For a Wagtail listing view with SpreadsheetExportMixin (before it in the bases)."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        rows = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        context = getattr(self.request, "job_context", None)
        if context is None and rows > settings.JOBS_EXPORT_INLINE_ROWS:
            path = self.request.get_full_path()
            filename = f"{self.get_filename()}.{spreadsheet_format}"
            digest = hashlib.sha256(path.encode()).hexdigest()[:32]
            return start(self.request, EXPORT_JOB, f"导出 {filename}（{rows}行）",
                         params={"path": path, "filename": filename}, key=f"export:{self.request.user.pk}:{digest}")
        if context is not None:
            self.export_job, self.exported = context, 0
            context.progress(0, rows)
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def to_row_dict(self, item):
        if getattr(self, "export_job", None) is not None:
            self.exported += 1
            if self.exported % PROGRESS_EVERY == 0:
                self.export_job.progress(self.exported)
        return super().to_row_dict(item)


@register(EXPORT_JOB, "导出表格")
def export_job(context) -> dict:
    """The worker's side: GET the listing's export URL (params "path") as the job's creator and
    keep the spreadsheet as the job's file (params "filename"). RuntimeError when the listing
    does not answer with a file (the creator lost the right, or the account is gone)."""
    user = context.job.created_by
    if user is None or not user.is_active:
        raise RuntimeError("发起导出的账号已不存在或已停用。")
    request = RequestFactory().get(context.params["path"])
    request.user, request.job_context, request.session = user, context, {}
    request._messages = FallbackStorage(request)  # a refusal's message has nowhere to go but is harmless
    match = resolve(request.path_info)
    response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200 or not response.streaming:  # a page (an error, a redirect), not a file
        raise RuntimeError(f"导出失败：列表返回 {response.status_code}。")
    # Never response.close(): it sends request_finished, which closes the worker's database connection.
    with tempfile.TemporaryFile() as target:
        for chunk in response.streaming_content:
            target.write(chunk)
        target.seek(0)
        context.save_result_file(context.params["filename"], File(target))
    return {"summary": f"已导出 {context.job.total} 行。"}


class ExportIndexView(ExportAsJobMixin, IndexView):
    """Wagtail's listing, its large exports made by the workers: for viewsets with `list_export`."""
