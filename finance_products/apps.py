from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save

from portal.core.roles import CONTENT_EDITOR, SCORING_ADMIN


class FinanceProductsConfig(AppConfig):
    name = "finance_products"
    verbose_name = "金融超市"
    # Editors keep the list of banks; scoring admins see every bank's 申请统计 (counts and sums).
    role_permissions = {
        CONTENT_EDITOR: ["finance_products.add_bank", "finance_products.change_bank", "finance_products.view_bank"],
        SCORING_ADMIN: ["finance_products.view_all_totals"],
    }
    # Applications need the scoring demo's published (final) result, so they come after it.
    demo_builders = {40: "finance_products.demo.build", 60: "finance_products.demo.build_applications"}

    def ready(self):
        from enterprise_business.filings.selectors import renew_home
        from home import cache as page_cache
        from portal.core.generations import on_change

        from . import access
        from .models import Bank, BankSectionPage, LoanApplication

        # Every product card shows its bank: a bank's new name or logo empties the page cache.
        page_cache.connect_invalidation_signals(Bank)
        # /enterprise/ lists an enterprise's latest applications (enterprise_business HOME).
        on_change(renew_home, LoanApplication, uid="home")

        post_save.connect(
            lambda instance, **kw: access.staff_group_for(instance),
            sender=Bank,
            dispatch_uid="bank-staff-group",
            weak=False,
        )
        post_save.connect(
            lambda instance, **kw: access.grant_section(instance),
            sender=BankSectionPage,
            dispatch_uid="bank-section-permissions",
            weak=False,
        )
        # A change of a bank group's rights in `access` reaches existing banks on the next migrate.
        post_migrate.connect(access.ensure_bank_groups, sender=self, dispatch_uid="bank-groups")
