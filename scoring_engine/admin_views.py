"""The 积分计算 screens of the Wagtail admin, for scoring admins: 积分方案 (a scheme and its
indicators on one page; a frozen scheme is read-only and can be copied), 计算记录 (start a
run, watch its progress, read its results) and 积分结果 (every enterprise's result, filtered
by run, stage, tier and industry, exported to XLSX)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from enterprise_business.models import Batch
from portal.core.admin import LeanCells, OnlyRoutedViews, OwnLayoutInspectView
from portal.core.jobs.exports import ExportIndexView

from .models import (
    FIELD_LABELS,
    CalculationRun,
    Category,
    EnterpriseResult,
    FrozenSchemeError,
    Scheme,
    SchemeIndicator,
    Stage,
)
from .rules import PARAMETER_FIELDS, fmt, rule_help
from .selectors import stage_caps
from .services import RunRefused, default_scheme, start_run

RUN_PERMISSION = "scoring_engine.run_calculation"
VIEW_RUNS = "scoring_engine.view_calculationrun"
VIEW_RESULTS = "scoring_engine.view_enterpriseresult"


class RunPolicy(ModelPermissionPolicy):
    """Runs are started (run_calculation) and read here, never added or deleted through a form;
    "change" (the publication steps) stays the plain model permission."""

    def user_has_permission(self, user, action):
        if action == "view":
            return user.has_perm(VIEW_RUNS) or user.has_perm(RUN_PERMISSION)
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)


class ResultPolicy(ModelPermissionPolicy):
    """Results are written by runs only."""

    def user_has_permission(self, user, action):
        return action == "view" and (user.has_perm(VIEW_RESULTS) or user.has_perm(RUN_PERMISSION))


# ---------------------------------------------------------------------------------------
# 积分方案


class SchemeForm(WagtailAdminModelForm):
    """A scheme with its indicators; indicator codes must be unique within the scheme."""

    def is_valid(self):
        valid = super().is_valid()
        formset = self.formsets.get("indicators")
        if formset is None:
            return valid
        seen = set()
        for form in formset.forms:
            # Raw values: a formset that found the duplicate itself drops it from cleaned_data.
            code = (form["code"].value() or "").strip()
            deleted = "DELETE" in form.fields and form["DELETE"].value()
            if deleted or not code:
                continue
            if code in seen:
                form.add_error(None, f"指标代码“{code}”在本方案中重复，每个指标的代码须不同。")
                valid = False
            seen.add(code)
        return valid


INDICATOR_PANELS = [
    FieldRowPanel([FieldPanel("code"), FieldPanel("name"), FieldPanel("category")]),
    FieldRowPanel([FieldPanel("kind"), FieldPanel("stands_in_for")], heading="核心指标与地方指标"),
    FieldRowPanel(
        [FieldPanel("source"), FieldPanel("field"), FieldPanel("denominator_field"), FieldPanel("previous_field")],
        heading="取值",
    ),
    FieldRowPanel([FieldPanel("record_indicator"), FieldPanel("record_kind")], heading="资质记录"),
    # The rule and every field some rule takes; which rule takes which is said by the registry.
    FieldRowPanel(
        [FieldPanel("rule", help_text=rule_help()), *(FieldPanel(name) for name in PARAMETER_FIELDS)],
        heading="计分规则",
    ),
    FieldRowPanel(
        [FieldPanel("cap"), FieldPanel("weight_startup"), FieldPanel("weight_growth"), FieldPanel("weight_mature")],
        heading="满分与权重",
    ),
    FieldPanel("description"),
]


class SchemeIndexView(LeanCells, IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                indicator_total=Count("indicators", distinct=True),
                frozen_runs=Count("runs", filter=Q(runs__status__in=CalculationRun.FROZEN_STATUSES), distinct=True),
            )
        )


def _frozen_label(scheme):
    frozen = scheme.frozen_runs if hasattr(scheme, "frozen_runs") else scheme.is_frozen
    return "已冻结（已用于公示或发布）" if frozen else "可修改"


class SchemeEditView(EditView):
    """A frozen scheme opens read-only (its inspect page), with 复制方案 instead."""

    def dispatch(self, request, *args, **kwargs):
        scheme = self.get_object()
        if scheme.is_frozen:
            messages.warning(request, "该方案已用于公示或发布的计算，不能修改；可以“复制方案”后修改副本。")
            return redirect("scoring_schemes:inspect", scheme.pk)
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        try:
            return super().save_instance()
        except FrozenSchemeError as error:  # frozen while the form was open
            raise PermissionDenied(error.messages[0]) from error


class SchemeDeleteView(DeleteView):
    def dispatch(self, request, *args, **kwargs):
        scheme = self.get_object()
        if scheme.runs.exists():
            messages.error(request, "该方案已用于计算，不能删除。")
            return redirect("scoring_schemes:inspect", scheme.pk)
        return super().dispatch(request, *args, **kwargs)


class SchemeInspectView(OwnLayoutInspectView):
    template_name = "scoring_engine/admin/scheme_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scheme = self.object
        indicators = list(SchemeIndicator.objects.filter(scheme=scheme).order_by("sort_order", "pk"))
        context.update(
            scheme=scheme,
            frozen=scheme.is_frozen,
            can_copy=self.request.user.has_perm("scoring_engine.add_scheme"),
            can_edit=self.request.user.has_perm("scoring_engine.change_scheme") and not scheme.is_frozen,
            groups=[(label, [i for i in indicators if i.category == value]) for value, label in Category.choices],
            stage_caps=[(label, [fmt(cap) for cap in caps]) for label, caps in stage_caps(indicators)],
            runs=scheme.runs.select_related("batch").order_by("-started_at")[:20],
        )
        return context


class SchemeViewSet(OnlyRoutedViews, ModelViewSet):
    model = Scheme
    icon = "list-ol"
    menu_label = "积分方案"
    url_prefix = "scoring/schemes"
    url_namespace = "scoring_schemes"
    index_view_class = SchemeIndexView
    edit_view_class = SchemeEditView
    delete_view_class = SchemeDeleteView
    inspect_view_enabled = True
    inspect_view_class = SchemeInspectView
    copy_view_enabled = False
    list_display = [
        "name",
        Column("indicator_total", label="指标数"),
        Column("frozen", label="状态", accessor=_frozen_label),
        Column("created_at", label="创建时间", accessor=lambda s: f"{s.created_at:%Y-%m-%d %H:%M}"),
    ]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            MultiFieldPanel(
                [FieldPanel("startup_max_age"), FieldPanel("startup_max_revenue"), FieldPanel("mature_min_revenue")],
                heading="发展阶段划分",
            ),
            FieldPanel("percentile_min_group"),
            InlinePanel("indicators", panels=INDICATOR_PANELS, heading="指标", label="指标"),
        ],
        base_form_class=SchemeForm,
    )

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("copy-scheme/<int:pk>/", self.copy_scheme_view, name="copy_scheme")]

    @property
    def copy_scheme_view(self):
        return copy_scheme


@never_cache
def copy_scheme(request, pk):
    """GET: confirm; POST: copy the scheme and its indicators, then edit the copy."""
    if not request.user.has_perm("scoring_engine.add_scheme"):
        raise PermissionDenied
    scheme = get_object_or_404(Scheme, pk=pk)
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()[:100] or None
        copy = scheme.copy(name=name)
        messages.success(request, f"已复制为“{copy.name}”，可以修改。")
        return redirect("scoring_schemes:edit", copy.pk)
    return render(request, "scoring_engine/admin/scheme_copy.html", {"scheme": scheme, "title": "复制方案"})


# ---------------------------------------------------------------------------------------
# 计算记录


class RunIndexView(LeanCells, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("batch", "scheme", "started_by")

    def get_header_buttons(self):
        buttons = list(super().get_header_buttons())
        if self.request.user.has_perm(RUN_PERMISSION):
            buttons.append(HeaderButton("发起计算", url=reverse("scoring_runs:start"), icon_name="calculator"))
        return buttons


class RunInspectView(OwnLayoutInspectView):
    template_name = "scoring_engine/admin/run_inspect.html"

    def get_edit_url(self):
        """None: a run has no edit form ("change" is the right to publish it), so its page
        links to no edit view, which would not exist."""
        return None

    def get_object(self, queryset=None):
        return get_object_or_404(CalculationRun.objects.select_related("batch", "scheme", "started_by"), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.object
        results = run.results.order_by("rank", "credit_code")
        stages = run.results.order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n")
        context.update(
            run=run,
            top=results[:50],
            stage_counts=[(Stage(stage).label, n) for stage, n in sorted(stages, key=lambda s: STAGE_ORDER[s[0]])],
            results_url=reverse("scoring_results:index") + f"?run={run.pk}",
            can_start=self.request.user.has_perm(RUN_PERMISSION),
        )
        return context


STAGE_ORDER = {stage.value: n for n, stage in enumerate(Stage)}


class StartRunForm(forms.Form):
    batch = forms.ModelChoiceField(Batch.objects.all(), label="填报批次", empty_label=None)
    scheme = forms.ModelChoiceField(Scheme.objects.all(), label="积分方案", empty_label=None)


@never_cache
def start(request):
    if not request.user.has_perm(RUN_PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        form = StartRunForm(request.POST)
        if form.is_valid():
            try:
                run = start_run(form.cleaned_data["batch"], form.cleaned_data["scheme"], request.user)
            except RunRefused as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "已发起计算，由后台处理；本页显示进度，离开本页不影响计算。")
                return redirect("jobs:detail", run.job.pk)
    else:
        batch = Batch.objects.filter(pk=request.GET.get("batch") or 0).first() or Batch.objects.first()
        # 方案试算 links here with the scheme it tried.
        scheme = Scheme.objects.filter(pk=request.GET.get("scheme") or 0).first() or default_scheme(batch)
        form = StartRunForm(initial={"batch": batch, "scheme": scheme})
    return render(request, "scoring_engine/admin/run_start.html", {"form": form, "title": "发起积分计算"})


@never_cache
def progress(request, pk):
    """The run's state for polling: {"status", "status_label", "progress", "finished", "error"}."""
    if not (request.user.has_perm(VIEW_RUNS) or request.user.has_perm(RUN_PERMISSION)):
        raise PermissionDenied
    run = get_object_or_404(CalculationRun, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "progress": run.progress,
            "finished": run.is_finished,
            "enterprise_count": run.enterprise_count,
            "error": run.error,
        }
    )


class RunViewSet(OnlyRoutedViews, ModelViewSet):
    model = CalculationRun
    icon = "calculator"
    menu_label = "计算记录"
    url_prefix = "scoring/runs"
    url_namespace = "scoring_runs"
    index_view_class = RunIndexView
    inspect_view_enabled = True
    inspect_view_class = RunInspectView
    list_display = [
        Column("__str__", label="计算", accessor=lambda r: f"第{r.pk}次计算"),
        "batch",
        "scheme",
        "status",
        Column("progress", label="进度", accessor=lambda r: f"{r.progress}%"),
        Column("is_trial", label="类型", accessor=lambda r: "试算" if r.is_trial else "正式计算"),
        Column("enterprise_count", label="企业数"),
        Column("started_by", label="发起人", accessor=lambda r: r.started_by or "命令行"),
        Column("started_at", label="开始时间", accessor=lambda r: f"{r.started_at:%Y-%m-%d %H:%M:%S}"),
    ]
    list_filter = {"batch": ["exact"], "status": ["exact"], "is_trial": ["exact"]}
    ordering = ["-started_at"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("start/", start, name="start"),
            path("progress/<int:pk>.json", progress, name="progress"),
        ]


# ---------------------------------------------------------------------------------------
# 积分结果


class ResultInspectView(OwnLayoutInspectView):
    template_name = "scoring_engine/admin/result_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(EnterpriseResult.objects.select_related("run__batch"), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = self.object
        indicators = (result.run.scheme_snapshot or {}).get("indicators", [])
        labels = dict(Category.choices)
        context.update(
            result=result,
            categories=[(labels.get(c, c), p) for c, p in result.category_points.items()],
            rows=[
                (labels.get(i["category"], i["category"]), i["name"], result.details.get(i["code"], {}))
                for i in indicators
            ],
            field_labels=FIELD_LABELS,
        )
        return context


class ResultViewSet(OnlyRoutedViews, ModelViewSet):
    model = EnterpriseResult
    icon = "list-ul"
    menu_label = "积分结果"
    url_prefix = "scoring/results"
    url_namespace = "scoring_results"
    inspect_view_enabled = True
    inspect_view_class = ResultInspectView
    index_view_class = ExportIndexView
    list_display = ["name", "credit_code", "stage", "total", "rank", "stage_rank", "stage_percentile", "tier"]
    list_filter = {"run": ["exact"], "stage": ["exact"], "tier": ["exact"], "industry": ["exact"]}
    search_fields = ["name", "credit_code"]
    ordering = ["rank", "credit_code"]
    list_export = [
        "rank",
        "credit_code",
        "name",
        "industry",
        "stage",
        "total",
        "percentile",
        "stage_rank",
        "stage_percentile",
        "tier",
    ]
    export_headings = {"stage": "发展阶段", "tier": "梯队"}
    export_filename = "积分结果"

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]
