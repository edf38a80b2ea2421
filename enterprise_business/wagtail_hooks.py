from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from enterprise_business.accounts.admin import REVIEW_PERMISSION, RegistrationViewSet
from enterprise_business.desk import panels as desk_panels  # noqa: F401 - registers the desk's panels
from enterprise_business.desk.admin import DeskViewSet, HomePanel, ReminderViewSet
from enterprise_business.filings.admin import (
    BASIC_INFO_REVIEW,
    POINTS_REVIEW,
    BasicInfoViewSet,
    BatchViewSet,
    PointsFilingViewSet,
)
from enterprise_business.imports.admin import RegistryViewSet, TorchViewSet
from enterprise_business.models import (
    BasicInfo,
    DataQuestion,
    Enterprise,
    PointsFiling,
    RecordChange,
    RegistryRecord,
    Reminder,
    TorchRecord,
)
from enterprise_business.qualifications.admin import (
    ChangeViewSet,
    DepartmentViewSet,
    IndicatorViewSet,
    QuestionViewSet,
    RecordViewSet,
)
from portal.core.admin import ReadOnlyPolicy

register_permission_policy(
    Enterprise, ReadOnlyPolicy(Enterprise, ["enterprise_business.view_enterprise", REVIEW_PERMISSION])
)
register_permission_policy(
    BasicInfo, ReadOnlyPolicy(BasicInfo, ["enterprise_business.view_basicinfo", BASIC_INFO_REVIEW])
)
register_permission_policy(
    PointsFiling, ReadOnlyPolicy(PointsFiling, ["enterprise_business.view_pointsfiling", POINTS_REVIEW])
)
register_permission_policy(
    TorchRecord,
    ReadOnlyPolicy(TorchRecord, ["enterprise_business.view_torchrecord", "enterprise_business.add_torchrecord"]),
)
register_permission_policy(
    RegistryRecord,
    ReadOnlyPolicy(
        RegistryRecord, ["enterprise_business.view_registryrecord", "enterprise_business.add_registryrecord"]
    ),
)

register_permission_policy(RecordChange, ReadOnlyPolicy(RecordChange, ["enterprise_business.view_recordchange"]))
register_permission_policy(Reminder, ReadOnlyPolicy(Reminder, ["enterprise_business.view_reminder"]))
register_permission_policy(DataQuestion, ReadOnlyPolicy(DataQuestion, ["enterprise_business.view_dataquestion"]))


class ReviewGroup(ViewSetGroup):
    """审核: every queue a reviewer works through."""

    menu_label = "审核"
    menu_icon = "tasks"
    menu_order = 200
    items = (RegistrationViewSet, BasicInfoViewSet, PointsFilingViewSet)


class ImportGroup(ViewSetGroup):
    """数据导入: the tables staff load from spreadsheets."""

    menu_label = "数据导入"
    menu_icon = "upload"
    menu_order = 210
    items = (RegistryViewSet, TorchViewSet)


class PointsGroup(ViewSetGroup):
    """积分: what scoring admins configure, and 统计 (the programme desk) with its reminders."""

    menu_label = "积分"
    menu_icon = "cogs"
    menu_order = 220
    items = (DeskViewSet, BatchViewSet, IndicatorViewSet, DepartmentViewSet, ReminderViewSet)


class QualificationGroup(ViewSetGroup):
    """资质数据: what a department imports, corrects and answers for."""

    menu_label = "资质数据"
    menu_icon = "table"
    menu_order = 215
    items = (RecordViewSet, QuestionViewSet, ChangeViewSet)


@hooks.register("register_admin_viewset")
def register_review_menu():
    return ReviewGroup()


@hooks.register("register_admin_viewset")
def register_import_menu():
    return ImportGroup()


@hooks.register("register_admin_viewset")
def register_qualification_menu():
    return QualificationGroup()


@hooks.register("register_admin_viewset")
def register_points_menu():
    return PointsGroup()


@hooks.register("construct_homepage_panels")
def add_programme_desk(request, panels):
    """The programme desk's panels of the current batch on the admin home (those the user may see)."""
    panels.append(HomePanel(request))


@hooks.register("insert_global_admin_css")
def programme_desk_css():
    """The desk's charts and the 已超期 mark of the review lists."""
    return format_html('<link rel="stylesheet" href="{}">', static("core/css/desk.css"))
