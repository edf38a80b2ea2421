"""Fixtures shared by every app's tests: the portal's page tree and article factories; the
Hypothesis profile."""

import os

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from home.tests.factories import build_site_tree
from portal.core import generations

# No per-example deadline and no "too slow" health check, on a developer's machine as in CI
# (where Hypothesis's own "ci" profile, derandomised, is the parent): on a loaded two-core
# machine a slow example is not a failing one.
hypothesis_settings.register_profile(
    "portal", hypothesis_settings.get_profile("ci" if os.environ.get("CI") else "default"),
    deadline=None, suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.load_profile("portal")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The page cache, Wagtail's site-root cache and the worker's memos under a generation (of
    # sites and settings, sidebars, batches: portal.core.generations) and its copies of the
    # generations, whose rows and users are rolled back with each test, must not leak between tests.
    cache.clear()
    generations.forget_all()
    yield
    cache.clear()
    generations.forget_all()


@pytest.fixture
def site_tree(db):
    return build_site_tree()


@pytest.fixture
def post_job(client, django_capture_on_commit_callbacks):
    """POST to a screen that hands work to the workers, let the job run (in this process, as the
    tests' task backend does once the request's transaction commits), and return the job's page."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        assert response.status_code == 302 and "/admin/jobs/" in response.url, response
        return client.get(response.url)

    return post
