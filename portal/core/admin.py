"""What the kernel shows in the Wagtail admin: the audit log (审计日志, for auditors) and the SMS
record (短信记录), both under 设置 and both read-only; and the read-only permission policy the
apps use for records the admin shows but never creates, edits or deletes."""

from django.urls import path
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import AuditEvent, SmsMessage


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Records that the admin shows but never creates, edits or deletes."""

    def __init__(self, model, view_permissions):
        super().__init__(model)
        self.view_permissions = view_permissions

    def user_has_permission(self, user, action):
        if action == "view":
            return any(user.has_perm(permission) for permission in self.view_permissions)
        return False


class AuditViewSet(ModelViewSet):
    """审计日志: read and export only, for auditors; nobody edits or deletes a line."""

    model = AuditEvent
    icon = "history"
    menu_label = "审计日志"
    add_to_settings_menu = True
    url_prefix = "audit-log"
    url_namespace = "audit_log"
    list_display = ["created_at", "kind", "outcome", "username", "ip_address", "target", "detail"]
    list_filter = {"kind": ["exact"], "outcome": ["exact"], "created_at": ["date__gte", "date__lte"]}
    search_fields = ["username", "target", "detail", "ip_address"]
    list_export = ["created_at", "kind", "outcome", "username", "ip_address", "target", "detail"]
    export_filename = "审计日志"

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


class SmsOutboxViewSet(ModelViewSet):
    model = SmsMessage
    icon = "mail"
    menu_label = "短信记录"
    add_to_settings_menu = True
    url_prefix = "sms-outbox"
    url_namespace = "sms_outbox"
    list_display = ["phone_masked", "text", "status", "attempts", "next_attempt_at", "created_at"]
    list_filter = {"status": ["exact"], "created_at": ["date__gte", "date__lte"]}
    search_fields = ["text", "phone_masked"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
