"""What the kernel shows in the Wagtail admin: the audit log (审计日志, for auditors) and the SMS
record (短信记录), both under 设置 and both read-only; and the read-only permission policy the
apps use for records the admin shows but never creates, edits or deletes; and the screens of a
table staff load from spreadsheets (its list and its import page, over `portal.core.imports`)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views.decorators.cache import never_cache
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from . import workdays
from .imports import enqueue_import
from .jobs.exports import ExportIndexView
from .models import AuditEvent, SmsMessage


def yes_no_column(model, field_name):
    """A list column for a yes/no field: a tick or a cross, read out as 是 or 否, where Wagtail
    would print Python's True or False."""
    return BooleanColumn(field_name, label=capfirst(model._meta.get_field(field_name).verbose_name),
                         sort_key=field_name)


class ReviewAgeColumn(Column):
    """审核时限 on a review list: for a row still waiting (its status field equals `waiting`),
    the day its review is due and how many working days it has waited, marked 已超期 past
    `workdays.REVIEW_WORKDAYS` (Chinese working days: holidays and 调休 counted as the State
    Council's calendar has them); blank for a decided row."""

    cell_template_name = "core/admin/review_age_cell.html"

    def __init__(self, *, since="submitted_at", status="status", waiting="submitted"):
        super().__init__("review_age", label="审核时限")
        self.since, self.status, self.waiting = since, status, waiting

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        since = getattr(instance, self.since)
        waiting = since is not None and getattr(instance, self.status) == self.waiting
        context.update(waiting=waiting)
        if waiting:
            context.update(due=workdays.review_due(since), age=workdays.review_age(since),
                           overdue=workdays.is_overdue(since))
        return context


class RoutedName(str):
    """A URL name of a viewset that is false when the viewset does not route it, so a view
    never links to (nor reverses) an edit, delete or add view that does not exist."""

    def __new__(cls, name, viewset):
        routed = super().__new__(cls, name)
        routed.viewset = viewset
        return routed

    def __bool__(self):
        return self.rpartition(":")[2] in self.viewset.routed_names


class OnlyRoutedViews:
    """ModelViewSet mixin for viewsets whose `get_urlpatterns` leaves views out (a list that is
    only read, inspected or decided): Wagtail hands every view the names of the edit, delete,
    add, history, … views and reverses them for anyone with the model permission (the
    superuser), which raised NoReverseMatch — a 500 — on the inspect page of a run."""

    @cached_property
    def routed_names(self) -> frozenset:
        return frozenset(pattern.name for pattern in self.get_urlpatterns())

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        return {key: RoutedName(value, self) if key.endswith("_url_name") and isinstance(value, str) and value
                else value for key, value in view_kwargs.items()}


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Records that the admin shows but never creates, edits or deletes."""

    def __init__(self, model, view_permissions):
        super().__init__(model)
        self.view_permissions = view_permissions

    def user_has_permission(self, user, action):
        if action == "view":
            return any(user.has_perm(permission) for permission in self.view_permissions)
        return False


class AuditViewSet(OnlyRoutedViews, ModelViewSet):
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
    index_view_class = ExportIndexView
    list_export = ["created_at", "kind", "outcome", "username", "ip_address", "target", "detail"]
    export_filename = "审计日志"

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


class SmsOutboxViewSet(OnlyRoutedViews, ModelViewSet):
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


class ImportIndexView(IndexView):
    """A table's list with the button that opens its spreadsheet import."""

    import_permission = ""
    import_url_name = ""

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm(self.import_permission):
            buttons.append(HeaderButton("导入CSV/XLSX文件", url=reverse(self.import_url_name), icon_name="upload"))
        return buttons


class ImportViewSet(OnlyRoutedViews, ModelViewSet):
    """A table staff load from spreadsheets: its list and its import page, which hands the file
    to the workers and shows the job's page (progress, then the report)."""

    importer = None  # a TableImport subclass
    import_title = ""

    @property
    def import_permission(self):
        return f"{self.model._meta.app_label}.add_{self.model._meta.model_name}"

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            import_permission=self.import_permission, import_url_name=f"{self.url_namespace}:import", **kwargs
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("import/", self.import_view, name="import"),
        ]

    @property
    def import_view(self):
        viewset = self

        @never_cache
        def import_table(request):
            if not request.user.has_perm(viewset.import_permission):
                raise PermissionDenied
            if request.method == "POST" and request.FILES.get("file"):
                return enqueue_import(request, viewset.importer(), request.FILES["file"], viewset.import_title)
            return render(request, "core/admin/import.html", {
                "title": viewset.import_title,
                "columns": [column.header for column in viewset.importer.columns],
                "index_url": f"{viewset.url_namespace}:index",
            })

        return import_table
