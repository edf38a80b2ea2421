"""Signing a browser context in directly, for tests about what comes after the login form."""


def log_in(context, live_server, username):
    """A session for `username` without the login form (the accounts tests cover that)."""
    from django.conf import settings

    from enterprise_business.models import User
    from portal.core.sessions import session_for

    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": session_for(User.objects.get(username=username)), "url": live_server.url}])
