"""企业业务: the pages of a logged-in, approved enterprise."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from .. import basic_info as basic_info_service
from ..basic_info import BasicInfoForm
from ..models import BasicInfo, Enterprise
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
        "notices": enterprise.messages.all()[:10],
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
    return render(request, "enterprise_business/enterprise/filings.html", {
        "basic_info_approved": basic_info_service.has_approved_version(request.enterprise),
    })
