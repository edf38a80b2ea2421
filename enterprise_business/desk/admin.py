"""统计 (the programme desk) in the Wagtail admin, under 积分: the panels of one batch
(`portal.core.desk.panels_for`, so a role sees only the panels it may), the enterprises behind
each figure of the funnel, the reminder of those a scoring admin selects (who receives which
template, then one job), and the log of reminders sent. The admin home shows a light summary
(`HomePanel`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from portal.core import desk, workdays
from portal.core.admin import OnlyRoutedViews
from portal.core.jobs import JobRefused

from ..filings.models import Batch
from . import reminders, selectors
from .models import Reminder

FUNNEL_PERMISSION = "enterprise_business.view_pointsfiling"


def current_batch(today=None):
    """The batch the desk opens on: the open batch closing first, else the latest to have opened."""
    today = today or timezone.localdate()
    return (Batch.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "pk").first()
            or Batch.objects.filter(opens_on__lte=today).order_by("-opens_on", "-pk").first()
            or Batch.objects.order_by("opens_on", "pk").first())


def may_use_desk(user) -> bool:
    return user.is_active and any(panel.visible(user) for panel in desk.PANELS.values())


@never_cache
def desk_view(request):
    if not may_use_desk(request.user):
        raise PermissionDenied
    batches = list(Batch.objects.order_by("-data_year", "-opens_on"))
    chosen = request.GET.get("batch", "")
    batch = next((b for b in batches if str(b.pk) == chosen), None) or current_batch()
    return render(request, "enterprise_business/desk/desk.html", {
        "page_title": "统计", "header_icon": "table", "batches": batches, "batch": batch,
        "panels": desk.panels_for(request.user, batch), "review_workdays": workdays.REVIEW_WORKDAYS})


def _funnel_batch(request, batch_id):
    if not request.user.has_perm(FUNNEL_PERMISSION):
        raise PermissionDenied
    return get_object_or_404(Batch, pk=batch_id)


@never_cache
def stage_view(request, batch_id, stage):
    """The enterprises behind one figure of the funnel, 50 a page; at a stage that takes a
    reminder, with a checkbox each for those who may send one."""
    batch = _funnel_batch(request, batch_id)
    try:
        enterprises = selectors.stage_enterprises(batch, stage)
    except KeyError:
        raise PermissionDenied from None
    page = Paginator(enterprises.only("pk", "name", "credit_code", "contact_name"), 50).get_page(request.GET.get("p"))
    can_remind = stage in reminders.STAGE_TEMPLATES and request.user.has_perm(reminders.PERMISSION)
    return render(request, "enterprise_business/desk/stage.html", {
        "page_title": f"{batch.name} · {selectors.STAGE_LABELS[stage]}", "header_icon": "table", "batch": batch,
        "stage": stage, "stage_label": selectors.STAGE_LABELS[stage], "page": page, "can_remind": can_remind,
        "template_name": reminders.STAGE_TEMPLATES.get(stage, "")})


@never_cache
def remind_view(request, batch_id, stage):
    """POST the chosen enterprises: the preview (who receives which text); POST again with
    `confirm`: one job sends them, and its page opens."""
    batch = _funnel_batch(request, batch_id)
    if request.method != "POST" or not request.user.has_perm(reminders.PERMISSION):
        raise PermissionDenied
    chosen = request.POST.getlist("enterprise")
    try:
        if request.POST.get("confirm"):
            job = reminders.start(batch, stage, chosen, request.user)
            messages.success(request, "提醒已提交后台发送，可在本页查看进度；离开本页不影响发送。")
            return redirect("jobs:detail", job.pk)
        plan = reminders.preview(batch, stage, chosen)
    except (reminders.ReminderRefused, JobRefused) as refused:
        messages.error(request, str(refused))
        return redirect("desk:stage", batch.pk, stage)
    if not plan["recipients"]:
        messages.error(request, "请至少选择一家仍处于该环节的企业。")
        return redirect("desk:stage", batch.pk, stage)
    return render(request, "enterprise_business/desk/remind.html", {
        "page_title": "发送填报提醒", "header_icon": "mail", "batch": batch, "stage": stage,
        "stage_label": selectors.STAGE_LABELS[stage], **plan})


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return may_use_desk(request.user)


class DeskViewSet(ViewSet):
    name = "desk"
    icon = "table"
    menu_label = "统计"
    url_prefix = "desk"
    menu_item_class = DeskMenuItem

    def get_urlpatterns(self):
        return [
            path("", desk_view, name="index"),
            path("<int:batch_id>/<slug:stage>/", stage_view, name="stage"),
            path("<int:batch_id>/<slug:stage>/remind/", remind_view, name="remind"),
        ]


class ReminderViewSet(OnlyRoutedViews, ModelViewSet):
    """填报提醒记录: every reminder sent, to whom, which template, by which trigger and job."""

    model = Reminder
    icon = "mail"
    menu_label = "填报提醒记录"
    url_prefix = "reminders"
    url_namespace = "reminders"
    list_display = ["enterprise", "batch", "text", "stage", "trigger_display", "sent_by", "created_at"]
    list_filter = {"batch": ["exact"], "trigger": ["exact"]}
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    ordering = ["-created_at", "-pk"]
    list_export = ["enterprise", "batch", "text", "template", "stage", "trigger_display", "sent_by", "created_at"]
    export_filename = "填报提醒记录"

    def get_urlpatterns(self):
        return [path("", self.index_view, name="index"),
                path("results/", self.index_results_view, name="index_results")]


class HomePanel(Component):
    """The desk on the admin home, a light summary: for whoever may use the desk, the current
    batch's panels marked `on_home` that the user may see (what waits for review) and the link
    to 统计 for the rest."""

    name = "programme_desk"
    order = 50
    template_name = "enterprise_business/desk/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        if not may_use_desk(user):
            return {"batch": None}
        batch = current_batch()
        return {"batch": batch, "panels": desk.panels_for(user, batch, home=True)}
