import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from portal.core import roles

pytestmark = pytest.mark.django_db


def test_every_staff_group_exists_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.STAFF_GROUPS)


def test_running_the_setup_again_changes_nothing():
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    roles.ensure_staff_groups()
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after


@pytest.mark.parametrize("group_name", roles.STAFF_GROUPS)
def test_each_staff_role_reaches_the_admin(client, group_name):
    user = get_user_model().objects.create_user(f"staff-{len(group_name)}", password="pw-12345678")
    user.groups.add(Group.objects.get(name=group_name))
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_a_user_without_a_staff_role_never_reaches_the_admin(client):
    user = get_user_model().objects.create_user("91210200MA0Y4L2X1K", password="pw-12345678")
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_content_editors_can_publish_pages_but_reviewers_cannot():
    User = get_user_model()
    editor = User.objects.create_user("ed", password="pw-12345678")
    editor.groups.add(Group.objects.get(name=roles.CONTENT_EDITOR))
    reviewer = User.objects.create_user("rv", password="pw-12345678")
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWER))
    home = Page.objects.get(depth=2)
    assert home.permissions_for_user(editor).can_publish()
    assert home.permissions_for_user(editor).can_add_subpage()
    assert not home.permissions_for_user(reviewer).can_edit()


def test_admin_speaks_chinese(client):
    admin = get_user_model().objects.create_superuser("boss", password="pw-12345678")
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    assert 'lang="zh-hans"' in html.lower()
    assert "控制面板" in html and "Dashboard" not in html
