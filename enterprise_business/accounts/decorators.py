"""Who may open the enterprise's pages."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.views.decorators.cache import never_cache

from .models import Enterprise


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
