"""Which page a URL names, without walking the page tree on every logged-in request.

Wagtail's `serve` finds a request's page from the site's root page down, a query for each
level and one for each page's own type: six for a product of 金融超市, on every request of a
logged-in visitor (the page cache serves only anonymous ones). `PageRouteMiddleware` keeps each
path's route in the worker's memory under the page cache's generation (`home.cache`: anything
published, unpublished, moved, renamed or deleted starts a new one) and hands Wagtail's view a
fresh copy as the route it has already found (`request._wagtail_route_for_request`, where
`Page.route_for_request` looks first). A page with routes of its own (RoutablePageMixin) is
kept as the page and the part of the path it routes, which it resolves again on each request
(no query). The page's view restrictions (its own and its ancestors', two queries on each
request) are remembered with it and read by Wagtail's check as before; passwords, groups and
the page's own serve are Wagtail's: only the lookups are remembered. A change of a restriction
starts a new generation as a publication does.
"""

from django.http import Http404
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page
from wagtail.views import serve

from portal.core.generations import Memo

from . import cache as page_cache

# (site pk, language, path) -> None (no page), ("page", RouteResult) or ("routable", page, the
# path components it routes); at most this many paths per worker.
ROUTES = Memo(page_cache.GENERATION, max_entries=1000)


def _consumed(page) -> int:
    """How many path components led from the site's root page to `page` (Wagtail's route sets
    each page's `_cached_parent_obj` on the way down)."""
    steps = 0
    while getattr(page, "_cached_parent_obj", None) is not None:
        page, steps = page._cached_parent_obj, steps + 1
    return steps


class KnownRestrictions(list):
    """A page's view restrictions as `Page.get_view_restrictions` found them when its route
    was remembered; set on the remembered page in place of that method (Wagtail's
    `check_view_restrictions` iterates what it returns)."""

    def __call__(self):
        return self


def _route(request, path: str):
    found = Page.route_for_request(request, path)
    if found is None:
        return None
    page = found[0]
    page.get_view_restrictions = KnownRestrictions(page.get_view_restrictions())
    if isinstance(page, RoutablePageMixin):
        components = [component for component in path.split("/") if component]
        return "routable", page, components[_consumed(page):]
    return "page", found


class PageRouteMiddleware:
    """Gives Wagtail's serve view the request's route from the memo (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        site = getattr(request, "_wagtail_site", None)
        if view_func is not serve or site is None or hasattr(request, "_wagtail_route_for_request"):
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        known = ROUTES.get((site.pk, translation.get_language(), path), lambda: _route(request, path))
        if known is None:
            request._wagtail_route_for_request = None
        elif known[0] == "page":
            request._wagtail_route_for_request = known[1]
        else:
            _, page, remaining = known
            try:
                request._wagtail_route_for_request = page.route(request, remaining)
            except Http404:
                request._wagtail_route_for_request = None
        return None
