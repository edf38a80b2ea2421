"""积分计算 → 方案试算 in the Wagtail admin: start a trial run of a draft scheme on a batch and
read what it would change against the batch's published run. Thin views over
`scoring_engine.trials`; only scoring admins (whoever may start a calculation)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from enterprise_business.models import Batch

from . import trials
from .models import CalculationRun, Scheme
from .services import RunRefused

RUN_PERMISSION = "scoring_engine.run_calculation"
S = CalculationRun.Status


class TrialForm(forms.Form):
    batch = forms.ModelChoiceField(Batch.objects.all(), label="填报批次", empty_label=None)
    scheme = forms.ModelChoiceField(
        Scheme.objects.all(),
        label="试算方案",
        empty_label=None,
        help_text="通常是复制现行方案后修改了权重或门槛的草稿方案。试算不会冻结方案，也不会发布。",
    )


class TrialMixin(WagtailAdminTemplateMixin):
    header_icon = "calculator"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(RUN_PERMISSION):
            raise PermissionDenied
        if "pk" in kwargs:
            self.run = get_object_or_404(
                CalculationRun.objects.select_related("batch", "scheme", "started_by"), pk=kwargs["pk"], is_trial=True
            )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("scoring_trials:index"), "label": "方案试算"}]
        if hasattr(self, "run") or isinstance(self, TrialStartView):
            items.append({"url": "", "label": self.get_page_title()})
        return items


class TrialListView(TrialMixin, TemplateView):
    template_name = "scoring_engine/admin/trial_index.html"
    page_title = "方案试算"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["trials"] = (
            CalculationRun.objects.filter(is_trial=True)
            .select_related("batch", "scheme", "started_by")
            .order_by("-started_at", "-pk")[:100]
        )
        return context


class TrialStartView(TrialMixin, FormView):
    template_name = "scoring_engine/admin/trial_start.html"
    page_title = "发起试算"
    form_class = TrialForm

    def get_initial(self):
        batch = Batch.objects.filter(pk=self.request.GET.get("batch") or 0).first() or Batch.objects.first()
        # A draft (not frozen, not the scheme in use) is what one tries; the newest first.
        scheme = next((s for s in Scheme.objects.order_by("-created_at", "-pk") if not s.is_frozen), None)
        return {"batch": batch, "scheme": scheme}

    def form_valid(self, form):
        try:
            run = trials.start_trial(form.cleaned_data["batch"], form.cleaned_data["scheme"], self.request.user)
        except RunRefused as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "已发起试算。试算结果只在本页对比，不会发布或通知企业。")
        return redirect("scoring_trials:detail", run.pk)


class TrialView(TrialMixin, TemplateView):
    """The trial's progress, then its comparison with the batch's published run (or another
    real run of the batch, chosen on the page)."""

    template_name = "scoring_engine/admin/trial_compare.html"

    def get_page_title(self):
        return f"试算：{self.run.scheme} · {self.run.batch.name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["run"] = self.run
        if self.run.status != S.CALCULATED:
            return context
        candidates = list(
            CalculationRun.objects.filter(batch_id=self.run.batch_id, is_trial=False)
            .exclude(status__in=(S.RUNNING, S.FAILED))
            .select_related("scheme")
            .order_by("-started_at", "-pk")
        )
        wanted = self.request.GET.get("against", "")
        against = next((c for c in candidates if str(c.pk) == wanted), None) or trials.baseline(self.run)
        context.update(candidates=candidates, against=against, summary=trials.summarise(self.run, against))
        return context


@require_POST
def delete_trial(request, pk):
    if not request.user.has_perm(RUN_PERMISSION):
        raise PermissionDenied
    run = get_object_or_404(CalculationRun, pk=pk, is_trial=True)
    try:
        trials.delete_trial(run)
    except trials.NotATrial as error:
        messages.error(request, str(error))
        return redirect("scoring_trials:detail", pk)
    messages.success(request, "已删除该试算。")
    return redirect("scoring_trials:index")


class TrialMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(RUN_PERMISSION)


class TrialViewSet(ViewSet):
    """方案试算 in the 积分计算 menu: extra screens on trial runs, next to 计算记录."""

    name = "scoring_trials"
    url_prefix = "scoring/trials"
    menu_label = "方案试算"
    icon = "calculator"
    menu_item_class = TrialMenuItem

    @property
    def menu_url(self):
        return reverse("scoring_trials:index")

    def get_urlpatterns(self):
        return [
            path("", never_cache(TrialListView.as_view()), name="index"),
            path("start/", never_cache(TrialStartView.as_view()), name="start"),
            path("<int:pk>/", never_cache(TrialView.as_view()), name="detail"),
            path("<int:pk>/delete/", delete_trial, name="delete"),
        ]
