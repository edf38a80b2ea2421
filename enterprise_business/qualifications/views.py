"""相关资质填报: the enterprise's page of qualification records, self-reported records and data questions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from enterprise_business.filings import selectors as filings
from enterprise_business.filings.decorators import batch_page
from enterprise_business.filings.services import points
from portal.core.workflow import TransitionError

from . import selectors
from . import services as qualifications
from .forms import QuestionForm, RecordForm
from .models import QualificationIndicator, QualificationRecord


@batch_page
def qualifications_page(request, batch):
    """相关资质填报: the records of every indicator, self-reported records, data questions."""
    enterprise = request.enterprise
    filing = filings.points_filing_of(enterprise, batch, proofs=False)
    editable = filing.owner_can_edit
    opened, bound = request.GET.get("open", ""), {}
    if request.method == "POST":
        indicator = get_object_or_404(QualificationIndicator, code=request.POST.get("indicator", ""))
        opened, action = indicator.code, request.POST.get("action")
        if action == "question":
            form = QuestionForm(request.POST, request.FILES, indicator=indicator,
                                               enterprise=enterprise, user=request.user)
            if form.is_valid():
                qualifications.ask(enterprise, batch, indicator, request.user, form)
                messages.success(request, f"数据异议已提交给{indicator.department.name}，答复后将通知您。")
                return redirect(f"{request.path}?open={indicator.code}")
            bound["question"] = form
        elif action in ("add", "delete"):
            if filing.pk is None:
                filing = points.create(enterprise, batch)
            try:
                if action == "add":
                    form = RecordForm(request.POST, request.FILES, indicator=indicator,
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
            except QualificationRecord.DoesNotExist:
                raise Http404 from None
            except TransitionError as error:
                messages.error(request, error.message)
        if "record" in bound or "question" in bound:
            messages.error(request, "提交未成功，请按提示修改标红的项目。")
    rows = selectors.indicator_rows(enterprise, batch)
    for row in rows:
        indicator = row["indicator"]
        mine = indicator.code == opened
        row["open"] = mine
        row["record_form"] = (bound.get("record") if mine and "record" in bound else
                              RecordForm(indicator=indicator, with_proof=True)
                              ) if indicator.self_reported and editable else None
        row["question_form"] = (bound["question"] if mine and "question" in bound
                                else QuestionForm(indicator=indicator))
    return render(request, "enterprise_business/enterprise/qualifications.html", {
        "batch": batch, "filing": filing, "rows": rows, "editable": editable,
    })
