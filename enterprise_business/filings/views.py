"""企业业务: the pages of a logged-in, approved enterprise — its home, 企业基本信息填报 and 积分数据填报."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from enterprise_business.accounts.decorators import enterprise_required
from portal.core.models import PrivateFile
from portal.core.workflow import TransitionError

from . import selectors
from .decorators import batch_page
from .forms import BasicInfoForm, PointsForm
from .models import PointsFiling
from .services import basic_info as basic_info_service
from .services import points


@enterprise_required
def home(request):
    # The steps, applications and 消息 come from the cache while none of them changed.
    return render(request, "enterprise_business/enterprise/home.html", {
        **selectors.overview(request.enterprise, request.user),
        "home_version": selectors.home_version(request.enterprise, request.user)})


@enterprise_required
def basic_info(request):
    enterprise = request.enterprise
    filing = selectors.basic_info_of(enterprise)
    facts = selectors.registry_facts(enterprise)
    form = None
    if request.method == "POST" and not filing.is_editable_by_owner:
        messages.error(request, "已提交，正在等待审核，审核完成前不能修改。")
        return redirect("enterprise:basic-info")
    if request.method == "POST":
        submit = "submit" in request.POST
        form = BasicInfoForm(request.POST, mode="submit" if submit else "save", facts=facts)
        if form.is_valid():
            try:
                basic_info_service.save(filing, request.user, form.cleaned_data, facts, submit=submit)
            except TransitionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "已提交，请等待管理员审核（审核周期为1-2个工作日）。" if submit
                                 else "已暂存，可以稍后继续填写。")
                return redirect("enterprise:basic-info")
        else:
            messages.error(request, "提交未成功，请按提示修改标红的项目。" if submit else "暂存未成功，请按提示修改。")
    if form is None:
        form = BasicInfoForm(initial=selectors.basic_info_initial(filing), facts=facts,
                             readonly=not filing.is_editable_by_owner)
    return render(request, "enterprise_business/enterprise/basic_info.html", {
        "filing": filing, "facts": facts, "form": form, "events": filing.events(),
        "readonly": not filing.is_editable_by_owner,
    })


@enterprise_required
def filings(request):
    approved = selectors.has_approved_basic_info(request.enterprise)
    batches = list(selectors.visible_batches()) if approved else []
    by_batch = selectors.filings_by_batch(request.enterprise, batches)
    return render(request, "enterprise_business/enterprise/filings.html", {
        "basic_info_approved": approved,
        "rows": [(batch, by_batch.get(batch.pk), batch.is_open()) for batch in batches],
    })


@batch_page
def points_filing(request, batch):
    enterprise = request.enterprise
    filing = selectors.points_filing_of(enterprise, batch)
    torch = selectors.torch_figures(enterprise, batch)
    editable = filing.owner_can_edit
    kwargs = {"batch": batch, "enterprise": enterprise, "user": request.user, "filing": filing, "torch": torch}
    form = None
    if request.method == "POST":
        if not editable:
            messages.error(request, "已提交或不在填报时间内，不能修改。")
            return redirect("enterprise:points-filing", batch.pk)
        submit = "submit" in request.POST
        form = PointsForm(request.POST, request.FILES, mode="submit" if submit else "save", **kwargs)
        if form.is_valid():
            try:
                points.save(filing, request.user, form, submit=submit)
            except TransitionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "已提交，请等待管理员审核。" if submit else "已暂存，可以稍后继续填写。")
                return redirect("enterprise:points-filing", batch.pk)
        else:
            messages.error(request, "提交未成功，请按提示修改标红的项目。已上传的文件已保留。")
    if form is None:
        form = PointsForm(initial=selectors.points_initial(filing), readonly=not editable, **kwargs)
    return render(request, "enterprise_business/enterprise/points_filing.html", {
        "batch": batch, "filing": filing, "form": form, "torch": torch, "readonly": not editable,
        "events": filing.events(),
    })


@enterprise_required
def points_history(request, batch_id):
    filing = PointsFiling.objects.filter(enterprise=request.enterprise, batch_id=batch_id,
                                         batch__in=selectors.visible_batches()).first()
    if filing is None:
        raise Http404
    events = list(filing.events())
    files = {f.pk: f for f in PrivateFile.objects.filter(owner=request.user)}
    for event in events:
        event.files = [(PointsFiling._meta.get_field(name).verbose_name, files.get((event.snapshot or {}).get(name)))
                       for name in filing.snapshot_fields if name.endswith("_id")]
    return render(request, "enterprise_business/enterprise/points_history.html", {
        "batch": filing.batch, "filing": filing, "events": events,
    })
