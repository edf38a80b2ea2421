"""结果发布 in the Wagtail admin: the runs of each batch with 对比上次结果, 发布公示, 正式发布 and
the XLSX export; and 积分异议, which staff answer (the enterprise is told by SMS and 消息).

The views are thin: every decision is in `scoring_engine.publication`.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from enterprise_business.models import PointsFiling
from portal.core.inquiries.admin import InquiryViewSet
from portal.core.jobs.admin import start

from . import export, publication
from .models import CalculationRun
from .objection_models import ScoreObjection

VIEW_PERMISSION = "scoring_engine.view_calculationrun"
# Whoever may start a calculation (积分管理员) may also put it to 公示 and publish it.
PUBLISH_PERMISSION = "scoring_engine.run_calculation"
EXPORT_PERMISSION = "scoring_engine.view_enterpriseresult"
S = CalculationRun.Status


# ---- forms ------------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_errors(label):
    return {"required": f"请填写{label}。", "invalid": "请按 YYYY-MM-DD 填写日期。"}


class PublishForm(forms.Form):
    starts_on = forms.DateField(label="公示开始日期", widget=DateInput(), error_messages=date_errors("公示开始日期"))
    ends_on = forms.DateField(label="公示结束日期", widget=DateInput(), error_messages=date_errors("公示结束日期"))
    top_n = forms.IntegerField(
        label="榜单企业数",
        required=False,
        min_value=1,
        help_text="优秀企业榜单列出总排名前多少名的企业；与“榜单比例”二选一。",
        error_messages={"invalid": "请输入整数。", "min_value": "至少为1。"},
    )
    top_percent = forms.DecimalField(
        label="榜单比例（%）",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text="优秀企业榜单列出总排名前百分之多少的企业；与“榜单企业数”二选一。",
        error_messages={"invalid": "请输入数字。", "max_value": "不能超过100。", "min_value": "不能为负数。"},
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and starts_on < self.today:
            self.add_error("starts_on", "公示开始日期不能早于今天。")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "公示结束日期不能早于开始日期。")
        if "top_n" in cleaned and "top_percent" in cleaned:
            try:
                publication.check_ranking(cleaned.get("top_n"), cleaned.get("top_percent"))
            except publication.PublicationError as error:
                self.add_error("top_n", error.message)
        return cleaned


class FinaliseForm(forms.Form):
    early = forms.BooleanField(label="公示期未满，确认提前正式发布", required=False)


# ---- views ------------------------------------------------------------------------------------


class RunViewMixin(WagtailAdminTemplateMixin):
    permission = VIEW_PERMISSION
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        if "pk" in kwargs:
            self.run = get_object_or_404(CalculationRun.objects.select_related("batch", "scheme"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("scoring_publication:index"), "label": "结果发布"}]
        if hasattr(self, "run"):
            items.append({"url": "", "label": self.get_page_title()})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_publish"] = self.request.user.has_perm(PUBLISH_PERMISSION)
        context["can_export"] = self.request.user.has_perm(EXPORT_PERMISSION)
        if hasattr(self, "run"):
            context["run"] = self.run
        return context


class RunListView(RunViewMixin, TemplateView):
    template_name = "scoring_engine/admin/publication_index.html"
    page_title = "结果发布"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        runs = (
            CalculationRun.objects.exclude(status=S.RUNNING)
            .filter(is_trial=False)  # trials are read in 积分计算 → 方案试算 and never published
            .select_related("batch", "scheme", "started_by")
            .order_by("-batch__data_year", "batch_id", "-started_at", "-pk")
        )
        batch = self.request.GET.get("batch", "")
        if batch.isdigit():
            runs = runs.filter(batch_id=int(batch))
        pending = dict(
            ScoreObjection.objects.filter(status=ScoreObjection.Status.PENDING)
            .values("result__run_id")
            .annotate(n=Count("pk"))
            .values_list("result__run_id", "n")
        )
        rows = list(runs[:200])
        for run in rows:
            run.pending_objections = pending.get(run.pk, 0)
        context.update(runs=rows, today=timezone.localdate())
        return context


class CompareView(RunViewMixin, TemplateView):
    template_name = "scoring_engine/admin/publication_compare.html"

    def get_page_title(self):
        return f"对比上次结果：{self.run.batch.name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        candidates = list(
            CalculationRun.objects.filter(batch_id=self.run.batch_id, is_trial=False)
            .exclude(pk=self.run.pk)
            .exclude(status__in=(S.RUNNING, S.FAILED))
            .order_by("-started_at", "-pk")
        )
        wanted = self.request.GET.get("previous", "")
        previous = next((c for c in candidates if str(c.pk) == wanted), None) or publication.previous_run(self.run)
        context.update(comparison=publication.compare(self.run, previous), candidates=candidates, previous=previous)
        return context


class PublishView(RunViewMixin, FormView):
    permission = PUBLISH_PERMISSION
    template_name = "scoring_engine/admin/publication_publish.html"
    form_class = PublishForm

    def get_page_title(self):
        return f"发布公示：{self.run.batch.name}"

    def get_initial(self):
        today = timezone.localdate()
        return {"starts_on": today, "ends_on": today + timezone.timedelta(days=6), "top_percent": 20}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["current"] = (
            CalculationRun.objects.filter(batch_id=self.run.batch_id, status__in=publication.PUBLISHED)
            .exclude(pk=self.run.pk)
            .first()
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            publication.publish(
                self.run,
                self.request.user,
                data["starts_on"],
                data["ends_on"],
                top_n=data.get("top_n"),
                top_percent=data.get("top_percent"),
            )
        except publication.PublicationError as error:
            messages.error(self.request, error.message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            self.request,
            f"已发布公示（{data['starts_on']:%Y-%m-%d}至{data['ends_on']:%Y-%m-%d}），并已通过短信和消息通知参评企业。",
        )
        return redirect("scoring_publication:index")

    def form_invalid(self, form):
        messages.error(self.request, "发布未成功，请按提示修改标红的项目。")
        return super().form_invalid(form)


class FinaliseView(RunViewMixin, FormView):
    permission = PUBLISH_PERMISSION
    template_name = "scoring_engine/admin/publication_finalise.html"
    form_class = FinaliseForm

    def get_page_title(self):
        return f"正式发布：{self.run.batch.name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["before_end"] = bool(self.run.publicity_ends_on and timezone.localdate() <= self.run.publicity_ends_on)
        context["pending"] = ScoreObjection.objects.filter(
            result__run=self.run, status=ScoreObjection.Status.PENDING
        ).count()
        return context

    def form_valid(self, form):
        try:
            publication.finalise(self.run, self.request.user, early=form.cleaned_data["early"])
        except publication.PublicationError as error:
            form.add_error("early" if "公示期" in error.message else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, "已正式发布，并已通过短信和消息通知参评企业。")
        return redirect("scoring_publication:index")


@never_cache
def export_view(request, pk):
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    run = get_object_or_404(CalculationRun.objects.select_related("batch", "scheme"), pk=pk)
    if run.status in (S.RUNNING, S.FAILED):
        messages.error(request, "该计算没有结果可以导出。")
        return redirect("scoring_publication:index")
    if run.enterprise_count > settings.JOBS_EXPORT_INLINE_ROWS:
        return start(request, export.EXPORT_JOB, f"导出{export.filename(run)}", params={"run_id": run.pk},
                     key=f"scoring-export:{run.pk}:{request.user.pk}")
    return export.xlsx_response(run)


class PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


class PublicationViewSet(ViewSet):
    """结果发布: not a ModelViewSet, so that the engine's own CalculationRun screens keep the model's
    admin URLs; these are extra screens on the same runs."""

    name = "scoring_publication"
    url_prefix = "scoring/publication"
    menu_label = "结果发布"
    icon = "date"
    menu_item_class = PermissionMenuItem

    @property
    def menu_url(self):
        return reverse("scoring_publication:index")

    def get_urlpatterns(self):
        return [
            path("", never_cache(RunListView.as_view()), name="index"),
            path("<int:pk>/compare/", never_cache(CompareView.as_view()), name="compare"),
            path("<int:pk>/publish/", never_cache(PublishView.as_view()), name="publish"),
            path("<int:pk>/finalise/", never_cache(FinaliseView.as_view()), name="finalise"),
            path("<int:pk>/export/", export_view, name="export"),
        ]


# ---- objections -------------------------------------------------------------------------------


class ObjectionPolicy(ModelPermissionPolicy):
    """积分异议 are read and answered by whoever may publish results (积分管理员), or by a user
    given the model's own view/change permission; never added or deleted in the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        if action in ("view", "change") and user.has_perm(PUBLISH_PERMISSION):
            return True
        return super().user_has_permission(user, action)


def can_answer(user) -> bool:
    return ObjectionPolicy(ScoreObjection).user_has_permission(user, "change")


class ObjectionViewSet(InquiryViewSet):
    """积分异议: answered by whoever may publish results; the page shows the result's working."""

    model = ScoreObjection
    menu_label = "积分异议"
    url_prefix = "scoring/objections"
    url_namespace = "score_objections"
    subject_template = "scoring_engine/admin/objection_subject.html"
    details_template = "scoring_engine/admin/objection_details.html"
    text_heading = "异议理由"
    attachment_heading = "证明材料"
    list_display = ["enterprise", "batch", "status", "asked_at", "answered_at"]
    list_filter = {"status": ["exact"], "asked_at": ["date__gte", "date__lte"]}
    search_fields = ["enterprise__name", "enterprise__credit_code", "text"]
    ordering = ["-status", "-asked_at"]  # 待处理 (pending) before 已答复 (answered)
    list_export = ["enterprise", "batch", "status", "text", "asked_at", "answer", "answered_by", "answered_at"]
    export_filename = "积分异议"

    def scope(self, user):
        if not ObjectionPolicy(ScoreObjection).user_has_permission(user, "view"):
            return ScoreObjection.objects.none()
        return ScoreObjection.objects.select_related("enterprise", "result__run__batch")

    def can_answer(self, user):
        return can_answer(user)

    def subject_context(self, inquiry, request):
        from .results import category_blocks

        run = inquiry.result.run
        return {
            "run": run,
            "blocks": category_blocks(inquiry.result),
            "filing": PointsFiling.objects.filter(enterprise_id=inquiry.enterprise_id, batch_id=run.batch_id).first(),
            "others": ScoreObjection.objects.filter(result=inquiry.result).exclude(pk=inquiry.pk),
        }
