"""审核 of the filings in the Wagtail admin: the queues of 企业基本信息 and 积分数据填报, one filing
with its history and flags, and the decision through the filing type's service; and 填报批次."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from enterprise_business.qualifications import selectors as qualification_selectors
from portal.core.admin import (
    LeanCells,
    LeanListing,
    OnlyRoutedViews,
    OwnLayoutInspectView,
    ReviewAgeColumn,
    yes_no_column,
)
from portal.core.jobs.exports import ExportAsJobMixin
from portal.core.labels import year_label
from portal.core.workflow import TransitionError

from . import selectors
from .models import BasicInfo, Batch, FilingStatus, PointsFiling
from .services import basic_info, points

BASIC_INFO_REVIEW = basic_info.REVIEW_PERMISSION
POINTS_REVIEW = points.REVIEW_PERMISSION
# A value this many times last year's (or less than its inverse) is flagged for the reviewer.
JUMP_RATIO = 3


class BasicInfoInspectView(OwnLayoutInspectView):
    template_name = "enterprise_business/admin/basic_info_review.html"
    page_title = "基本信息审核"

    def get_object(self, queryset=None):
        return get_object_or_404(BasicInfo.objects.select_related("enterprise"), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filing = self.object
        context.update(
            filing=filing,
            rows=[(filing._meta.get_field(name).verbose_name, filing.display_value(name))
                  for name in filing.snapshot_fields if name != "facts_self_reported"],
            changes=filing.changes_since_approved(),
            events=filing.events(),
            can_review=self.request.user.has_perm(BASIC_INFO_REVIEW) and filing.status == FilingStatus.SUBMITTED,
        )
        return context


class FilingQueueView(LeanListing, ExportAsJobMixin, IndexView):
    """A review queue: filings submitted at least once (a first draft is the enterprise's own
    business), with what each row shows."""

    related = ("enterprise",)
    # Every cell shows a field of the `counted` models or the day (portal.core.admin.LeanListing).
    memo_rows = True
    # Read from the database, never shown in a queue: each would be decrypted on every row.
    not_shown = ("enterprise__contact_id_number", "enterprise__phone")
    # What the queue's page shows (its columns, the titles' __str__): only these are read for it,
    # not the forty fields of a filing and its enterprise (the export reads them all).
    listed = ()

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        queryset = queryset.filter(submitted_at__isnull=False).select_related(*self.related)
        if self.listed and not self.is_export:
            return queryset.only(*self.listed)
        return queryset.defer(*self.not_shown)


class BasicInfoQueueView(FilingQueueView):
    counted = ("enterprise_business.BasicInfo", "enterprise_business.Enterprise")
    listed = ("name", "enterprise__name", "enterprise__credit_code", "industry", "status", "facts_self_reported",
              "submitted_at")


class FilingReviewViewSet(OnlyRoutedViews, ModelViewSet):
    """The review screens of a filing type: the queue, the filing, and the decision, which
    goes through the type's service (`approve`, `send_back`) and so the review machinery."""

    index_view_class = FilingQueueView
    inspect_view_enabled = True
    ordering = ["-submitted_at"]
    service = None  # the module with approve(pk, reviewer) and send_back(pk, reviewer, reason)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("decide/<int:pk>/", self.decide_view, name="decide"),
        ]

    @property
    def decide_view(self):
        service, namespace = self.service, self.url_namespace

        @require_POST
        def decide(request, pk):
            try:
                decision = request.POST.get("decision")
                if decision == "approve":
                    service.approve(pk, request.user)
                    messages.success(request, "已审核通过，并已通知企业。")
                elif decision == "reopen" and hasattr(service, "reopen"):
                    service.reopen(pk, request.user, request.POST.get("reason", ""))
                    messages.success(request, "已退回更正并通知企业；更正版本审核通过前，原审核通过的版本继续有效。")
                else:
                    service.send_back(pk, request.user, request.POST.get("reason", ""))
                    messages.success(request, "已退回修改，并已通知企业退回原因。")
            except TransitionError as error:
                messages.error(request, error.message)
            return redirect(f"{namespace}:inspect", pk)

        return decide


class BasicInfoViewSet(FilingReviewViewSet):
    model = BasicInfo
    service = basic_info
    index_view_class = BasicInfoQueueView
    icon = "form"
    menu_label = "企业基本信息"
    url_prefix = "basic-info"
    url_namespace = "basic_info_review"
    inspect_view_class = BasicInfoInspectView
    list_display = ["name", "enterprise", "industry", "status", yes_no_column(BasicInfo, "facts_self_reported"),
                    "submitted_at", ReviewAgeColumn()]
    list_filter = {"status": ["exact"], "industry": ["exact"], "submitted_at": ["date__gte", "date__lte"]}
    search_fields = ["name", "enterprise__credit_code"]
    list_export = ["enterprise", "name", "legal_representative", "registered_capital", "established_on", "industry",
                   "tech_field", "enterprise_size", "is_high_tech", "high_tech_certificate", "main_products",
                   "contact_name", "status", "submitted_at", "approved_at"]
    export_headings = {"enterprise": "统一社会信用代码"}
    export_filename = "企业基本信息"


class BatchIndexView(LeanCells, IndexView):
    """填报批次: each row keeps its edit and copy buttons; its cells are written in Python."""


class BatchViewSet(ModelViewSet):
    model = Batch
    index_view_class = BatchIndexView
    icon = "date"
    menu_label = "填报批次"
    url_prefix = "batches"
    url_namespace = "batches"
    list_display = ["name", "data_year", "opens_on", "closes_on"]
    form_fields = ["name", "data_year", "opens_on", "closes_on", "remind_workdays", "social_security_template",
                   "staff_template", "indicator_guide"]


class PointsFilingInspectView(OwnLayoutInspectView):
    template_name = "enterprise_business/admin/points_review.html"
    page_title = "积分数据审核"

    def get_object(self, queryset=None):
        filing = selectors.FILING_FOR_REVIEW.first(int(self.pk))
        if filing is None:
            raise Http404("没有这份积分数据填报。")
        return selectors.attach_proofs(filing)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filing = self.object
        year = filing.batch.data_year
        torch = selectors.torch_figures(filing.enterprise, filing.batch) or {}
        rows = []
        for name in filing.snapshot_fields:
            field = filing._meta.get_field(name)
            value = getattr(filing, field.name)
            rows.append({"label": year_label(field.verbose_name, year), "value": _readable(field, value),
                         "proof": value if field.is_relation else None,
                         "flag": _flag(name, value, filing, torch)})
        context.update(
            filing=filing, rows=rows, events=filing.events(), changes=filing.changes_since_approved(),
            qualification_rows=qualification_selectors.indicator_rows(filing.enterprise, filing.batch),
            can_review=self.request.user.has_perm(POINTS_REVIEW) and filing.status == FilingStatus.SUBMITTED,
            can_reopen=self.request.user.has_perm(POINTS_REVIEW) and filing.status == FilingStatus.APPROVED,
        )
        return context


def _readable(field, value):
    if value is None or field.is_relation:
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    unit = {"DecimalField": " 万元", "PositiveIntegerField": " 人"}.get(field.get_internal_type(), "")
    return f"{value}{unit}"


def _flag(name, value, filing, torch):
    """Why a reviewer should look twice at a value: it differs from Torch, or jumps from last year."""
    if name in torch and value is not None and not filing.torch_imported and value != torch[name]:
        return f"与火炬统计数据（{torch[name]}）不一致"
    previous = {"rd_expense": "rd_expense_prev", "revenue": "revenue_prev", "tax_paid": "tax_paid_prev",
                "social_security": "social_security_prev"}.get(name)
    before = getattr(filing, previous) if previous else None
    if value and before and (value > before * JUMP_RATIO or value * JUMP_RATIO < before):
        return f"较上年（{before}）变化超过{JUMP_RATIO}倍"
    return ""


class PointsQueueView(FilingQueueView):
    counted = ("enterprise_business.PointsFiling", "enterprise_business.Enterprise", "enterprise_business.Batch")
    related = ("enterprise", "batch")
    listed = ("enterprise__name", "enterprise__credit_code", "batch__name", "status", "torch_imported",
              "submitted_at")


class PointsFilingViewSet(FilingReviewViewSet):
    model = PointsFiling
    service = points
    index_view_class = PointsQueueView
    icon = "form"
    menu_label = "积分数据填报"
    url_prefix = "points"
    url_namespace = "points_review"
    inspect_view_class = PointsFilingInspectView
    list_display = ["enterprise", "batch", "status", yes_no_column(PointsFiling, "torch_imported"), "submitted_at",
                    ReviewAgeColumn()]
    list_filter = {"batch": ["exact"], "status": ["exact"], "torch_imported": ["exact"],
                   "submitted_at": ["date__gte", "date__lte"]}
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    list_export = ["enterprise", "batch", "status", "filler_name", "equity_begin", "equity_end", "rd_expense",
                   "rd_expense_prev", "revenue", "revenue_prev", "tax_paid", "tax_paid_prev", "rd_tax_deduction",
                   "social_security", "social_security_prev", "bachelor_count", "postgraduate_count",
                   "staff_total", "graduates_hired", "rd_staff", "submitted_at", "approved_at"]
    export_filename = "积分数据填报"
