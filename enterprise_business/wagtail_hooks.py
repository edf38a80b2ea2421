from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from .admin_views import REVIEW_PERMISSION, ReadOnlyPolicy, RegistrationViewSet, SmsOutboxViewSet
from .models import Enterprise, SmsMessage

register_permission_policy(
    Enterprise, ReadOnlyPolicy(Enterprise, ["enterprise_business.view_enterprise", REVIEW_PERMISSION])
)
register_permission_policy(SmsMessage, ReadOnlyPolicy(SmsMessage, ["enterprise_business.view_smsmessage"]))


class ReviewGroup(ViewSetGroup):
    """审核: every queue a reviewer works through."""

    menu_label = "审核"
    menu_icon = "tasks"
    menu_order = 200
    items = (RegistrationViewSet,)


@hooks.register("register_admin_viewset")
def register_review_menu():
    return ReviewGroup()


@hooks.register("register_admin_viewset")
def register_sms_outbox():
    return SmsOutboxViewSet()
