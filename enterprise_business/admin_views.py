"""The 审核 screens in the Wagtail admin: the registrations queue, one registration's review
page (with the licence image and the unmasked numbers, for reviewers only), the decision,
and the SMS outbox."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from portal.core import audit

from . import basic_info, points, qualifications, registration
from .forms import RejectForm
from .models import BasicInfo, Batch, Enterprise, FilingStatus, PointsFiling, RegistryRecord, TorchRecord
from .registry import RegistryImport
from .review import TransitionError
from .torch import TorchImport

REVIEW_PERMISSION = "enterprise_business.review_enterprise"
BASIC_INFO_REVIEW = basic_info.REVIEW_PERMISSION
POINTS_REVIEW = points.REVIEW_PERMISSION
# A value this many times last year's (or less than its inverse) is flagged for the reviewer.
JUMP_RATIO = 3


class RegistrationInspectView(InspectView):
    template_name = "enterprise_business/admin/registration_review.html"
    page_title = "注册审核"

    def get_object(self, queryset=None):
        return get_object_or_404(Enterprise.objects.select_related("user"), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            enterprise=self.object,
            reviews=self.object.reviews.select_related("actor"),
            can_review=self.request.user.has_perm(REVIEW_PERMISSION)
            and self.object.status == Enterprise.Status.PENDING,
            reject_form=RejectForm(),
        )
        audit.record(audit.Kind.REVEAL, target=self.object.credit_code, detail="查看注册信息（完整身份证号、手机号码）")
        return context


class RegistrationViewSet(ModelViewSet):
    model = Enterprise
    icon = "user"
    menu_label = "企业注册"
    url_prefix = "registrations"
    url_namespace = "registrations"
    inspect_view_enabled = True
    inspect_view_class = RegistrationInspectView
    list_display = ["credit_code", "contact_name", "masked_phone", "status", "submitted_at", "reviewed_at"]
    list_filter = {"status": ["exact"], "submitted_at": ["date__gte", "date__lte"]}
    search_fields = ["credit_code", "name", "contact_name"]
    ordering = ["-submitted_at"]
    list_export = ["credit_code", "name", "contact_name", "masked_phone", "email", "status", "submitted_at",
                   "reviewed_at", "reject_reason"]
    export_headings = {"masked_phone": "手机号码", "status": "审核状态"}
    export_filename = "企业注册"

    def get_urlpatterns(self):
        # Read and decide only: registrations are never added, edited or deleted here.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("licence/<int:pk>/", licence_image, name="licence"),
            path("decide/<int:pk>/", decide, name="decide"),
        ]


def _reviewer_only(request, permission=REVIEW_PERMISSION):
    if not request.user.has_perm(permission):
        raise PermissionDenied


@never_cache
def licence_image(request, pk):
    """The licence image, streamed to staff who may see registrations; nobody else."""
    if not (request.user.has_perm(REVIEW_PERMISSION) or request.user.has_perm("enterprise_business.view_enterprise")):
        raise PermissionDenied
    enterprise = get_object_or_404(Enterprise, pk=pk)
    content_type = "image/png" if enterprise.licence.name.endswith(".png") else "image/jpeg"
    audit.record(audit.Kind.DOWNLOAD, target=f"营业执照 {enterprise.credit_code}")
    response = FileResponse(enterprise.licence.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def decide(request, pk):
    _reviewer_only(request)
    try:
        if request.POST.get("decision") == "approve":
            registration.approve(pk, request.user)
            messages.success(request, "已审核通过，并已短信通知企业。")
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, "审核不通过时必须填写原因。")
                return redirect("registrations:inspect", pk)
            registration.reject(pk, request.user, form.cleaned_data["reason"])
            messages.success(request, "已审核不通过，并已短信通知企业原因。")
    except registration.TransitionError as error:
        messages.error(request, error.message)
    return redirect("registrations:inspect", pk)




class BasicInfoInspectView(InspectView):
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


class FilingQueueView(IndexView):
    """A review queue: filings submitted at least once (a first draft is the enterprise's own
    business), with what each row shows."""

    related = ("enterprise",)

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        return queryset.filter(submitted_at__isnull=False).select_related(*self.related)


class FilingReviewViewSet(ModelViewSet):
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
    icon = "form"
    menu_label = "企业基本信息"
    url_prefix = "basic-info"
    url_namespace = "basic_info_review"
    inspect_view_class = BasicInfoInspectView
    list_display = ["name", "enterprise", "industry", "status", "facts_self_reported", "submitted_at"]
    list_filter = {"status": ["exact"], "industry": ["exact"], "submitted_at": ["date__gte", "date__lte"]}
    search_fields = ["name", "enterprise__credit_code"]
    list_export = ["enterprise", "name", "legal_representative", "registered_capital", "established_on", "industry",
                   "tech_field", "enterprise_size", "is_high_tech", "high_tech_certificate", "main_products",
                   "contact_name", "status", "submitted_at", "approved_at"]
    export_headings = {"enterprise": "统一社会信用代码"}
    export_filename = "企业基本信息"


class ImportIndexView(IndexView):
    """A table's list with the button that opens its spreadsheet import."""

    import_permission = ""
    import_url_name = ""

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm(self.import_permission):
            buttons.append(HeaderButton("导入CSV/XLSX文件", url=reverse(self.import_url_name), icon_name="upload"))
        return buttons


class ImportViewSet(ModelViewSet):
    """A table staff load from spreadsheets: its list and its import page with the report."""

    importer = None  # a TableImport subclass
    import_title = ""

    @property
    def import_permission(self):
        return f"{self.model._meta.app_label}.add_{self.model._meta.model_name}"

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            import_permission=self.import_permission, import_url_name=f"{self.url_namespace}:import", **kwargs
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("import/", self.import_view, name="import"),
        ]

    @property
    def import_view(self):
        viewset = self

        @never_cache
        def import_table(request):
            if not request.user.has_perm(viewset.import_permission):
                raise PermissionDenied
            result = None
            if request.method == "POST" and request.FILES.get("file"):
                result = viewset.importer().run(request.FILES["file"])
            return render(request, "enterprise_business/admin/import.html", {
                "title": viewset.import_title, "result": result,
                "columns": [column.header for column in viewset.importer.columns],
                "index_url": f"{viewset.url_namespace}:index",
            })

        return import_table


class RegistryViewSet(ImportViewSet):
    model = RegistryRecord
    importer = RegistryImport
    import_title = "导入工商登记数据"
    index_view_class = ImportIndexView
    icon = "table"
    menu_label = "工商登记数据"
    url_prefix = "registry"
    url_namespace = "registry"
    list_display = ["credit_code", "name", "legal_representative", "registered_capital", "established_on",
                    "registration_status", "updated_at"]
    list_filter = {"registration_status": ["exact"]}
    search_fields = ["credit_code", "name"]


class BatchViewSet(ModelViewSet):
    model = Batch
    icon = "date"
    menu_label = "填报批次"
    url_prefix = "batches"
    url_namespace = "batches"
    list_display = ["name", "data_year", "opens_on", "closes_on"]
    form_fields = ["name", "data_year", "opens_on", "closes_on", "social_security_template", "staff_template",
                   "indicator_guide"]


class TorchViewSet(ImportViewSet):
    model = TorchRecord
    importer = TorchImport
    import_title = "导入火炬统计数据"
    index_view_class = ImportIndexView
    icon = "table"
    menu_label = "火炬统计数据"
    url_prefix = "torch"
    url_namespace = "torch"
    list_display = ["credit_code", "year", "revenue", "rd_expense", "tax_paid", "updated_at"]
    list_filter = {"year": ["exact"]}
    search_fields = ["credit_code"]


class PointsFilingInspectView(InspectView):
    template_name = "enterprise_business/admin/points_review.html"
    page_title = "积分数据审核"

    def get_object(self, queryset=None):
        return get_object_or_404(PointsFiling.objects.select_related("enterprise", "batch"), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filing = self.object
        year = filing.batch.data_year
        torch = points.torch_figures(filing.enterprise, filing.batch) or {}
        rows = []
        for name in filing.snapshot_fields:
            field = filing._meta.get_field(name)
            value = getattr(filing, field.name)
            rows.append({"label": points.year_label(field.verbose_name, year), "value": _readable(field, value),
                         "proof": value if field.is_relation else None,
                         "flag": _flag(name, value, filing, torch)})
        context.update(
            filing=filing, rows=rows, events=filing.events(), changes=filing.changes_since_approved(),
            qualification_rows=qualifications.indicator_rows(filing.enterprise, filing.batch),
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
    related = ("enterprise", "batch")


class PointsFilingViewSet(FilingReviewViewSet):
    model = PointsFiling
    service = points
    index_view_class = PointsQueueView
    icon = "form"
    menu_label = "积分数据填报"
    url_prefix = "points"
    url_namespace = "points_review"
    inspect_view_class = PointsFilingInspectView
    list_display = ["enterprise", "batch", "status", "torch_imported", "submitted_at"]
    list_filter = {"batch": ["exact"], "status": ["exact"], "torch_imported": ["exact"]}
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    list_export = ["enterprise", "batch", "status", "filler_name", "equity_begin", "equity_end", "rd_expense",
                   "rd_expense_prev", "revenue", "revenue_prev", "tax_paid", "tax_paid_prev", "rd_tax_deduction",
                   "social_security", "social_security_prev", "bachelor_count", "postgraduate_count",
                   "staff_total", "graduates_hired", "rd_staff", "submitted_at", "approved_at"]
    export_filename = "积分数据填报"
