"""Every public page renders in a bounded number of queries, however much content there is.

The page cache is cleared before each request (autouse fixture), so these count the
queries of a real render, not of a cache hit.
"""

import pytest
from django.core.cache import cache

from home.tests.factories import make_document, make_guide, make_notice, make_policy
from portal.core import generations

pytestmark = pytest.mark.django_db

HOME_MAX = 10
PAGE_MAX = 12


def _fill(tree, count):
    document = make_document()
    for n in range(count):
        make_notice(tree, days_ago=n, attachments=[document])
        make_policy(tree, days_ago=n, attachments=[document])
        make_guide(tree, days_ago=n)


def _count(client, url, captured):
    cache.clear()
    generations.forget_all()  # and the worker's copies of them, as conftest does
    with captured() as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url,limit", [
    ("/", HOME_MAX),
    ("/notices/", PAGE_MAX),
    ("/policies/", PAGE_MAX),
    ("/guides/", PAGE_MAX),
    ("/notices/?page=2", PAGE_MAX),
    ("/search/?q=测试", PAGE_MAX),
])
def test_listing_pages_stay_bounded_as_content_grows(client, site_tree, url, limit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def captured():
        return CaptureQueriesContext(connection)

    _fill(site_tree, 2)
    few = _count(client, url, captured)
    _fill(site_tree, 16)
    many = _count(client, url, captured)
    assert many <= limit
    assert many == few


def test_detail_pages_stay_bounded(client, site_tree, django_assert_max_num_queries):
    documents = [make_document(title=f"附件{n}") for n in range(5)]
    pages = [
        make_notice(site_tree, attachments=documents),
        make_policy(site_tree, attachments=documents),
        make_guide(site_tree, attachments=documents),
    ]
    for page in pages:
        cache.clear()
        generations.forget_all()
        with django_assert_max_num_queries(PAGE_MAX):
            assert client.get(page.url).status_code == 200
