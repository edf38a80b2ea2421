"""The 30-minute idle timeout of sessions, written at most once a minute.

Django's `SESSION_SAVE_EVERY_REQUEST` rewrites the session row on every request (a committed
UPDATE per page view) only to push its expiry forward. `IdleTimeoutMiddleware` does the same
at most once every `TOUCH_SECONDS`: when the session was last written that long ago or more,
it records the time in the session (`TOUCHED_KEY`, seconds since the epoch), which marks the
session modified, and Django's SessionMiddleware then saves it with a new expiry of
SESSION_COOKIE_AGE from now and sends the cookie again. Requests in between write nothing.

The expiry is counted from the last write, which is at most TOUCH_SECONDS before the last
request: a session idle for SESSION_COOKIE_AGE (30 minutes) is always over, and one may end up
to TOUCH_SECONDS sooner — never later.
"""

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

TOUCHED_KEY = "_touched"
TOUCH_SECONDS = 60


class IdleTimeoutMiddleware:
    """Comes right after SessionMiddleware in MIDDLEWARE, so that its response step runs
    before the session is saved. Needs SESSION_SAVE_EVERY_REQUEST off (it replaces it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None:
            return response
        touched = session.get(TOUCHED_KEY, 0)
        # After loading: a session without data (a visitor, a stale or logged-out cookie) is
        # never written, as Django never saves an empty one.
        now = int(time.time())
        if not session.is_empty() and (session.modified or now - touched >= TOUCH_SECONDS):
            session[TOUCHED_KEY] = now
        return response


def session_for(user) -> str:
    """The key of a new session in which `user` is logged in, as `django.contrib.auth.login`
    leaves one (the configured session engine, the last authentication backend, the password
    hash) — without a password check, captcha or lockout in the way: for the benchmark's and
    the browser tests' sessions, never for a request."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key
