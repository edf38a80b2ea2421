"""企业业务: the pages of a logged-in, approved enterprise."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from portal.core.models import PrivateFile
from portal.core.notifications.selectors import latest_messages

from .. import basic_info as basic_info_service
from .. import points, qualifications
from ..basic_info import BasicInfoForm
from ..models import BasicInfo, Enterprise, PointsFiling, QualificationIndicator
from ..review import TransitionError


def enterprise_required(view):
    """Only an approved enterprise account gets through; anyone else goes to the login page."""

    @wraps(view)
    @never_cache
    def wrapped(request, *args, **kwargs):
        enterprise = getattr(request.user, "enterprise", None) if request.user.is_authenticated else None
        if enterprise is None or enterprise.status != Enterprise.Status.APPROVED:
            return redirect_to_login(request.get_full_path())
        request.enterprise = enterprise
        return view(request, *args, **kwargs)

    return wrapped


@enterprise_required
def home(request):
    enterprise = request.enterprise
    return render(request, "enterprise_business/enterprise/home.html", {
        "enterprise": enterprise,
        "basic_info": BasicInfo.objects.filter(enterprise=enterprise).first(),
        "basic_info_approved": basic_info_service.has_approved_version(enterprise),
        "notices": latest_messages(request.user),
    })


@enterprise_required
def basic_info(request):
    enterprise = request.enterprise
    filing = basic_info_service.filing_for(enterprise)
    facts = basic_info_service.registry_facts(enterprise)
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
        form = BasicInfoForm(initial=basic_info_service.initial_values(filing), facts=facts,
                             readonly=not filing.is_editable_by_owner)
    return render(request, "enterprise_business/enterprise/basic_info.html", {
        "filing": filing, "facts": facts, "form": form, "events": filing.events(),
        "readonly": not filing.is_editable_by_owner,
    })


@enterprise_required
def filings(request):
    approved = basic_info_service.has_approved_version(request.enterprise)
    batches = list(points.visible_batches()) if approved else []
    by_batch = {f.batch_id: f for f in PointsFiling.objects.filter(enterprise=request.enterprise, batch__in=batches)}
    return render(request, "enterprise_business/enterprise/filings.html", {
        "basic_info_approved": approved,
        "rows": [(batch, by_batch.get(batch.pk), batch.is_open()) for batch in batches],
    })


def _batch_for(request, batch_id):
    if not basic_info_service.has_approved_version(request.enterprise):
        return None
    return get_object_or_404(points.visible_batches(), pk=batch_id)


@enterprise_required
def points_filing(request, batch_id):
    batch = _batch_for(request, batch_id)
    if batch is None:
        messages.error(request, "请先完成企业基本信息填报并通过审核。")
        return redirect("enterprise:filings")
    enterprise = request.enterprise
    filing = points.filing_for(enterprise, batch)
    torch = points.torch_figures(enterprise, batch)
    editable = filing.owner_can_edit
    kwargs = {"batch": batch, "enterprise": enterprise, "user": request.user, "filing": filing, "torch": torch}
    form = None
    if request.method == "POST":
        if not editable:
            messages.error(request, "已提交或不在填报时间内，不能修改。")
            return redirect("enterprise:points-filing", batch.pk)
        submit = "submit" in request.POST
        form = points.PointsForm(request.POST, request.FILES, mode="submit" if submit else "save", **kwargs)
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
        form = points.PointsForm(initial=points.initial_values(filing), readonly=not editable, **kwargs)
    return render(request, "enterprise_business/enterprise/points_filing.html", {
        "batch": batch, "filing": filing, "form": form, "torch": torch, "readonly": not editable,
        "events": filing.events(),
    })


@enterprise_required
def qualifications_page(request, batch_id):
    """相关资质填报: the records of every indicator, self-reported records, data questions."""
    batch = _batch_for(request, batch_id)
    if batch is None:
        messages.error(request, "请先完成企业基本信息填报并通过审核。")
        return redirect("enterprise:filings")
    enterprise = request.enterprise
    filing = points.filing_for(enterprise, batch)
    editable = filing.owner_can_edit
    opened, bound = request.GET.get("open", ""), {}
    if request.method == "POST":
        indicator = get_object_or_404(QualificationIndicator, code=request.POST.get("indicator", ""))
        opened, action = indicator.code, request.POST.get("action")
        if action == "question":
            form = qualifications.QuestionForm(request.POST, request.FILES, indicator=indicator,
                                               enterprise=enterprise, user=request.user)
            if form.is_valid():
                qualifications.ask(enterprise, batch, indicator, request.user, form)
                messages.success(request, f"数据异议已提交给{indicator.department.name}，答复后将通知您。")
                return redirect(f"{request.path}?open={indicator.code}")
            bound["question"] = form
        elif action in ("add", "delete"):
            if filing.pk is None:
                filing = points.filing_for(enterprise, batch, create=True)
            try:
                if action == "add":
                    form = qualifications.RecordForm(request.POST, request.FILES, indicator=indicator,
                                                     enterprise=enterprise, user=request.user, with_proof=True)
                    bound["record"] = form
                    if form.is_valid():
                        qualifications.add_self_record(filing, indicator, request.user, form)
                        messages.success(request, f"已新增一条“{indicator.name}”记录。")
                        return redirect(f"{request.path}?open={indicator.code}")
                else:
                    record_id = request.POST.get("record", "")
                    if not record_id.isdigit():
                        raise Http404
                    qualifications.delete_self_record(filing, int(record_id), request.user)
                    messages.success(request, f"已删除一条“{indicator.name}”记录。")
                    return redirect(f"{request.path}?open={indicator.code}")
            except qualifications.QualificationRecord.DoesNotExist:
                raise Http404 from None
            except TransitionError as error:
                messages.error(request, error.message)
        if "record" in bound or "question" in bound:
            messages.error(request, "提交未成功，请按提示修改标红的项目。")
    rows = qualifications.indicator_rows(enterprise, batch)
    for row in rows:
        indicator = row["indicator"]
        mine = indicator.code == opened
        row["open"] = mine
        row["record_form"] = (bound.get("record") if mine and "record" in bound else
                              qualifications.RecordForm(indicator=indicator, with_proof=True)
                              ) if indicator.self_reported and editable else None
        row["question_form"] = (bound["question"] if mine and "question" in bound
                                else qualifications.QuestionForm(indicator=indicator))
    return render(request, "enterprise_business/enterprise/qualifications.html", {
        "batch": batch, "filing": filing, "rows": rows, "editable": editable,
    })


@enterprise_required
def points_history(request, batch_id):
    batch = _batch_for(request, batch_id)
    filing = PointsFiling.objects.filter(enterprise=request.enterprise, batch=batch).first() if batch else None
    if filing is None:
        raise Http404
    events = list(filing.events())
    files = {f.pk: f for f in PrivateFile.objects.filter(owner=request.user)}
    for event in events:
        event.files = [(PointsFiling._meta.get_field(name).verbose_name, files.get((event.snapshot or {}).get(name)))
                       for name in filing.snapshot_fields if name.endswith("_id")]
    return render(request, "enterprise_business/enterprise/points_history.html", {
        "batch": batch, "filing": filing, "events": events,
    })
