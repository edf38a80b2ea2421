import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from home.tests.factories import make_notice

pytestmark = pytest.mark.django_db


def test_anonymous_repeat_visit_is_served_from_cache(client, site_tree, django_assert_num_queries):
    make_notice(site_tree, title="第一条通知")
    first = client.get("/")
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.content == first.content and first.templates and not second.templates  # not rendered again


def test_publishing_clears_cached_pages(client, site_tree):
    make_notice(site_tree, title="旧的通知")
    assert "新的通知" not in client.get("/").content.decode()
    make_notice(site_tree, title="新的通知")
    assert "新的通知" in client.get("/").content.decode()
    assert "新的通知" in client.get("/notices/").content.decode()


def test_unpublishing_clears_cached_pages(client, site_tree):
    notice = make_notice(site_tree, title="将要撤下的通知")
    assert "将要撤下的通知" in client.get("/").content.decode()
    notice.unpublish()
    assert "将要撤下的通知" not in client.get("/").content.decode()


def test_logged_in_visitors_are_never_served_a_cached_page(client, site_tree):
    client.get("/")
    user = get_user_model().objects.create_user("someone", password="x1234567a")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "退出" in html and "someone" in html


def _rendered_again(client, url) -> bool:
    """Whether the second visit of `url` rendered its page (a page from the cache renders no
    template; an uncached one may need no query, its parts coming from the workers' memos)."""
    client.get(url)
    return bool(client.get(url).templates)


def test_not_found_is_not_cached(client, site_tree):
    assert _rendered_again(client, "/notices/missing/")


def test_search_results_are_not_cached(client, site_tree):
    assert _rendered_again(client, "/search/?q=积分")


@override_settings(PAGE_CACHE_SECONDS=0)
def test_cache_can_be_switched_off(client, site_tree):
    assert _rendered_again(client, "/")


def test_unknown_query_parameters_neither_bypass_nor_fill_the_cache(client, site_tree, tmp_path):
    # A file-based cache keeps one file per entry, so what the requests stored can be counted.
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                               "LOCATION": str(tmp_path)}}):
        client.get("/")
        entries = sorted(tmp_path.iterdir())
        assert entries, "the home page itself is cached"
        for n in range(3):
            assert _rendered_again(client, f"/?x=random{n}")
        assert sorted(tmp_path.iterdir()) == entries


def test_pagination_pages_are_cached_separately(client, site_tree):
    for n in range(20):
        make_notice(site_tree, title=f"通知{n:02d}", days_ago=n)
    first, second = client.get("/notices/"), client.get("/notices/?page=2")
    assert first.content != second.content
    assert client.get("/notices/?page=2").content == second.content

