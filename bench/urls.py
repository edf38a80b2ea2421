"""The real site's URLs plus `/__bench__/ping`, a bare Django view: the ceiling figure.

Only the benchmark's settings use this module; the real site never has the ping view.
"""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def ping(request):
    return HttpResponse(b"ok")


# First, before Wagtail's catch-all at the end of the portal's patterns.
urlpatterns = [path("__bench__/ping", ping, name="bench-ping"), *portal_urlpatterns]
