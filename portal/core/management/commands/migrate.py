from django.core.management.commands.migrate import Command as DjangoMigrateCommand

from portal.core.audit import logger as audit_logger
from portal.core.logs import quiet


class Command(DjangoMigrateCommand):
    """Django's migrate. The groups and rights it sets up afterwards (roles, departments, banks)
    are written to the audit table as always, but their hundreds of log lines stay off the
    console, where they would bury migrate's own output."""

    def handle(self, *args, **options):
        with quiet(audit_logger.name):
            return super().handle(*args, **options)
