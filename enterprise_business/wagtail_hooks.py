from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from .admin_views import (
    BASIC_INFO_REVIEW,
    REVIEW_PERMISSION,
    BasicInfoViewSet,
    ReadOnlyPolicy,
    RegistrationViewSet,
    RegistryViewSet,
    SmsOutboxViewSet,
)
from .models import BasicInfo, Enterprise, RegistryRecord, SmsMessage

register_permission_policy(
    Enterprise, ReadOnlyPolicy(Enterprise, ["enterprise_business.view_enterprise", REVIEW_PERMISSION])
)
register_permission_policy(SmsMessage, ReadOnlyPolicy(SmsMessage, ["enterprise_business.view_smsmessage"]))
register_permission_policy(
    BasicInfo, ReadOnlyPolicy(BasicInfo, ["enterprise_business.view_basicinfo", BASIC_INFO_REVIEW])
)
register_permission_policy(
    RegistryRecord,
    ReadOnlyPolicy(
        RegistryRecord, ["enterprise_business.view_registryrecord", "enterprise_business.add_registryrecord"]
    ),
)


class ReviewGroup(ViewSetGroup):
    """审核: every queue a reviewer works through."""

    menu_label = "审核"
    menu_icon = "tasks"
    menu_order = 200
    items = (RegistrationViewSet, BasicInfoViewSet)


class ImportGroup(ViewSetGroup):
    """数据导入: the tables staff load from spreadsheets."""

    menu_label = "数据导入"
    menu_icon = "upload"
    menu_order = 210
    items = (RegistryViewSet,)


@hooks.register("register_admin_viewset")
def register_review_menu():
    return ReviewGroup()


@hooks.register("register_admin_viewset")
def register_import_menu():
    return ImportGroup()


@hooks.register("register_admin_viewset")
def register_sms_outbox():
    return SmsOutboxViewSet()
