"""Logged-in sessions for `make bench`: prints "<who>\t<session key>" for each account whose
pages bench/querycounts.py lists (see LOGINS there), for run.sh to send as the `sessionid`
cookie with wrk. The sessions are made the way `django.contrib.auth.login` leaves them,
without a password check, a captcha or django-axes in the way.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

BACKEND = "django.contrib.auth.backends.ModelBackend"


def main() -> None:
    from querycounts import LOGINS, user_for  # bench/ is on sys.path when run as a script

    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        raise SystemExit(f"sessions.py: SESSION_ENGINE is {settings.SESSION_ENGINE}, not the database")
    for who in LOGINS:
        user = user_for(who)
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        print(f"{who}\t{session.session_key}")


if __name__ == "__main__":
    main()
