from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms.workflows import WorkflowPageForm
from wagtail.models import Site
from wagtail.permissions import register_permission_policy
from wagtail.sites.views import IndexView as SiteIndexView
from wagtail.users.forms import PagePermissionsForm

from .admin import AuditViewSet, ReadOnlyPolicy, SmsOutboxViewSet
from .jobs.admin import JobPolicy, JobViewSet
from .models import AuditEvent, Job, SmsMessage


def label_what_wagtail_leaves_unlabelled() -> None:
    """Wagtail 8 heads three columns of its 站点 list with their field names in English ("Port",
    "Site name", "Root page"), and leaves the page field of its group and workflow forms without
    a label, so that Django shows "Page"; give them the translated names Wagtail has for them."""
    for column in SiteIndexView.columns:
        if column.label == capfirst(column.name.replace("_", " ")):
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)
    for form in (PagePermissionsForm, WorkflowPageForm):
        form.base_fields["page"].label = gettext_lazy("Page")


label_what_wagtail_leaves_unlabelled()

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
