"""The admin home leaves out Wagtail's page panels where they could only be empty: the workflow
panels while no workflow is active, the recently edited and locked pages for staff who may not
change, publish or lock any page. They cost about ten queries per home for nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from enterprise_business.tests.factories import make_staff
from portal.core import roles

pytestmark = pytest.mark.django_db
# The query of the 等待您审核 panel (the tasks a user may moderate), made by no other panel.
MODERATION = 'FROM "wagtailcore_task" WHERE "wagtailcore_task"."active"'


def home_queries(client, user):
    client.force_login(user)
    client.get("/admin/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode(), " ".join(query["sql"] for query in captured.captured_queries)


def test_staff_who_may_not_touch_pages_skip_the_page_panels(client):
    html, sql = home_queries(client, make_staff("r1", roles.REVIEWER))
    assert "wagtailcore_pagelogentry" not in sql and MODERATION not in sql and "wagtailcore_taskstate" not in sql


def test_an_editor_still_sees_the_pages_they_edited_and_what_is_in_moderation(client):
    editor = make_staff("ed1", roles.CONTENT_EDITOR)
    page = Page.objects.get(depth=2).specific
    page.title = "首页（编辑中）"
    page.save_revision(user=editor, log_action=True)
    html, sql = home_queries(client, editor)
    assert "wagtailcore_pagelogentry" in sql, sql
    assert "首页（编辑中）" in html  # 最近编辑
    assert MODERATION not in sql  # no workflow is active

    workflow = page.get_workflow()
    assert workflow is not None, "Wagtail's default workflow on the root page"
    workflow.start(page, editor)
    moderator = make_staff("boss", superuser=True)
    html, sql = home_queries(client, moderator)
    assert MODERATION in sql and "首页（编辑中）" in html  # 等待您审核
