"""home.routes: a logged-in visitor's page is found without walking the page tree each time,
and never by a route that a publication, a move, a rename or a restriction made stale."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from home.tests.factories import make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, site_tree):
    client.force_login(get_user_model().objects.create_user(username="member", password="Member2025x"))
    return client


def tree_walk(client, path):
    """(status, the queries that looked a page up by its slug)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    by_slug = [q["sql"] for q in captured.captured_queries if '"wagtailcore_page"."slug" =' in q["sql"]]
    return response.status_code, by_slug


def test_a_page_is_looked_up_once_then_served_from_the_memo(member, site_tree):
    notice = make_notice(site_tree, title="路由测试通知")
    status, walked = tree_walk(member, notice.url)
    assert status == 200 and walked
    status, walked = tree_walk(member, notice.url)
    assert status == 200 and walked == []
    assert "路由测试通知" in member.get(notice.url).content.decode()


def test_unpublishing_renaming_and_moving_are_seen_at_once(member, site_tree):
    notice = make_notice(site_tree)
    old_url = notice.url
    assert member.get(old_url).status_code == 200
    notice.slug = "renamed"
    notice.save_revision().publish()
    notice.refresh_from_db()
    assert notice.url == "/notices/renamed/"
    assert member.get(old_url).status_code == 404
    assert member.get(notice.url).status_code == 200
    notice.move(site_tree.policies, pos="last-child")
    notice.refresh_from_db()
    assert notice.url == "/policies/renamed/", notice.url
    moved_away = member.get("/notices/renamed/")  # Wagtail's automatic redirect, not the old route
    assert moved_away.status_code == 301 and moved_away["Location"] == "/policies/renamed/"
    assert member.get(notice.url).status_code == 200
    notice.unpublish()
    assert member.get(notice.url).status_code == 404


def test_a_missing_page_stays_missing_until_it_is_published(member, site_tree):
    assert member.get("/notices/not-yet/").status_code == 404
    notice = make_notice(site_tree)
    notice.slug = "not-yet"
    notice.save_revision().publish()
    notice.refresh_from_db()
    assert notice.url == "/notices/not-yet/" and member.get("/notices/not-yet/").status_code == 200


def test_a_restriction_still_applies_to_a_remembered_route(member, site_tree):
    notice = make_notice(site_tree)
    assert member.get(notice.url).status_code == 200
    PageViewRestriction.objects.create(page=notice, restriction_type=PageViewRestriction.PASSWORD, password="mima")
    response = member.get(notice.url)
    assert response.status_code == 200 and "password" in response.content.decode()
    assert "正文内容" not in response.content.decode()


def test_a_remembered_page_reads_its_view_restrictions_once(member, site_tree):
    notice = make_notice(site_tree)
    member.get(notice.url)
    with CaptureQueriesContext(connection) as captured:
        assert member.get(notice.url).status_code == 200
    assert not [q for q in captured.captured_queries if "wagtailcore_pageviewrestriction" in q["sql"]]
    PageViewRestriction.objects.create(page=site_tree.notices, restriction_type=PageViewRestriction.LOGIN)
    client = type(member)()  # a visitor without a session: an ancestor's new restriction applies
    response = client.get(notice.url)
    assert response.status_code == 302 and "/login/" in response["Location"]
