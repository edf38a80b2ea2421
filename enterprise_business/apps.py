from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save

from portal.core.roles import REVIEWER, SCORING_ADMIN


def _app(*codenames):
    return [f"enterprise_business.{codename}" for codename in codenames]


class EnterpriseBusinessConfig(AppConfig):
    name = "enterprise_business"
    verbose_name = "企业业务"

    # What each staff role may do with this app's models (portal.core.roles).
    role_permissions = {
        REVIEWER: _app("view_enterprise", "review_enterprise", "view_basicinfo", "review_basicinfo",
                       "view_registryrecord", "add_registryrecord", "view_pointsfiling", "review_pointsfiling"),
        SCORING_ADMIN: _app("view_registryrecord", "add_registryrecord", "view_batch", "add_batch", "change_batch",
                            "view_torchrecord", "add_torchrecord", "view_pointsfiling",
                            "view_qualificationindicator", "add_qualificationindicator",
                            "change_qualificationindicator", "view_department", "add_department",
                            "change_department", "view_reminder", "send_reminder"),
    }
    demo_builders = {30: "enterprise_business.demo.build"}

    def ready(self):
        from wagtail.documents import get_document_model

        # Their private-file rules register themselves on import.
        from enterprise_business.filings import file_access  # noqa: F401
        from enterprise_business.filings.selectors import BATCHES, renew_home
        from enterprise_business.models import BasicInfo, Batch, Department, IndicatorColumn, QualificationIndicator
        from enterprise_business.qualifications import file_access as qualification_files  # noqa: F401
        from enterprise_business.qualifications.selectors import CATALOGUE
        from enterprise_business.qualifications.services import (
            department_group,
            ensure_department_groups,
        )
        from portal.core.generations import on_change

        pre_save.connect(department_group, sender=Department, dispatch_uid="department-group")
        # The workers' memo of batches and their documents (filings.selectors.BATCHES).
        on_change(BATCHES.generation.invalidate, Batch, get_document_model(), uid="batches")
        # What /enterprise/ keeps of each enterprise (filings.selectors.HOME).
        on_change(renew_home, BasicInfo, uid="home")
        # …and of the qualification catalogue (qualifications.selectors.CATALOGUE).
        on_change(CATALOGUE.generation.invalidate, QualificationIndicator, IndicatorColumn, Department, uid="catalogue")
        post_migrate.connect(ensure_department_groups, sender=self, dispatch_uid="department-groups")
