"""Tags of the portal's overrides of Wagtail admin templates: Wagtail's own tags, built once per
user and change (portal.core.sidebar)."""

import re

from django import template
from wagtail.admin.templatetags.wagtailadmin_tags import keyboard_shortcuts_dialog, sidebar_props

from portal.core import sidebar

register = template.Library()
# Wagtail's own test for a Mac keyboard (wagtail.admin.utils.get_keyboard_key_labels_from_request).
MAC = re.compile(r"Mac|iPod|iPhone|iPad")


@register.simple_tag(takes_context=True)
def cached_sidebar_props(context):
    """Wagtail's `{% sidebar_props %}`."""
    return sidebar.per_user(context, "sidebar", sidebar_props)


@register.simple_tag(takes_context=True)
def cached_keyboard_shortcuts_dialog(context):
    """Wagtail's `{% keyboard_shortcuts_dialog %}`, whose key labels follow the browser."""
    mac = "mac" if MAC.search(context["request"].headers.get("User-Agent", "")) else ""
    return sidebar.per_user(context, "shortcuts", render_shortcuts_dialog, mac)


def render_shortcuts_dialog(context):
    """What the inclusion tag `{% keyboard_shortcuts_dialog %}` prints."""
    dialog = context.template.engine.get_template("wagtailadmin/shared/keyboard_shortcuts_dialog.html")
    return dialog.render(context.new(keyboard_shortcuts_dialog(context)))
