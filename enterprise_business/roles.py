"""Staff roles: the Django group of each role of SPEC §1, named in one place, with the
least privilege each needs. Enterprise users belong to no group and never reach the admin.

`ensure_staff_groups` runs after every `migrate`, so a new deployment has its groups and
a change of rights here reaches existing ones.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

REVIEWER = "审核员"
DEPARTMENT_STAFF = "数据负责部门"
CONTENT_EDITOR = "内容编辑"
SCORING_ADMIN = "积分管理员"
BANK_STAFF = "金融机构"
AUDITOR = "审计员"

STAFF_GROUPS = (REVIEWER, DEPARTMENT_STAFF, CONTENT_EDITOR, SCORING_ADMIN, BANK_STAFF, AUDITOR)

ACCESS_ADMIN = "wagtailadmin.access_admin"

# Model permissions per role, as "app_label.codename".
GROUP_PERMISSIONS = {
    REVIEWER: [
        ACCESS_ADMIN, "enterprise_business.view_enterprise", "enterprise_business.review_enterprise",
        "enterprise_business.view_basicinfo", "enterprise_business.review_basicinfo",
        "enterprise_business.view_registryrecord", "enterprise_business.add_registryrecord",
        "enterprise_business.view_pointsfiling", "enterprise_business.review_pointsfiling",
    ],
    DEPARTMENT_STAFF: [ACCESS_ADMIN],
    CONTENT_EDITOR: [
        ACCESS_ADMIN, "home.change_portalsettings", "finance_products.add_bank", "finance_products.change_bank",
        "finance_products.view_bank",
    ],
    SCORING_ADMIN: [
        ACCESS_ADMIN, "enterprise_business.view_registryrecord", "enterprise_business.add_registryrecord",
        "enterprise_business.view_batch", "enterprise_business.add_batch", "enterprise_business.change_batch",
        "enterprise_business.view_torchrecord", "enterprise_business.add_torchrecord",
        "enterprise_business.view_pointsfiling", "wagtaildocs.choose_document",
        "enterprise_business.view_qualificationindicator", "enterprise_business.add_qualificationindicator",
        "enterprise_business.change_qualificationindicator", "enterprise_business.view_department",
        "enterprise_business.add_department", "enterprise_business.change_department",
        "finance_products.view_all_totals",
        "scoring_engine.view_scheme", "scoring_engine.add_scheme", "scoring_engine.change_scheme",
        "scoring_engine.delete_scheme", "scoring_engine.view_calculationrun", "scoring_engine.run_calculation",
        "scoring_engine.view_enterpriseresult",
    ],
    BANK_STAFF: [ACCESS_ADMIN],
    AUDITOR: [ACCESS_ADMIN, "enterprise_business.audit_auditevent"],
}

# Each department's own group (数据负责部门·<部门>) gets these; the rows they reach are scoped
# to the department's indicators in `enterprise_business.qualifications`.
DEPARTMENT_PERMISSIONS = [
    ACCESS_ADMIN, "enterprise_business.view_qualificationrecord", "enterprise_business.add_qualificationrecord",
    "enterprise_business.change_qualificationrecord", "enterprise_business.delete_qualificationrecord",
    "enterprise_business.view_recordchange", "enterprise_business.view_dataquestion",
    "enterprise_business.change_dataquestion",
]

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


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_staff_groups(**kwargs) -> None:
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    # post_migrate reaches apps one by one; make sure every app's permissions exist first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)

    groups = {}
    for name in STAFF_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*[_permission(p) for p in GROUP_PERMISSIONS[name]])
        groups[name] = group

    from .models import Department

    for department in Department.objects.select_related("group"):
        grant_department_permissions(department.group)

    editors = groups[CONTENT_EDITOR]
    root_page = Page.get_first_root_node()
    if root_page is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors, page=root_page, permission=_permission(f"wagtailcore.{codename}")
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for dotted in EDITOR_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=root_collection, permission=_permission(dotted)
            )


def grant_department_permissions(group) -> None:
    group.permissions.add(*[_permission(p) for p in DEPARTMENT_PERMISSIONS])
