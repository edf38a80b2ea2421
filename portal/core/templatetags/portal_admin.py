"""Tags of the portal's overrides of Wagtail admin templates."""

from django import template
from wagtail.admin.templatetags.wagtailadmin_tags import sidebar_props

from portal.core import sidebar

register = template.Library()


@register.simple_tag(takes_context=True)
def cached_sidebar_props(context):
    """Wagtail's `{% sidebar_props %}`, built once per user and change (portal.core.sidebar)."""
    return sidebar.sidebar_props(context, sidebar_props)
