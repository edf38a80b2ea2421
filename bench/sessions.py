"""Logged-in sessions for `make bench`: prints "<who>\t<session key>" for each account whose
pages bench/querycounts.py lists (see LOGINS there), for run.sh to send as the `sessionid`
cookie with wrk. The sessions are made by `portal.core.sessions.session_for`.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from portal.core.sessions import session_for  # noqa: E402


def main() -> None:
    from querycounts import LOGINS, user_for  # bench/ is on sys.path when run as a script

    for who in LOGINS:
        print(f"{who}\t{session_for(user_for(who))}")


if __name__ == "__main__":
    main()
