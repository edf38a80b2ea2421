from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, href, label):
    """A navigation link, marked as the current section when the visitor is inside it."""
    path = context["request"].path
    current = path == href if href == "/" else path.startswith(href)
    if current:
        return format_html('<a href="{}" aria-current="page" class="is-current">{}</a>', href, label)
    return format_html('<a href="{}">{}</a>', href, label)


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """The current query string with only the page number changed (keeps ?q= on search)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
