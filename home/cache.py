"""Whole-page cache for anonymous visitors of the public portal.

Most visitors are anonymous and read the same pages, so a rendered Wagtail page is kept
in the shared cache and served without touching the session, the database or the
templates. Only Wagtail pages opt in (see `CachedPageMixin`); anything personal never
does. Publishing, unpublishing, moving or deleting a page, changing who may see a page
(its view restriction or an ancestor's) or a collection (a document's privacy), or changing
a document, an image or the site settings, starts a new cache generation, so stale pages —
and pages that are no longer public — vanish.

Each worker keeps the current generation for `GENERATION_REFRESH_SECONDS`, which saves
a cache round trip per request: another worker's publication is seen within a second.
A request with a query parameter no page uses is answered without the cache, so random
parameters can neither bypass it nor fill it.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from portal.core.generations import Generation

GENERATION_REFRESH_SECONDS = 1.0
GENERATION = Generation("pagecache:generation", refresh_seconds=GENERATION_REFRESH_SECONDS)
current_generation = GENERATION.current
invalidate = GENERATION.invalidate


def invalidate_on_change(created=False, **kwargs) -> None:
    # A settings row created with its defaults on first use renders exactly as before.
    if not created:
        invalidate()


def mark_cacheable(response):
    response.portal_page_cacheable = True
    return response


class CachedPageMixin:
    """Wagtail pages whose rendering is the same for every anonymous visitor."""

    def serve(self, request, *args, **kwargs):
        return mark_cacheable(super().serve(request, *args, **kwargs))


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._may_use_cache(request):
            return self.get_response(request)
        key = self._key(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if self._may_store(response):
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _may_use_cache(request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(settings.PAGE_CACHE_EXCLUDED_PREFIXES)
            and set(request.GET) <= settings.PAGE_CACHE_QUERY_PARAMETERS
        )

    @staticmethod
    def _may_store(response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            getattr(response, "portal_page_cacheable", False)
            and response.status_code == 200
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
        )

    @staticmethod
    def _key(request) -> str:
        url = f"{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(url.encode()).hexdigest()
        return f"pagecache:{current_generation()}:{digest}"


def connect_invalidation_signals(*models) -> None:
    """Empty the page cache whenever a page is published, unpublished, moved, renamed or deleted,
    whenever a page's or a collection's view restriction is added, changed (its type, password
    or groups) or removed, and whenever a document, an image or one of `models` (e.g. the site
    settings) changes."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(invalidate, dispatch_uid=f"pagecache-{id(signal)}")
    for model in (*models, get_document_model(), get_image_model()):
        post_save.connect(invalidate_on_change, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}")
    post_delete.connect(invalidate, sender=Page, dispatch_uid="pagecache-delete-page")
    for restriction in (PageViewRestriction, CollectionViewRestriction):
        post_save.connect(invalidate, sender=restriction, dispatch_uid=f"pagecache-save-{restriction.__name__}")
        post_delete.connect(invalidate, sender=restriction, dispatch_uid=f"pagecache-delete-{restriction.__name__}")
        m2m_changed.connect(invalidate, sender=restriction.groups.through,
                            dispatch_uid=f"pagecache-groups-{restriction.__name__}")
