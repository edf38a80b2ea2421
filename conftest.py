"""Fixtures shared by every app's tests: the portal's page tree and article factories; the
Hypothesis profile."""

import os

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from home.tests.factories import build_site_tree

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
    # The page cache and Wagtail's site-root cache must not leak between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_tree(db):
    return build_site_tree()
