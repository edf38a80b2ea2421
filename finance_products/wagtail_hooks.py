"""金融超市 in the admin: one menu with the banks (content editors), the applications and their
totals (each bank's staff, for their own bank)."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import desk  # noqa: F401 - registers the programme desk's panel of applications
from .admin_views import ApplicationViewSet, TotalsViewSet, application_policy
from .models import Bank, LoanApplication

register_permission_policy(LoanApplication, application_policy)


class BankViewSet(SnippetViewSet):
    model = Bank
    icon = "home"
    menu_label = "银行"
    menu_name = "banks"
    list_display = ["name", "contact_phone", "staff_group"]
    search_fields = ["name"]


class FinanceGroup(SnippetViewSetGroup):
    menu_label = "金融超市"
    menu_icon = "home"
    menu_name = "finance"
    menu_order = 230
    items = (BankViewSet, ApplicationViewSet, TotalsViewSet)


register_snippet(FinanceGroup)
