"""Each bank's staff group: its right to edit only that bank's section of the market, and to
see and handle only the applications made to that bank."""

from django.contrib.auth.models import Group

from portal.core import roles

SECTION_PERMISSIONS = ("add_page", "change_page", "publish_page")
# Model permissions of every bank's group; which rows they reach is `applications_for`.
BANK_PERMISSIONS = ("finance_products.view_loanapplication", "finance_products.change_loanapplication")


def staff_group_for(bank) -> Group:
    if bank.staff_group_id is None:
        group = roles.scoped_group(roles.BANK_STAFF, bank.name, BANK_PERMISSIONS)
        type(bank).objects.filter(pk=bank.pk).update(staff_group=group)
        bank.staff_group = group
    roles.grant(bank.staff_group, [roles.ACCESS_ADMIN, *BANK_PERMISSIONS])
    return bank.staff_group


def ensure_bank_groups(**kwargs) -> None:
    """After every migrate: each bank has its group, with the rights this module gives it."""
    roles.ensure_permissions()
    from .models.lending import Bank

    for bank in Bank.objects.select_related("staff_group"):
        staff_group_for(bank)


def grant_section(section) -> None:
    from wagtail.models import GroupPagePermission

    group = staff_group_for(section.bank)
    for codename in SECTION_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=section.page_ptr,
            permission=roles.permission(f"wagtailcore.{codename}"),
        )


def banks_of(user):
    """The banks whose applications `user` sees: all for a superuser, else those of their groups."""
    from .models.lending import Bank

    if not user.is_authenticated or not user.is_active:
        return Bank.objects.none()
    if user.is_superuser:
        return Bank.objects.all()
    return Bank.objects.filter(staff_group__in=user.groups.all())


def totals_scope(user):
    """The applications counted in 申请统计: every bank's for zone staff holding `view_all_totals`
    (who see only counts and sums), else the ones `user` may open."""
    from .models.lending import LoanApplication

    if user.is_active and user.has_perm("finance_products.view_all_totals"):
        return LoanApplication.objects.all()
    return applications_for(user)


def totals_banks(user):
    from .models.lending import Bank

    if user.is_active and user.has_perm("finance_products.view_all_totals"):
        return Bank.objects.all()
    return banks_of(user)


def applications_for(user):
    from .models.lending import LoanApplication

    if not (user.is_superuser or user.has_perm("finance_products.view_loanapplication")):
        return LoanApplication.objects.none()
    if user.is_superuser:
        return LoanApplication.objects.all()
    return LoanApplication.objects.filter(bank__in=banks_of(user))
