"""The Wagtail site of a request and its 门户设置 without two queries on every page.

Every page of the portal's own layout reads `settings.home.PortalSettings`, which Wagtail
finds with a query for the request's site (hostname and port against every site row) and
one for the settings row: on a logged-in page, never page-cached, that was a fifth of the
time of a small page (issue 21). `SiteSettingsMiddleware` keeps both per host and port in
the worker's memory under the page cache's generation (`home.cache.GENERATION`, through
`portal.core.generations.Memo`) and hands every request a fresh copy (`request._wagtail_site`
and PortalSettings' request attribute, where Wagtail looks first).

Saving or deleting a site or the settings starts a new generation (home/apps.py), so every
worker sees a change within `home.cache.GENERATION_REFRESH_SECONDS`, as it sees a publication;
a fresh copy per request means nothing one request sets on them reaches another.
"""

from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http.request import split_domain_port
from wagtail.models import Site

from portal.core.generations import Memo

from . import cache as page_cache
from .models import PortalSettings

# (hostname, port) -> (Site or None, PortalSettings or None); at most this many host:port
# pairs are remembered (only allowed hosts reach the memo at all).
MEMO = Memo(page_cache.GENERATION, max_entries=32)


def _site_and_settings(request) -> tuple[Site | None, PortalSettings | None]:
    """Fresh copies of the request's site and its settings, from the memo when current."""
    def build():
        site = Site._find_for_request(request)
        return site, PortalSettings.for_site(site) if site is not None else None

    return MEMO.get((split_domain_port(request._get_raw_host())[0], request.get_port()), build)


class SiteSettingsMiddleware:
    """Sets the request's site and 门户设置 from the worker's memo (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
            site, portal = _site_and_settings(request)
        except DisallowedHost:
            return self.get_response(request)  # Django answers it; nothing is remembered
        except DatabaseError:
            return self.get_response(request)  # the view meets the outage itself (/health/: 503)
        request._wagtail_site = site
        if portal is not None:
            portal._request = request
            setattr(request, PortalSettings.get_cache_attr_name(), portal)
        return self.get_response(request)
