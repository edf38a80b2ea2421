"""The Content-Security-Policy of every response (django-csp 4).

The site's own pages run no inline script and no inline style: scripts are files from
/static/ (or carry the request's nonce). The Wagtail admin is the one exception — its
widgets and panels write small inline scripts and style attributes that we do not
control — so /admin/ gets the same policy with 'unsafe-inline' for those two only.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware

ADMIN_PREFIX = "/admin/"
ADMIN_RELAXED = {"script-src": [SELF, UNSAFE_INLINE], "style-src": [SELF, UNSAFE_INLINE]}


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**(parts.replace or {}), **ADMIN_RELAXED}
        return parts
