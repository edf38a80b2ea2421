"""home.sites: the request's Wagtail site and 门户设置 come from the worker's memory, never stale
after a change, and never shared between requests."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.models import PortalSettings
from home.sites import SiteSettingsMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, site_tree):
    """A logged-in visitor: every page is rendered for them, never taken from the page cache."""
    client.force_login(get_user_model().objects.create_user(username="member", password="Member2025x"))
    return client


def site_queries(client, path="/"):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    tables = ("wagtailcore_site", "home_portalsettings")
    queries = [q["sql"] for q in captured.captured_queries if any(table in q["sql"] for table in tables)]
    return response.content.decode(), queries


def test_the_site_and_its_settings_are_read_once_per_change(member):
    site_queries(member)
    html, queries = site_queries(member)
    assert queries == []
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.platform_name = "高新区创新积分平台（测试）"
    settings.save()
    html, queries = site_queries(member)
    assert "高新区创新积分平台（测试）" in html and queries


def test_a_changed_site_is_looked_up_again(member):
    site_queries(member)
    site = Site.objects.get(is_default_site=True)
    site.site_name = "改名后的站点"
    site.save()
    assert site_queries(member)[1]


def test_each_request_gets_copies_of_its_own(site_tree):
    seen = []
    middleware = SiteSettingsMiddleware(lambda request: seen.append(request) or None)
    for _ in range(2):
        middleware(RequestFactory().get("/", HTTP_HOST="localhost"))
    first, second = seen
    first_settings = getattr(first, PortalSettings.get_cache_attr_name())
    second_settings = getattr(second, PortalSettings.get_cache_attr_name())
    assert first._wagtail_site.pk == second._wagtail_site.pk and first_settings.pk == second_settings.pk
    assert first._wagtail_site is not second._wagtail_site and first_settings is not second_settings
    assert first_settings._request is first and second_settings._request is second


def test_a_host_django_refuses_is_not_remembered(site_tree):
    seen = []
    SiteSettingsMiddleware(lambda request: seen.append(request) or None)(
        RequestFactory().get("/", HTTP_HOST="evil.example"))
    assert not hasattr(seen[0], "_wagtail_site")
