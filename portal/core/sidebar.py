"""The Wagtail admin's per-user furniture — the sidebar and the keyboard shortcuts dialog —
built once per user and change rather than on every admin page.

Wagtail's `{% sidebar_props %}` asks every menu item whether to show itself to the user (a
hundred permission checks, three queries for page, collection and site permissions) and
packs the menu as JSON, on every admin page: a quarter of a small admin page's time (issue
21). What it prints depends only on the user (its permissions, groups, name and avatar), on
the registered menu and on the page tree (the explorer's start page); the active item is
chosen in the browser. The keyboard shortcuts dialog depends on the user's profile and on
whether the browser is a Mac's. `per_user` keeps such output in the worker's memory per user
and language under a generation (`portal.core.generations`, re-read by each worker at most
once a second), and `connect` starts a new
generation when anything it depends on is saved or deleted: users, their profiles, groups
and their members and permissions, page, collection and site permissions, and the page tree.

A user's entry is never served to anyone else: the user's primary key is part of the key.
"""

from django.utils import translation

from .generations import Generation

# At most this many users' sidebars are kept per worker (then the memo starts again).
MAX_ENTRIES = 500

# (generation, tag, user pk, language, variant) -> the HTML the tag printed
_known: dict[tuple[str, str, int, str, str], str] = {}
GENERATION = Generation("admin-sidebar:generation", on_new=_known.clear)
current_generation = GENERATION.current
invalidate = GENERATION.invalidate


def per_user(context, name: str, build, variant: str = "") -> str:
    """What `build(context)` (a Wagtail tag) prints for the request of `context`: built the
    first time for this user, language, `variant` and generation, taken from the memo after
    that. `name` tells the tags apart; `variant` is anything else the output depends on."""
    key = (current_generation(), name, context["request"].user.pk, translation.get_language(), variant)
    html = _known.get(key)
    if html is None:
        html = build(context)
        if len(_known) >= MAX_ENTRIES:
            _known.clear()
        _known[key] = html
    return html


def invalidate_user(update_fields=None, **kwargs) -> None:
    """`invalidate` for a saved user, except the save of `last_login` at each login."""
    if not (update_fields and set(update_fields) <= {"last_login"}):
        invalidate()


def connect() -> None:
    """Starts a new generation whenever what a sidebar shows may have changed."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
        GroupSitePermission,
        Page,
        Site,
    )
    from wagtail.signals import page_published, page_unpublished, post_page_move
    from wagtail.users.models import UserProfile

    User = get_user_model()
    post_save.connect(invalidate_user, sender=User, dispatch_uid="sidebar-save-user")
    post_delete.connect(invalidate, sender=User, dispatch_uid="sidebar-delete-user")
    for model in (UserProfile, Group, Permission, GroupPagePermission, GroupCollectionPermission,
                  GroupSitePermission, Collection, Site, Page):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"sidebar-save-{model.__name__}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"sidebar-delete-{model.__name__}")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(invalidate, sender=through, dispatch_uid=f"sidebar-m2m-{through.__name__}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate, dispatch_uid=f"sidebar-{id(signal)}")
