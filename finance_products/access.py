"""Each bank's staff group, and its right to edit only that bank's section of the market."""

from django.contrib.auth.models import Group, Permission

from enterprise_business import roles

SECTION_PERMISSIONS = ("add_page", "change_page", "publish_page")


def staff_group_for(bank) -> Group:
    if bank.staff_group_id is None:
        group, _ = Group.objects.get_or_create(name=f"{roles.BANK_STAFF}·{bank.name}")
        group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
        type(bank).objects.filter(pk=bank.pk).update(staff_group=group)
        bank.staff_group = group
    return bank.staff_group


def grant_section(section) -> None:
    from wagtail.models import GroupPagePermission

    group = staff_group_for(section.bank)
    for codename in SECTION_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=section.page_ptr,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
