"""portal.core.sidebar: the admin sidebar and the keyboard shortcuts dialog are built once per user
and change, never stale after a change of rights or name, and never shown to anyone but their
user."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprise_business.tests.factories import make_staff
from portal.core import roles

pytestmark = pytest.mark.django_db

PROPS = re.compile(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S)
POINTS_MENU = "积分计算"  # only a scoring admin's sidebar has it
PERMISSION_TABLES = ("wagtailcore_grouppagepermission", "wagtailcore_groupcollectionpermission",
                     "wagtailcore_groupsitepermission")


def sidebar(client, path="/admin/"):
    """(the sidebar's JSON as text, the page's queries of page, collection and site permissions)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    props = json.dumps(json.loads(PROPS.search(response.content.decode()).group(1)), ensure_ascii=False)
    return props, [q["sql"] for q in captured.captured_queries if any(t in q["sql"] for t in PERMISSION_TABLES)]


def test_the_sidebar_is_built_once_per_user(client):
    client.force_login(make_staff("reviewer1", roles.REVIEWER))
    first, queries = sidebar(client)
    assert queries
    again, queries = sidebar(client, "/admin/points/")
    assert again == first and queries == []


def test_each_user_sees_only_their_own_sidebar(client):
    reviewer = make_staff("reviewer1", roles.REVIEWER)
    scorer = make_staff("scorer1", roles.SCORING_ADMIN)
    for _ in range(2):
        client.force_login(reviewer)
        props, _ = sidebar(client)
        assert POINTS_MENU not in props and "reviewer1" in props and "scorer1" not in props
        client.force_login(scorer)
        props, _ = sidebar(client)
        assert POINTS_MENU in props and "scorer1" in props and "reviewer1" not in props


def test_a_change_of_groups_or_name_shows_on_the_next_page(client):
    reviewer = make_staff("reviewer1", roles.REVIEWER)
    client.force_login(reviewer)
    assert POINTS_MENU not in sidebar(client)[0]
    reviewer.groups.add(Group.objects.get(name=roles.SCORING_ADMIN))
    assert POINTS_MENU in sidebar(client)[0]
    reviewer.groups.remove(Group.objects.get(name=roles.SCORING_ADMIN))
    assert POINTS_MENU not in sidebar(client)[0]
    reviewer.first_name = "李审核"
    reviewer.save()
    assert "李审核" in sidebar(client)[0]


def test_a_change_of_a_groups_rights_shows_on_the_next_page(client):
    client.force_login(make_staff("reviewer1", roles.REVIEWER))
    assert POINTS_MENU not in sidebar(client)[0]
    roles.grant(Group.objects.get(name=roles.REVIEWER), ["scoring_engine.view_calculationrun"])
    assert POINTS_MENU in sidebar(client)[0]


def test_the_shortcuts_dialog_follows_the_browser(client):
    client.force_login(make_staff("reviewer1", roles.REVIEWER))
    mac, windows = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)", "Mozilla/5.0 (Windows NT 10.0; Win64)"
    for agent, command in ((mac, "⌘ + s"), (windows, "Ctrl + s"), (mac, "⌘ + s")):
        html = client.get("/admin/", HTTP_USER_AGENT=agent).content.decode()
        assert f"<kbd>{command}</kbd>" in html


def permission_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    tables = ('FROM "auth_permission"', 'FROM "wagtailusers_userprofile"')
    return response.status_code, [q["sql"] for q in captured.captured_queries
                                  if any(table in q["sql"] for table in tables)]


def test_a_staff_users_rights_are_read_once_and_never_lent_to_another(client):
    reviewer = make_staff("reviewer1", roles.REVIEWER)
    scorer = make_staff("scorer1", roles.SCORING_ADMIN)
    client.force_login(reviewer)
    status, queries = permission_queries(client, "/admin/registrations/")
    assert status == 200 and queries
    assert permission_queries(client, "/admin/registrations/") == (200, [])
    client.force_login(scorer)
    # The scorer's rights are the scorer's own: read from the database, not the reviewer's.
    status, queries = permission_queries(client, "/admin/registrations/")
    assert status == 302 and queries
    assert permission_queries(client, "/admin/scoring/runs/") == (200, [])
    client.force_login(reviewer)
    assert permission_queries(client, "/admin/scoring/runs/") == (302, [])
    assert permission_queries(client, "/admin/registrations/") == (200, [])


def test_a_right_taken_away_is_gone_on_the_next_request(client):
    reviewer = make_staff("reviewer1", roles.REVIEWER)
    client.force_login(reviewer)
    assert permission_queries(client, "/admin/registrations/")[0] == 200
    assert permission_queries(client, "/admin/registrations/") == (200, [])
    reviewer.groups.clear()
    status, queries = permission_queries(client, "/admin/registrations/")
    assert status == 302 and queries
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWER))
    assert permission_queries(client, "/admin/registrations/")[0] == 200


def test_a_new_profile_setting_shows_on_the_next_page(client):
    from wagtail.users.models import UserProfile

    reviewer = make_staff("reviewer1", roles.REVIEWER)
    client.force_login(reviewer)
    for _ in range(2):
        assert '"KEYBOARD_SHORTCUTS_ENABLED": true' in client.get("/admin/points/").content.decode()
    UserProfile.objects.update_or_create(user=reviewer, defaults={"keyboard_shortcuts": False})
    assert '"KEYBOARD_SHORTCUTS_ENABLED": false' in client.get("/admin/points/").content.decode()


def page_rights_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, [q["sql"] for q in captured.captured_queries
                      if 'FROM "wagtailcore_grouppagepermission"' in q["sql"]
                      or 'FROM "wagtailcore_groupcollectionpermission"' in q["sql"]]


def test_wagtails_page_and_collection_rights_are_read_once_and_gone_when_taken_away(client):
    from wagtail.models import GroupPagePermission

    editor = make_staff("editor1", roles.CONTENT_EDITOR)
    client.force_login(editor)
    response, queries = page_rights_queries(client, "/admin/pages/")
    assert response.status_code == 200 and queries
    response, queries = page_rights_queries(client, "/admin/pages/")
    assert response.status_code == 200 and queries == []
    GroupPagePermission.objects.filter(group__name=roles.CONTENT_EDITOR).delete()
    response, queries = page_rights_queries(client, "/admin/pages/")
    assert response.status_code == 302 and queries  # read again: no page right is left


def test_the_pages_constant_parts_are_rendered_once_per_worker_and_shown_on_every_page(client):
    from django.core.cache import caches
    from django.core.cache.utils import make_template_fragment_key

    caches["fragments"].clear()
    client.force_login(make_staff("reviewer1", roles.REVIEWER))
    first = client.get("/admin/").content.decode()
    scripts = caches["fragments"].get(make_template_fragment_key("admin-js", ["zh-hans"]))
    styles = caches["fragments"].get(make_template_fragment_key("admin-css", ["zh-hans"]))
    # What the fragments hold: Wagtail's scripts and styles, and the global CSS hook's output.
    assert "wagtailadmin/js/core.js" in scripts and "wagtailadmin/css/core.css" in styles
    assert "core/css/desk.css" in styles
    second = client.get("/admin/points/").content.decode()
    for page in (first, second):
        assert scripts in page and styles in page
        assert page.count('data-w-messages-target="template"') == 3


def test_the_rights_generation_is_read_once_per_request_and_afresh_for_the_next(rf):
    from portal.core.sidebar import RIGHTS, rights_token

    request = rf.get("/admin/")
    first = rights_token(request)
    RIGHTS.new()  # a right changes while the request runs: the request keeps what it began with
    assert rights_token(request) == first
    assert rights_token(rf.get("/admin/")) == RIGHTS.current() != first
