"""金融超市's panel of the programme desk (portal.core.desk): applications by bank — every
bank for zone staff with `view_all_totals` (counts and sums only, as 申请统计), a bank's own
for its staff. Registered when the admin hooks load."""

from django.db.models import Count, Q, Sum
from django.urls import reverse

from portal.core import desk

from . import access
from .admin_views import ZERO, totals_policy
from .models import LoanApplication

S = LoanApplication.Status


@desk.register("applications", "融资申请（按银行，全部批次）", order=60,
               template="finance_products/admin/desk_applications.html",
               visible=lambda user: totals_policy.user_has_permission(user, "view"),
               counts=("finance_products.LoanApplication", "finance_products.Bank"))
def applications_panel(user, batch) -> dict:
    """[{"bank", "count", "open", "disbursed", "disbursed_amount", "link"}] by bank; one query."""
    can_open = user.is_superuser or user.has_perm("finance_products.view_loanapplication")
    rows = list(access.totals_scope(user).values("bank_id", "bank__name").annotate(
        count=Count("pk"), open=Count("pk", filter=Q(status__in=LoanApplication.OPEN_STATUSES)),
        disbursed=Count("pk", filter=Q(status=S.DISBURSED)), disbursed_amount=Sum("disbursed_amount"),
    ).order_by("bank__name"))
    for row in rows:
        row["label"] = row["bank__name"]
        row["disbursed_amount"] = row["disbursed_amount"] or ZERO
        row["link"] = (reverse("loan_applications:index") + f"?bank={row['bank_id']}" if can_open
                       else reverse("application_totals:index") + f"?bank={row['bank_id']}")
    return {"rows": desk.bars(rows)}
