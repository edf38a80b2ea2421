"""任务 in the Wagtail admin: the list of jobs, each job's page (state, progress bar with done/total
and elapsed time, its report or file, its error, 重试), the state as JSON for the page's polling,
and `start`, the one way a view hands long work to the workers and shows its progress."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from ..files.storage import private_storage
from ..files.views import serve_private_file
from ..roles import ACCESS_ADMIN
from . import services
from .models import Job

SEE_ALL = "core.view_job"
RETRY_ANY = "core.change_job"


def start(request, kind: str, title: str, **kwargs):
    """Enqueue a job for the signed-in staff member and answer at once with its page; when the
    same work is already queued or running, say so and show that job instead."""
    try:
        job = services.enqueue(kind, title, user=request.user, **kwargs)
    except services.JobRefused as refused:
        messages.warning(request, str(refused))
        if refused.job is None:
            raise
        return redirect("jobs:detail", refused.job.pk)
    messages.success(request, "已提交后台处理，可在本页查看进度；离开本页不影响处理。")
    return redirect("jobs:detail", job.pk)


class JobPolicy(ModelPermissionPolicy):
    """Every staff member sees the jobs they started; core.view_job sees everyone's. Jobs are
    made by the screens that start them, never added, edited or deleted through a form (the
    admin's own URLs already require admin access; enterprises never reach them)."""

    def user_has_permission(self, user, action):
        return action == "view" and user.has_perm(ACCESS_ADMIN)


def visible_jobs(user):
    jobs = Job.objects.select_related("created_by")
    return jobs if user.has_perm(SEE_ALL) else jobs.filter(created_by=user)


def _job(request, pk) -> Job:
    return get_object_or_404(visible_jobs(request.user), pk=pk)


def state(job: Job) -> dict:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "elapsed_seconds": job.elapsed_seconds,
        "finished": job.is_finished,
        "error": job.error,
    }


def can_retry(user, job: Job) -> bool:
    return job.status == Job.Status.FAILED and (job.created_by_id == user.pk or user.has_perm(RETRY_ANY))


@never_cache
def detail(request, pk):
    job = _job(request, pk)
    kind = services.KINDS.get(job.kind)
    return render(request, "core/admin/job_detail.html", {
        "title": job.title, "job": job, "state": state(job), "kind_label": kind.label if kind else job.kind,
        "result_template": kind.result_template if kind else "", "result": job.result,
        "can_retry": can_retry(request.user, job),
    })


@never_cache
def status(request, pk):
    return JsonResponse(state(_job(request, pk)))


@require_POST
def retry(request, pk):
    job = _job(request, pk)
    if not can_retry(request.user, job):
        raise PermissionDenied
    try:
        services.retry(job)
    except services.JobRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "已重新提交后台处理。")
    return redirect("jobs:detail", job.pk)


@never_cache
def download(request, pk):
    job = _job(request, pk)
    if job.status != Job.Status.SUCCEEDED or not job.result_file:
        raise Http404
    return serve_private_file(private_storage(), job.result_file, job.result_name,
                              "application/octet-stream")


class JobIndexView(IndexView):
    def get_base_queryset(self):
        return visible_jobs(self.request.user)


class JobViewSet(ModelViewSet):
    model = Job
    icon = "cogs"
    menu_label = "任务"
    menu_order = 9000
    add_to_admin_menu = True
    url_prefix = "jobs"
    url_namespace = "jobs"
    index_view_class = JobIndexView
    list_display = [
        TitleColumn("title", label="任务",
               get_url=lambda job: reverse("jobs:detail", args=[job.pk])),
        "status",
        Column("progress", label="进度", accessor=lambda job: f"{job.done}/{job.total}" if job.total else "—"),
        Column("created_by", label="发起人", accessor=lambda job: job.created_by or "系统"),
        Column("created_at", label="创建时间", accessor=lambda job: f"{job.created_at:%Y-%m-%d %H:%M:%S}"),
    ]
    list_filter = {"status": ["exact"], "kind": ["exact"]}
    search_fields = ["title"]
    ordering = ["-created_at"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", detail, name="detail"),
            path("<int:pk>/status.json", status, name="status"),
            path("<int:pk>/retry/", retry, name="retry"),
            path("<int:pk>/download/", download, name="download"),
        ]
