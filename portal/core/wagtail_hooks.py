from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms.workflows import WorkflowPageForm
from wagtail.models import Site, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy
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


# Wagtail's own panels of the admin home, and what each lists: pages in a workflow (in progress
# or needing changes) or tasks in progress; pages the user edited or locked.
WORKFLOW_PANELS = ("workflow_objects_to_moderate", "user_objects_in_workflow_moderation")
PAGE_PANELS = ("recent_edits", "locked_pages")
PAGE_ACTIONS = ("add", "change", "publish", "bulk_delete", "lock", "unlock")


@hooks.register("construct_homepage_panels")
def leave_out_empty_page_panels(request, panels):
    """Wagtail's page panels cost about ten queries and most of the home's time even when they
    are empty, as they are for most of our staff: the two workflow panels are left out when no
    workflow is active (one query), and the recently edited and locked pages for a user who may
    not change, publish or lock any page (the permissions Wagtail has already cached)."""
    left_out = set()
    if not PagePermissionPolicy().user_has_any_permission(request.user, PAGE_ACTIONS):
        left_out.update(PAGE_PANELS)
    if not WorkflowState.objects.active().exists():
        left_out.update(WORKFLOW_PANELS)
    panels[:] = [panel for panel in panels if getattr(panel, "name", None) not in left_out]
