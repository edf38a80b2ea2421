"""Fixtures shared by every app's tests: the portal's page tree and article factories."""

import pytest
from django.core.cache import cache

from home.tests.factories import build_site_tree


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The page cache and Wagtail's site-root cache must not leak between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_tree(db):
    return build_site_tree()
