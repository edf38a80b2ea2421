from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import AuditViewSet, ReadOnlyPolicy, SmsOutboxViewSet
from .jobs.admin import JobPolicy, JobViewSet
from .models import AuditEvent, Job, SmsMessage

register_permission_policy(SmsMessage, ReadOnlyPolicy(SmsMessage, ["core.view_smsmessage"]))
register_permission_policy(Job, JobPolicy(Job))
register_permission_policy(AuditEvent, ReadOnlyPolicy(AuditEvent, ["core.audit_auditevent"]))


@hooks.register("register_admin_viewset")
def register_sms_outbox():
    return SmsOutboxViewSet()


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditViewSet()


@hooks.register("register_admin_viewset")
def register_jobs():
    return JobViewSet()
