"""Demo staff accounts of SPEC §10. Never created in production (see load_demo_content)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import roles

# (username, password, display name, superuser, groups)
STAFF_ACCOUNTS = [
    ("admin", "admin12345", "系统管理员", True, roles.STAFF_GROUPS),
    ("reviewer", "review12345", "平台审核员", False, (roles.REVIEWER,)),
    ("editor", "editor12345", "内容编辑", False, (roles.CONTENT_EDITOR,)),
]


def build_accounts(report) -> list[tuple[str, str, str]]:
    User = get_user_model()
    made = []
    for username, password, display_name, superuser, group_names in STAFF_ACCOUNTS:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
        # The demo promises these passwords on every run, so they are reset each time.
        user.set_password(password)
        user.is_staff = True
        user.is_superuser = superuser
        user.save()
        user.groups.set(Group.objects.filter(name__in=group_names))
        if created:
            report(f"账号 {username} 已创建")
        made.append((username, password, display_name))
    return made
