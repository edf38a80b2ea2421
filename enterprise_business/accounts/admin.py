"""注册审核 in the Wagtail admin: the registrations queue, one registration's review page (with the
licence image and the unmasked numbers, for reviewers only) and the decision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.viewsets.model import ModelViewSet

from portal.core import audit
from portal.core.admin import LeanListing, OnlyRoutedViews, OwnLayoutInspectView, ReviewAgeColumn
from portal.core.jobs.exports import ExportIndexView
from portal.core.workflow import TransitionError

from . import services as registration
from .forms import RejectForm
from .models import Enterprise

REVIEW_PERMISSION = "enterprise_business.review_enterprise"


class RegistrationInspectView(OwnLayoutInspectView):
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


class RegistrationQueueView(LeanListing, ExportIndexView):
    """企业注册's queue: read and decided from each registration's page."""

    counted = ("enterprise_business.Enterprise",)


class RegistrationViewSet(OnlyRoutedViews, ModelViewSet):
    model = Enterprise
    icon = "user"
    menu_label = "企业注册"
    url_prefix = "registrations"
    url_namespace = "registrations"
    inspect_view_enabled = True
    inspect_view_class = RegistrationInspectView
    index_view_class = RegistrationQueueView
    list_display = ["credit_code", "contact_name", "masked_phone", "status", "submitted_at", "reviewed_at",
                    ReviewAgeColumn(waiting=Enterprise.Status.PENDING)]
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
    except TransitionError as error:
        messages.error(request, error.message)
    return redirect("registrations:inspect", pk)
