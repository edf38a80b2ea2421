"""Staff roles: the Django group of each role of SPEC §1, named in one place, with the least
privilege each needs. Enterprise users belong to no group and never reach the admin.

Each app contributes the rights its own models need, as `role_permissions` on its AppConfig
({role name: ["app_label.codename", …]}); `ensure_staff_groups` runs after every `migrate`,
so a new deployment has its groups and a change of rights reaches existing ones. Groups scoped
to one department or one bank (数据负责部门·<部门>, 金融机构·<银行>) are made with `scoped_group`
by the app that owns the department or bank. (Models are imported where they are used: app
configs read the role names while Django is still loading.)
"""

from django.apps import apps

REVIEWER = "审核员"
DEPARTMENT_STAFF = "数据负责部门"
CONTENT_EDITOR = "内容编辑"
SCORING_ADMIN = "积分管理员"
BANK_STAFF = "金融机构"
AUDITOR = "审计员"

STAFF_GROUPS = (REVIEWER, DEPARTMENT_STAFF, CONTENT_EDITOR, SCORING_ADMIN, BANK_STAFF, AUDITOR)

ACCESS_ADMIN = "wagtailadmin.access_admin"

# The kernel's own models and Wagtail's: every role reaches the admin; auditors read the log.
KERNEL_PERMISSIONS = {
    AUDITOR: ["core.audit_auditevent"],
    SCORING_ADMIN: ["wagtaildocs.choose_document"],
}

# Content editors work on the whole page tree and on the documents and images it uses.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
]


def permission(dotted: str):
    """The Permission "app_label.codename"; Permission.DoesNotExist when there is none."""
    from django.contrib.auth.models import Permission

    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant(group, permissions) -> None:
    """Give `group` each of `permissions` ("app_label.codename"), keeping what it has."""
    group.permissions.add(*[permission(p) for p in permissions])


def scoped_group(role: str, name: str, permissions):
    """The Group of one department or bank, e.g. 数据负责部门·高新区科技创新局, with `permissions`."""
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name=f"{role}·{name}")
    grant(group, [ACCESS_ADMIN, *permissions])
    return group


def role_permissions() -> dict[str, list[str]]:
    """{role: permissions}: the kernel's, then what each installed app declares."""
    rights = {role: [ACCESS_ADMIN, *KERNEL_PERMISSIONS.get(role, [])] for role in STAFF_GROUPS}
    for app_config in apps.get_app_configs():
        for role, permissions in getattr(app_config, "role_permissions", {}).items():
            rights[role].extend(permissions)
    return rights


def ensure_permissions() -> None:
    """post_migrate reaches apps one by one; make sure every app's permissions exist first."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)


# Django names a model's own permissions "Can <action> <verbose name>", in English.
PERMISSION_ACTIONS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看", "choose": "选择"}


def chinese_permission_name(permission) -> str:
    """可以添加页面 for "Can add page"; a permission with a name of its own ("Publish any page")
    gets the translation the catalogues hold, or keeps its name."""
    from django.utils.translation import gettext

    action, _, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in PERMISSION_ACTIONS and model is not None and model._meta.model_name == model_name:
        return f"可以{PERMISSION_ACTIONS[action]}{model._meta.verbose_name}"
    return gettext(permission.name)


def name_permissions_in_chinese() -> None:
    """The admin's group screen lists permissions by their stored names; store them in Chinese."""
    from django.conf import settings
    from django.contrib.auth.models import Permission
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        for permission in Permission.objects.select_related("content_type"):
            name = chinese_permission_name(permission)[:255]
            if name != permission.name:
                permission.name = name
                permission.save(update_fields=["name"])


def ensure_staff_groups(**kwargs) -> None:
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    ensure_permissions()
    name_permissions_in_chinese()
    groups = {}
    for name, permissions in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        grant(group, permissions)
        groups[name] = group

    editors = groups[CONTENT_EDITOR]
    root_page = Page.get_first_root_node()
    if root_page is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors, page=root_page, permission=permission(f"wagtailcore.{codename}")
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for dotted in EDITOR_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=root_collection, permission=permission(dotted)
            )
