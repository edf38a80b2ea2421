"""积分结果查询 (an enterprise's own published results) and 优秀企业榜单 (public)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from enterprise_business.accounts.decorators import enterprise_required

from . import publication, results
from .models import EnterpriseResult
from .objection_models import ScoreObjection


@enterprise_required
def enterprise_results(request):
    """The enterprise's result of the chosen (default: latest) published batch, its earlier
    years, and during 公示 the objection form; before any publication, the manual's notice."""
    today = timezone.localdate()
    published = results.published_results(request.enterprise, today)
    form = None
    if request.method == "POST":
        result = get_object_or_404(
            EnterpriseResult.objects.select_related("run__batch"),
            pk=request.POST.get("result") or 0,
            enterprise=request.enterprise,
            run__in=results.visible_runs(today),
        )
        if not results.in_publicity(result.run, today):
            messages.error(request, "不在公示期内，不能提出异议。")
            return redirect(f"{request.path}?batch={result.run.batch_id}")
        form = publication.ObjectionForm(request.POST, request.FILES, enterprise=request.enterprise, user=request.user)
        if form.is_valid():
            try:
                publication.raise_objection(
                    result,
                    request.enterprise,
                    request.user,
                    form.cleaned_data["reason"],
                    form.cleaned_data.get("attachment"),
                    today=today,
                )
            except publication.PublicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "异议已提交，平台答复后将通过短信和消息通知您。")
            return redirect(f"{request.path}?batch={result.run.batch_id}#objections")
        messages.error(request, "提交未成功，请按提示修改标红的项目。已上传的文件已保留。")
        current = result
    else:
        wanted = request.GET.get("batch", "")
        current = next((r for r in published if str(r.run.batch_id) == wanted), published[0] if published else None)
    context = {"published": published, "result": current}
    if current is not None:
        open_for_objections = results.in_publicity(current.run, today)
        context.update(
            results.report(current),
            run=current.run,
            open_for_objections=open_for_objections,
            objections=ScoreObjection.objects.filter(result=current).select_related("attachment"),
            form=(form or publication.ObjectionForm()) if open_for_objections else None,
            tier_label=results.TIER_LABELS.get(current.tier, "") if current.tier else "",
            stage_label=results.STAGE_LABELS.get(current.stage, current.stage),
        )
    return render(request, "scoring_engine/results.html", context)


def ranking(request):
    """优秀企业榜单: the published list of a batch, by stage and industry. Public."""
    runs = results.ranking_runs()
    form = results.RankingFilter(request.GET or None, runs=runs)
    if form.is_bound:
        form.is_valid()  # errors show beside their field; the valid choices still apply
    run, stage, industry = form.selected()
    context = {"form": form, "run": run}
    if run is not None:
        page = Paginator(results.ranking(run, stage, industry), results.RANKING_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        for row in page.object_list:
            row.stage_label = results.STAGE_LABELS.get(row.stage, row.stage)
            row.tier_label = results.TIER_LABELS.get(row.tier, "") if row.tier else "—"
            row.industry_label = results.INDUSTRY_LABELS.get(row.industry, "—")
        context.update(
            page_obj=page,
            scope=results.ranking_scope(run),
            filtered=bool(stage or industry),
            in_publicity=run.status == run.Status.PUBLICITY,
        )
    return render(request, "scoring_engine/ranking.html", context)
