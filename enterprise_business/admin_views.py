"""The 审核 screens in the Wagtail admin: the registrations queue, one registration's review
page (with the licence image and the unmasked numbers, for reviewers only), the decision,
and the SMS outbox."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from . import registration
from .forms import RejectForm
from .models import BasicInfo, Enterprise, FilingStatus, RegistryRecord, SmsMessage
from .review import TransitionError

REVIEW_PERMISSION = "enterprise_business.review_enterprise"


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Records that the admin shows but never creates, edits or deletes."""

    def __init__(self, model, view_permissions):
        super().__init__(model)
        self.view_permissions = view_permissions

    def user_has_permission(self, user, action):
        if action == "view":
            return any(user.has_perm(permission) for permission in self.view_permissions)
        return False


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


class SmsOutboxViewSet(ModelViewSet):
    model = SmsMessage
    icon = "mail"
    menu_label = "短信记录"
    add_to_settings_menu = True
    url_prefix = "sms-outbox"
    url_namespace = "sms_outbox"
    list_display = ["phone_masked", "text", "created_at"]
    list_filter = {"created_at": ["date__gte", "date__lte"]}
    search_fields = ["text", "phone_masked"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
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
    except registration.ReviewError as error:
        messages.error(request, error.message)
    return redirect("registrations:inspect", pk)


BASIC_INFO_REVIEW = "enterprise_business.review_basicinfo"


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


class BasicInfoViewSet(ModelViewSet):
    model = BasicInfo
    icon = "form"
    menu_label = "企业基本信息"
    url_prefix = "basic-info"
    url_namespace = "basic_info_review"
    inspect_view_enabled = True
    inspect_view_class = BasicInfoInspectView
    list_display = ["name", "enterprise", "industry", "status", "facts_self_reported", "submitted_at"]
    list_filter = {"status": ["exact"], "industry": ["exact"], "submitted_at": ["date__gte", "date__lte"]}
    search_fields = ["name", "enterprise__credit_code"]
    ordering = ["-submitted_at"]
    list_export = ["enterprise", "name", "legal_representative", "registered_capital", "established_on", "industry",
                   "tech_field", "enterprise_size", "is_high_tech", "high_tech_certificate", "main_products",
                   "contact_name", "status", "submitted_at", "approved_at"]
    export_headings = {"enterprise": "统一社会信用代码"}
    export_filename = "企业基本信息"

    def get_queryset(self, request):
        return BasicInfo.objects.exclude(status=FilingStatus.NOT_FILED).select_related("enterprise")

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("decide/<int:pk>/", decide_basic_info, name="decide"),
        ]


@require_POST
def decide_basic_info(request, pk):
    from . import basic_info

    try:
        if request.POST.get("decision") == "approve":
            basic_info.approve(pk, request.user)
            messages.success(request, "已审核通过，并已通知企业。")
        else:
            basic_info.send_back(pk, request.user, request.POST.get("reason", ""))
            messages.success(request, "已退回修改，并已通知企业退回原因。")
    except TransitionError as error:
        messages.error(request, error.message)
    return redirect("basic_info_review:inspect", pk)


class RegistryIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("enterprise_business.add_registryrecord"):
            buttons.append(HeaderButton("导入CSV/XLSX文件", url=reverse("registry:import"), icon_name="upload"))
        return buttons


class RegistryViewSet(ModelViewSet):
    model = RegistryRecord
    index_view_class = RegistryIndexView
    icon = "table"
    menu_label = "工商登记数据"
    url_prefix = "registry"
    url_namespace = "registry"
    list_display = ["credit_code", "name", "legal_representative", "registered_capital", "established_on",
                    "registration_status", "updated_at"]
    list_filter = {"registration_status": ["exact"]}
    search_fields = ["credit_code", "name"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("import/", import_registry, name="import"),
        ]


@never_cache
def import_registry(request):
    from django.shortcuts import render

    from .registry import RegistryImport

    if not request.user.has_perm("enterprise_business.add_registryrecord"):
        raise PermissionDenied
    result = None
    if request.method == "POST" and request.FILES.get("file"):
        result = RegistryImport().run(request.FILES["file"])
    return render(request, "enterprise_business/admin/import.html", {
        "title": "导入工商登记数据", "result": result, "columns": [c.header for c in RegistryImport.columns],
        "index_url": "registry:index",
    })
