"""Reading an enterprise's loan applications (its pages; the banks read theirs in the admin)."""

from .models.lending import LoanApplication

# What the enterprise's lists show of an application: not the encrypted phone, the purpose,
# the authorisation or the shared data, which only its own page reads.
LIST_FIELDS = ("enterprise_id", "bank__name", "product_title", "amount", "term_months", "status", "disbursed_amount",
               "submitted_at")


def applications_of(enterprise, limit: int | None = None) -> list[LoanApplication]:
    """The enterprise's applications, newest first (the model's order), with their bank's
    name; the first `limit` when given. One query."""
    rows = LoanApplication.objects.filter(enterprise=enterprise).select_related("bank").only(*LIST_FIELDS)
    return list(rows[:limit] if limit else rows)
