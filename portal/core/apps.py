from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save


class CoreConfig(AppConfig):
    """The platform kernel: what every domain app uses and what uses none of them (audit log,
    notifications and SMS, roles, private files, forms, identifiers, encrypted fields, the
    import and export layers, the shared workflows, demo loading)."""

    name = "portal.core"
    label = "core"
    verbose_name = "平台"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import (
            audit,
            exports,
            imports,  # noqa: F401 - registers the "imports.table" job
        )
        from .generations import on_change, renew_rows
        from .jobs import exports as export_jobs  # noqa: F401 - registers the "core.export" job
        from .notifications import sms  # noqa: F401 - registers the "sms.retry" job
        from .notifications.models import Message
        from .notifications.selectors import renew_inbox
        from .roles import ensure_staff_groups
        from .sidebar import connect as connect_sidebar
        from .text import strip_stored_controls

        audit.connect()
        connect_sidebar()
        exports.install()
        pre_save.connect(strip_stored_controls, dispatch_uid="strip_stored_controls")
        on_change(renew_inbox, Message, uid="inbox")
        post_save.connect(renew_rows, dispatch_uid="rows-save")
        post_delete.connect(renew_rows, dispatch_uid="rows-delete")
        # Each app's `jobs` module registers the kinds of background job it hands to the workers.
        autodiscover_modules("jobs")
        post_migrate.connect(ensure_staff_groups, sender=self, dispatch_uid="ensure_staff_groups")
