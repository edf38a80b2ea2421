from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Bank


class BankViewSet(SnippetViewSet):
    model = Bank
    icon = "home"
    menu_label = "银行"
    menu_name = "banks"
    add_to_admin_menu = True
    menu_order = 230
    list_display = ["name", "contact_phone", "staff_group"]
    search_fields = ["name"]


register_snippet(BankViewSet)
