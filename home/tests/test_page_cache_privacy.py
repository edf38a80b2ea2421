"""The page cache never serves what is no longer public (../shared/cases/page_cache_privacy_steps.txt,
copied to tests/cases/): at the production setting (PAGE_CACHE_SECONDS=600), a view
restriction on the page or an ancestor, a change of its groups, its removal, an unpublish,
a move, a delete and a collection's privacy each clear the cached pages."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from home import cache as page_cache
from home.tests.factories import make_document, make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production_page_cache")]

CASE = Path(__file__).resolve().parents[2] / "tests" / "cases" / "page_cache_privacy_steps.txt"


@pytest.fixture
def production_page_cache():
    assert "PAGE_CACHE_SECONDS=600" in CASE.read_text(encoding="utf-8")
    with override_settings(PAGE_CACHE_SECONDS=600):
        yield


def cached_notice(client, site_tree, django_assert_num_queries):
    notice = make_notice(site_tree, title="2026年度基本信息审核情况")
    url = notice.url
    assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200  # step 1: now served from the cache
    return notice, url


def assert_sent_to_login(response):
    assert response.status_code == 302 and "/_util/login/?next=" in response["Location"]


def test_case_steps_login_restriction_on_a_cached_page(client, site_tree, django_assert_num_queries):
    notice, url = cached_notice(client, site_tree, django_assert_num_queries)
    PageViewRestriction.objects.create(page=notice, restriction_type=PageViewRestriction.LOGIN)  # step 2
    assert_sent_to_login(client.get(url))  # step 3


def test_a_restriction_on_an_ancestor_clears_the_cache(client, site_tree, django_assert_num_queries):
    _, url = cached_notice(client, site_tree, django_assert_num_queries)
    PageViewRestriction.objects.create(page=site_tree.notices, restriction_type=PageViewRestriction.LOGIN)
    assert_sent_to_login(client.get(url))


def test_restricting_to_groups_and_changing_the_groups_clear_the_cache(client, site_tree, django_assert_num_queries):
    notice, url = cached_notice(client, site_tree, django_assert_num_queries)
    restriction = PageViewRestriction.objects.create(page=notice, restriction_type=PageViewRestriction.GROUPS)
    assert_sent_to_login(client.get(url))
    before = page_cache.current_generation()
    restriction.groups.add(Group.objects.create(name="只读组"))
    assert page_cache.current_generation() != before


def test_removing_a_restriction_clears_the_cache(client, site_tree, django_assert_num_queries):
    notice, url = cached_notice(client, site_tree, django_assert_num_queries)
    restriction = PageViewRestriction.objects.create(page=notice, restriction_type=PageViewRestriction.LOGIN)
    assert_sent_to_login(client.get(url))
    assert_sent_to_login(client.get(url))  # a redirect is never cached
    restriction.delete()
    assert client.get(url).status_code == 200


def test_unpublishing_a_cached_page_clears_it(client, site_tree, django_assert_num_queries):
    notice, url = cached_notice(client, site_tree, django_assert_num_queries)
    notice.unpublish()
    assert client.get(url).status_code == 404


def test_moving_a_cached_page_clears_its_old_address(client, site_tree, django_assert_num_queries):
    notice, url = cached_notice(client, site_tree, django_assert_num_queries)
    notice.move(site_tree.guides, pos="last-child")
    response = client.get(url)
    assert response.status_code == 404 or response["Location"].startswith("/guides/")


def test_deleting_a_cached_page_clears_it(client, site_tree, django_assert_num_queries):
    notice, url = cached_notice(client, site_tree, django_assert_num_queries)
    Page.objects.get(pk=notice.pk).delete()
    assert client.get(url).status_code == 404


def test_a_documents_collection_privacy_clears_the_pages_that_link_it(client, site_tree):
    collection = Collection.get_first_root_node().add_child(name="内部材料")
    document = make_document()
    document.collection = collection
    document.save()
    notice = make_notice(site_tree, title="附件通知", attachments=[document])
    client.get(notice.url)
    before = page_cache.current_generation()
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    assert page_cache.current_generation() != before
