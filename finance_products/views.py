"""The enterprise's side of the 金融超市: 为我推荐, the application form, and its applications
under /enterprise/applications/. Every view here is personal: never cached, and another
enterprise's application is a 404."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from enterprise_business.accounts.decorators import enterprise_required

from . import applications, matching, selectors
from .applications import ApplicationForm, TransitionError
from .models.lending import LoanApplication


def _personal(response):
    add_never_cache_headers(response)
    return response


def recommend(request, index):
    """为我推荐: every product, those the enterprise qualifies for first, each with why not."""
    viewer = matching.Viewer.for_request(request)
    if viewer is None:
        return redirect_to_login(request.get_full_path())
    products = viewer.annotate(sorted(index.products(), key=lambda product: (product.min_rate, -product.max_amount)))
    qualifying = [product for product in products if product.match.qualifies]
    others = [product for product in products if not product.match.qualifies]
    return _personal(
        TemplateResponse(
            request,
            "finance_products/recommend.html",
            {
                "page": index,
                "self": index,
                "viewer": viewer,
                "qualifying": qualifying,
                "others": others,
            },
        )
    )


def apply(request, product):
    """申请: the form, for a qualifying enterprise; everyone else is told why not."""
    viewer = matching.Viewer.for_request(request)
    if viewer is None:
        return redirect_to_login(request.get_full_path())
    enterprise = viewer.enterprise
    state = applications.eligibility(enterprise, product)
    form = None
    if state.may_apply:
        if request.method == "POST":
            form = ApplicationForm(request.POST, product=product)
            if form.is_valid():
                try:
                    application = applications.submit(enterprise, request.user, product, form.cleaned_data)
                except TransitionError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(
                        request, f"申请已提交，{product.bank.name}受理和审批的每一步都会通过消息和短信通知您。"
                    )
                    return redirect(application.get_absolute_url())
            else:
                messages.error(request, "申请未提交，请按提示修改标红的项目。")
        else:
            form = ApplicationForm(product=product, initial=applications.initial_contact(enterprise))
    elif request.method == "POST":
        messages.error(
            request, "申请未提交：" + (state.match.reasons[0] if state.match.reasons else "您已申请过本产品。")
        )
    authorisation = applications.authorisation_text(product, state.result) if state.result else ""
    return _personal(
        TemplateResponse(
            request,
            "finance_products/apply.html",
            {
                "page": product,
                "self": product,
                "state": state,
                "form": form,
                "authorisation": authorisation,
                "shared": applications.shared_data(enterprise, state.result) if state.may_apply else [],
            },
        )
    )


@enterprise_required
def application_list(request):
    return TemplateResponse(request, "finance_products/enterprise/applications.html",
                            {"applications": selectors.applications_of(request.enterprise)})


@enterprise_required
def application_detail(request, pk):
    application = get_object_or_404(
        LoanApplication.objects.select_related("bank", "product"), pk=pk, enterprise=request.enterprise
    )
    return TemplateResponse(
        request,
        "finance_products/enterprise/application.html",
        {
            "application": application,
            "events": application.events.select_related("actor"),
        },
    )


@require_POST
@enterprise_required
def application_withdraw(request, pk):
    try:
        applications.withdraw(pk, request.enterprise, request.user)
    except LoanApplication.DoesNotExist:
        raise Http404 from None
    except TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "申请已撤回，银行不能再查看您授权的积分结果和企业基本信息。")
    return redirect("finance:application", pk)
