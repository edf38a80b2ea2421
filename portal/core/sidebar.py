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

The same changes start a new generation of `RIGHTS`: a staff user's permissions (the two
queries Django's ModelBackend makes on each request that asks `has_perm`, and Wagtail's page,
collection and site permissions, a query each on the admin home) and Wagtail user profile (a
query on each admin page), kept per user by `KnownRightsMiddleware`. That
generation is read from the shared cache on every request (no second of grace across workers):
a right taken away is gone on the next request, whichever worker answers it.
"""

import copy
import pickle

from django.contrib.auth.middleware import get_user
from django.utils import translation
from django.utils.functional import SimpleLazyObject, empty

from .generations import Generation

# At most this many users' sidebars are kept per worker (then the memo starts again).
MAX_ENTRIES = 500

# (generation, tag, user pk, language, variant) -> the HTML the tag printed
_known: dict[tuple[str, str, int, str, str], str] = {}
GENERATION = Generation("admin-sidebar:generation", on_new=_known.clear)
current_generation = GENERATION.current

# user pk -> (generation, {permission cache attribute: what to restore it from}, the Wagtail
# user profile: None for a user without one, UNKNOWN when not read yet)
UNKNOWN = object()
_rights: dict[int, tuple[str, dict[str, frozenset | bytes], object]] = {}
RIGHTS = Generation("admin-rights:generation", refresh_seconds=0, on_new=_rights.clear)
# Django's: sets of "app_label.codename" strings.
PERMISSION_CACHES = ("_user_perm_cache", "_group_perm_cache", "_perm_cache")
# Wagtail's permission policies': the user's Group*Permission rows with their page, collection or
# site, kept pickled so that each request gets objects of its own.
POLICY_CACHES = ("_page_permission_cache", "_collection_permission_cache", "_site_permission_cache")


def _kept(name, value) -> frozenset | bytes:
    return pickle.dumps(list(value)) if name in POLICY_CACHES else frozenset(value)


def _restored(name, kept):
    return pickle.loads(kept) if name in POLICY_CACHES else set(kept)  # noqa: S301 - pickled by _kept
PROFILE = "wagtail_userprofile"  # Django caches the reverse one-to-one here, None when missing


def invalidate(**kwargs) -> None:
    """Starts a new generation of the sidebars and of the users' rights (a signal receiver)."""
    GENERATION.invalidate()
    RIGHTS.invalidate()


def rights_token(request) -> str:
    """The generation of users' rights (`RIGHTS`) for `request`: read from the shared cache when
    the request first asks, then the same for the rest of it (each request reads it afresh; the
    user's rights, the lists' counts and the filters' choices it keys agree within a request)."""
    token = request.__dict__.get("_rights_token")
    if token is None:
        token = request._rights_token = RIGHTS.current()
    return token


def _primed(request):
    """The request's user, with its permissions and profile from the memo when this worker knows
    them for the current generation."""
    user = get_user(request)
    if user.is_authenticated and user.is_staff and not hasattr(request, "_rights_generation"):
        generation = request._rights_generation = rights_token(request)
        known = _rights.get(user.pk)
        if known and known[0] == generation:
            for name, permissions in known[1].items():
                setattr(user, name, _restored(name, permissions))
            if known[2] is not UNKNOWN:
                profile = copy.copy(known[2])
                if profile is not None:
                    profile._state.fields_cache["user"] = user
                user._state.fields_cache[PROFILE] = profile
    return user


def _remember(request) -> None:
    """Keeps what the request learnt of its user's permissions and profile, under the generation
    current when the request began (a change during the request starts a newer one)."""
    lazy = request.__dict__.get("user")
    generation = getattr(request, "_rights_generation", None)
    if generation is None or not isinstance(lazy, SimpleLazyObject) or lazy._wrapped is empty:
        return
    user = lazy._wrapped
    permissions = {name: _kept(name, getattr(user, name)) for name in (*PERMISSION_CACHES, *POLICY_CACHES)
                   if hasattr(user, name)}
    profile = user._state.fields_cache.get(PROFILE, UNKNOWN)
    known = _rights.get(user.pk)
    if known and known[0] == generation:
        if known[1].keys() >= permissions.keys() and (profile is UNKNOWN or known[2] is not UNKNOWN):
            return
        permissions = {**known[1], **permissions}
        profile = known[2] if profile is UNKNOWN else profile
    if profile is not UNKNOWN and profile is not None:
        profile = copy.copy(profile)
        profile._state.fields_cache = {}  # not the request's user object
    if len(_rights) >= MAX_ENTRIES:
        _rights.clear()
    _rights[user.pk] = (generation, permissions, profile)


class KnownRightsMiddleware:
    """After AuthenticationMiddleware: a staff user's permissions and Wagtail profile come from
    this worker's memo (`_rights`) when nothing they depend on changed since they were read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(lambda: _primed(request))
        response = self.get_response(request)
        _remember(request)
        return response


def _remembered(context, name: str, user_pk, build, variant: str):
    key = (current_generation(), name, user_pk, translation.get_language(), variant)
    value = _known.get(key)
    if value is None:
        value = build(context)
        if len(_known) >= MAX_ENTRIES:
            _known.clear()
        _known[key] = value
    return value


def per_user(context, name: str, build, variant: str = "") -> str:
    """What `build(context)` (a Wagtail tag) prints for the request of `context`: built the
    first time for this user, language, `variant` and generation, taken from the memo after
    that. `name` tells the tags apart; `variant` is anything else the output depends on."""
    return _remembered(context, name, context["request"].user.pk, build, variant)


def shared(context, name: str, build, variant: str = ""):
    """`build(context)` for the language, `variant` and generation, the same for every user (the
    caller puts in `variant` all that it depends on); built once, then from the memo."""
    return _remembered(context, name, None, build, variant)


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
        Locale,
        Page,
        Site,
    )
    from wagtail.signals import page_published, page_unpublished, post_page_move
    from wagtail.users.models import UserProfile

    User = get_user_model()
    post_save.connect(invalidate_user, sender=User, dispatch_uid="sidebar-save-user")
    post_delete.connect(invalidate, sender=User, dispatch_uid="sidebar-delete-user")
    for model in (UserProfile, Group, Permission, GroupPagePermission, GroupCollectionPermission,
                  GroupSitePermission, Collection, Site, Page, Locale):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"sidebar-save-{model.__name__}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"sidebar-delete-{model.__name__}")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(invalidate, sender=through, dispatch_uid=f"sidebar-m2m-{through.__name__}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate, dispatch_uid=f"sidebar-{id(signal)}")
