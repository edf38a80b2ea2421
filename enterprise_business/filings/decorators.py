"""Who may open an enterprise's page of one filing batch (/enterprise/filings/<batch_id>/…)."""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect

from enterprise_business.accounts.decorators import enterprise_required

from . import selectors


def batch_page(view):
    """An approved enterprise whose 基本信息 is 审核通过 gets the view, called with the `Batch`
    in place of `batch_id`; one whose basic info is not approved yet goes back to 数据填报 with
    the manual's message; a batch it may not see is a 404."""

    @enterprise_required
    @wraps(view)
    def wrapped(request, batch_id, *args, **kwargs):
        if not selectors.has_approved_basic_info(request.enterprise):
            messages.error(request, "请先完成企业基本信息填报并通过审核。")
            return redirect("enterprise:filings")
        batch = selectors.visible_batch(batch_id)
        return view(request, batch, *args, **kwargs)

    return wrapped
