"""Pages shown to a logged-in person carry personal data (an enterprise's filings, a
reviewer's queue): no browser or proxy may keep a copy (SECURITY.md, Cache-Control)."""

from django.utils.cache import patch_cache_control


class PersonalPagesNoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response
