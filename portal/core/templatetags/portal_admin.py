"""Tags of the portal's overrides of Wagtail admin templates: Wagtail's own tags, built once per
user and change (portal.core.sidebar)."""

import re

from django import template
from django.middleware.csrf import get_token
from django.utils.html import json_script
from wagtail.admin.templatetags.wagtailadmin_tags import keyboard_shortcuts_dialog, sidebar_props, wagtail_config

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


@register.simple_tag(takes_context=True)
def cached_wagtail_config(context):
    """`{{ config|json_script:"wagtail-config" }}` of Wagtail's `{% wagtail_config as config %}`:
    the same for every page of a language (the site's locales, a query, and the calendar's
    strings), but for the request's CSRF token, the user's keyboard shortcuts setting and the
    page's content locale; built once per generation (a saved locale starts one)."""
    request = context["request"]
    profile = getattr(request.user, "wagtail_userprofile", None)
    locale = context.get("locale")
    variant = (f"{profile.keyboard_shortcuts if profile else True}:"
               f"{locale.language_code if locale else ''}")
    config = dict(sidebar.shared(context, "wagtail-config", wagtail_config, variant))
    config["CSRF_TOKEN"] = get_token(request)
    return json_script(config, "wagtail-config")
