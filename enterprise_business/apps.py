from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EnterpriseBusinessConfig(AppConfig):
    name = "enterprise_business"
    verbose_name = "企业业务"

    def ready(self):
        from . import audit
        from .roles import ensure_staff_groups

        audit.connect()

        post_migrate.connect(ensure_staff_groups, sender=self, dispatch_uid="ensure_staff_groups")
