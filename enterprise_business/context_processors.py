"""What every page's template may show of the signed-in enterprise."""

from django.utils.functional import SimpleLazyObject

from .accounts.models import Enterprise
from .filings import selectors

HOME_PANEL_MESSAGES = 3


def enterprise_progress(request):
    """`enterprise_progress`: the overview /enterprise/ shows (filings.selectors.overview) for
    an approved enterprise signed in, else None. Worked out only when a template reads it (the
    首页 does), so other pages and visitors cost no query. Pages showing it are personal: they
    are never stored in the page cache, which serves only requests without a session."""

    def overview():
        user = request.user
        enterprise = getattr(user, "enterprise", None) if user.is_authenticated else None
        if enterprise is None or enterprise.status != Enterprise.Status.APPROVED:
            return None
        return selectors.overview(enterprise, user, messages=HOME_PANEL_MESSAGES)

    return {"enterprise_progress": SimpleLazyObject(overview)}
