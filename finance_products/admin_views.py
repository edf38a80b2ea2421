"""金融超市 in the Wagtail admin: the applications made to a bank (its staff see only theirs,
with what each enterprise authorised, and move them through 已受理 / 审批中 / 已放款 / 未通过),
and the totals per bank and product with XLSX export."""

from decimal import Decimal

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from portal.core import audit
from portal.core.admin import (
    LeanColumn,
    LeanListing,
    LeanTable,
    OnlyRoutedViews,
    OwnLayoutInspectView,
    known_result,
    query_key,
)
from portal.core.jobs.exports import ExportAsJobMixin
from portal.core.sidebar import rights_token

from . import access, applications
from .models import Bank, LoanApplication

S = LoanApplication.Status
VIEW_PERMISSION = "finance_products.view_loanapplication"


class ApplicationPolicy(ModelPermissionPolicy):
    """Applications are viewed (and moved on through `applications.decide`), never created,
    edited or deleted in the admin. Which rows a user reaches is `access.applications_for`."""

    def user_has_permission(self, user, action):
        if action != "view" or not user.is_active:
            return False
        return user.is_superuser or user.has_perm(VIEW_PERMISSION)


application_policy = ApplicationPolicy(LoanApplication)


class TotalsPolicy(ApplicationPolicy):
    """申请统计 is open to the banks' staff and to zone staff with `view_all_totals`."""

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, action) or (
            action == "view" and user.is_active and user.has_perm("finance_products.view_all_totals"))


totals_policy = TotalsPolicy(LoanApplication)


# --- the applications -------------------------------------------------------------------------


class ApplicationIndexView(LeanListing, ExportAsJobMixin, IndexView):
    counted = ("finance_products.LoanApplication", "finance_products.Bank")
    # Every cell shows a field of an application or its bank's name (portal.core.admin.LeanListing).
    memo_rows = True

    def get_base_queryset(self):
        return access.applications_for(self.request.user).select_related("bank").order_by("-submitted_at", "-pk")


class DisburseForm(forms.Form):
    amount = forms.DecimalField(
        label="放款金额（万元）",
        max_digits=10,
        decimal_places=2,
        error_messages={
            "required": "请填写放款金额。",
            "invalid": "放款金额应为数字，最多两位小数。",
            "max_digits": "放款金额过大。",
            "max_decimal_places": "放款金额最多两位小数。",
            "max_whole_digits": "放款金额过大。",
        },
    )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError("放款金额应大于0。")
        return amount


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="未通过原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "审批不通过时必须填写原因。", "max_length": "原因请控制在500字以内。"},
    )


class ApplicationInspectView(OwnLayoutInspectView):
    """One application: what the enterprise applied for and authorised, the next steps, the history.
    Another bank's application is a 404."""

    template_name = "finance_products/admin/application.html"
    page_title = "融资申请"

    def get_object(self, queryset=None):
        application = (
            access.applications_for(self.request.user).select_related("bank").filter(pk=self.pk).first()
        )
        if application is None:
            raise Http404
        return application

    def get(self, request, *args, **kwargs):
        # The page shows the contact's full phone number and what the enterprise authorised: who saw it, and when.
        audit.record(
            audit.Kind.REVEAL,
            target=f"融资申请 {self.object.pk}（{self.object.credit_code}）",
            detail="查看融资申请（企业授权的积分结果、基本信息和联系电话）",
        )
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        step = request.POST.get("step", "")
        bound = {}
        amount, reason = None, ""
        if step == "disburse":
            bound["disburse_form"] = form = DisburseForm(request.POST, prefix="disburse")
            amount = form.cleaned_data["amount"] if form.is_valid() else None
        elif step == "reject":
            bound["reject_form"] = form = RejectForm(request.POST, prefix="reject")
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
        if bound and not all(form.is_valid() for form in bound.values()):
            messages.error(request, "未能办理，请按提示修改。")
            return self.render_to_response(self.get_context_data(**bound))
        try:
            application = applications.decide(self.object.pk, request.user, step, amount=amount, reason=reason)
        except applications.TransitionError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(**bound))
        messages.success(request, f"已{applications.BANK_STEPS[step].label}，并已通知企业。")
        return redirect("loan_applications:inspect", application.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        can_decide = self.request.user.is_superuser or self.request.user.has_perm(
            "finance_products.change_loanapplication"
        )
        steps = {step.name for step in applications.next_steps(application)} if can_decide else set()
        context.update(
            application=application,
            steps=steps,
            events=application.events.select_related("actor"),
            disburse_form=kwargs.get("disburse_form") or DisburseForm(prefix="disburse"),
            reject_form=kwargs.get("reject_form") or RejectForm(prefix="reject"),
        )
        return context


class ApplicationViewSet(OnlyRoutedViews, ModelViewSet):
    model = LoanApplication
    permission_policy = application_policy
    index_view_class = ApplicationIndexView
    inspect_view_enabled = True
    inspect_view_class = ApplicationInspectView
    icon = "form"
    menu_label = "融资申请"
    url_prefix = "loan-applications"
    url_namespace = "loan_applications"
    list_display = [
        "enterprise_name",
        "product_title",
        "bank",
        "amount",
        "term_months",
        "status",
        "disbursed_amount",
        "submitted_at",
    ]
    list_filter = {"status": ["exact"], "bank": ["exact"], "submitted_at": ["date__gte", "date__lte"]}
    search_fields = ["enterprise_name", "credit_code", "product_title"]
    ordering = ["-submitted_at"]
    list_export = [
        "enterprise_name",
        "credit_code",
        "bank",
        "product_title",
        "amount",
        "term_months",
        "purpose",
        "contact_name",
        "masked_contact_phone",
        "get_status_display",
        "disbursed_amount",
        "reject_reason",
        "submitted_at",
        "decided_at",
    ]
    export_headings = {"bank": "银行", "masked_contact_phone": "联系电话", "get_status_display": "状态"}
    export_filename = "融资申请"

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


# --- totals per bank and product ----------------------------------------------------------------


class TotalsFilterSet(WagtailFilterSet):
    bank = django_filters.ModelChoiceFilter(
        label="银行",
        queryset=lambda request: access.totals_banks(request.user) if request else Bank.objects.none(),
        empty_label="全部银行",
    )
    submitted_at = django_filters.DateFromToRangeFilter(label="申请日期", widget=DateRangePickerWidget)

    class Meta:
        model = LoanApplication
        fields = ["bank", "submitted_at"]


TOTAL_COLUMNS = [
    ("bank__name", "银行"),
    ("product_title", "产品"),
    ("applications", "申请笔数"),
    ("in_progress", "办理中"),
    ("disbursed", "已放款笔数"),
    ("rejected", "未通过"),
    ("withdrawn", "已撤回"),
    ("applied_amount", "申请金额（万元）"),
    ("disbursed_amount", "放款金额（万元）"),
]
ZERO = Decimal("0.00")


def totals():
    """The counts (笔) and sums (万元) of one row: its applications, as aggregates."""
    return {
        "applications": Count("pk"),
        "in_progress": Count("pk", filter=Q(status__in=LoanApplication.OPEN_STATUSES)),
        "disbursed": Count("pk", filter=Q(status=S.DISBURSED)),
        "rejected": Count("pk", filter=Q(status=S.REJECTED)),
        "withdrawn": Count("pk", filter=Q(status=S.WITHDRAWN)),
        "applied_amount": Coalesce(Sum("amount"), ZERO),
        "disbursed_amount": Coalesce(Sum("disbursed_amount"), ZERO),
    }


def grand_total(rows: list[dict]) -> dict:
    """合计 of the rows per bank and product (dicts with the names of `totals`): each count (笔)
    and amount (万元, Decimal) added up. Every application is in exactly one row, so this is the
    aggregate over all of them, without asking the database again."""
    return {name: sum((row[name] for row in rows), ZERO if "amount" in name else 0) for name in totals()}


class TotalsView(ExportAsJobMixin, ReportView):
    """申请统计: applications, disbursements and amounts per bank and product; a bank's staff see
    their bank's, a superuser every bank's."""

    page_title = "融资申请统计"
    header_icon = "table"
    permission_policy = totals_policy
    permission_required = "view"
    filterset_class = TotalsFilterSet
    index_url_name = "application_totals:index"
    index_results_url_name = "application_totals:index_results"
    results_template_name = "finance_products/admin/totals_results.html"
    # Cells written in Python (portal.core.admin), not a template per cell (issue 21).
    table_class = LeanTable
    columns = [
        LeanColumn(name, label=label,
                   accessor=(lambda row, name=name: f"{row[name]:.2f}") if "amount" in name else name)
        for name, label in TOTAL_COLUMNS
    ]
    verbose_name_plural = "个产品"
    no_results_message = "暂无融资申请。"
    list_export = [name for name, _ in TOTAL_COLUMNS]
    export_headings = dict(TOTAL_COLUMNS)
    export_filename = "融资申请统计"
    paginate_by = 100
    # What the rows read (the applications, the banks' names): while no row of them changes, a
    # query's rows come from the shared cache (issue 21: three queries a visit, now none).
    counted = ("finance_products.LoanApplication", "finance_products.Bank")

    def get_base_queryset(self):
        return access.totals_scope(self.request.user)

    def get_filtered_queryset(self):
        """The rows per bank and product (dicts: TOTAL_COLUMNS' names) of the user's applications
        after the filters, as a list: one per bank and product, so few, and counted by the
        paginator without a query; `self.grand_total` their 合计."""
        scoped = self.filter_queryset(self.get_base_queryset())
        grouped = (
            scoped.values("bank__name", "product_title")
            .annotate(**totals())
            .order_by("bank__name", "product_title")
        )
        key = query_key(grouped)
        if key is None:  # a scope or filter that matches nothing
            rows = []
        else:
            # The scope reads the user's groups in its SQL: kept under the rights too.
            rows = known_result("totals", key, self.counted, rights_token(self.request), lambda: list(grouped))
        self.grand_total = grand_total(rows)
        return rows

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            rows = [*context["object_list"], {"bank__name": "合计", "product_title": "", **self.grand_total}]
            return self.as_spreadsheet(rows, self.request.GET.get("export"))
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["grand_total"] = self.grand_total
        return context


class PolicyMenuItem(MenuItem):
    def is_shown(self, request):
        return totals_policy.user_has_permission(request.user, "view")


class TotalsViewSet(ViewSet):
    name = "application_totals"
    icon = "table"
    menu_label = "申请统计"
    url_prefix = "loan-application-totals"
    menu_item_class = PolicyMenuItem

    def get_urlpatterns(self):
        return [
            path("", TotalsView.as_view(), name="index"),
            path("results/", TotalsView.as_view(results_only=True), name="index_results"),
        ]
