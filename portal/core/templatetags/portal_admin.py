"""Tags of the portal's overrides of Wagtail admin templates: Wagtail's own tags, built once per
user and change (portal.core.sidebar)."""

import hashlib
import re

from django import template
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.choices import CallableChoiceIterator
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.admin.templatetags.wagtailadmin_tags import keyboard_shortcuts_dialog, sidebar_props, wagtail_config

from portal.core import admin, sidebar
from portal.core.generations import rows_of
from portal.core.sidebar import RIGHTS

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


# How long a list's rendered filters are kept while nothing they show changes.
FILTERS_SECONDS = 3600


class WagtailFiltersNode(template.Node):
    """Wagtail's own `_filters.html` (the template of the same name after the portal's override,
    as `{% extends %}` finds it), rendered once per filter set, values, language, user and
    generation of what its choices come from, then read from the shared cache: the filters of
    a list were a fifth of its page (each field in Wagtail's field template, each choice list
    read from the database)."""

    def __init__(self, name):
        self.name = name

    def render(self, context):
        original = context.template.engine.find_template(self.name, skip=[self.origin])[0]
        filters = context.get("filters")
        key = _filters_key(filters) if filters is not None else None
        html = cache.get(key) if key else None
        if html is None:
            html = original.render(context)
            if key:
                cache.set(key, html, FILTERS_SECONDS)
        return mark_safe(html)  # noqa: S308 - HTML rendered by Wagtail's template, as it would be


def _filters_key(filters) -> str | None:
    """The cache key of a filter set's rendering: its class, each field's bound value, the
    language, the user (scoped choices) and rights, and the generation of the rows of every
    model a field's choices come from; None when a field has choices of another kind that could
    change (a callable), which are rendered every time."""
    form = filters.form
    labels = set()
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            labels.add(queryset.model._meta.label)
        elif _from_callable(getattr(field, "_choices", None)):
            return None
    request = getattr(filters, "request", None)
    user = getattr(request, "user", None)
    parts = [type(filters).__module__, type(filters).__qualname__, get_language() or "", str(getattr(user, "pk", "")),
             sidebar.rights_token(request) if request is not None else RIGHTS.current(),
             *(rows_of(label).current() for label in sorted(labels)),
             repr([(name, form[name].value()) for name in form.fields])]
    return "filters:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _from_callable(choices) -> bool:
    # django-filter's ChoiceIterator wraps the field's own choices (a list, or a callable's).
    inner = getattr(choices, "choices", choices)
    return callable(inner) or isinstance(inner, CallableChoiceIterator)


@register.simple_tag(takes_context=True)
def lean_pagination(context):
    """Wagtail's wagtailadmin/shared/pagination_nav.html for the list's page, in Python."""
    return admin.lean_pagination(context)


@register.tag
def wagtail_filters(parser, token):
    """`{% wagtail_filters %}` in the override of wagtailadmin/shared/headers/_filters.html."""
    return WagtailFiltersNode("wagtailadmin/shared/headers/_filters.html")
