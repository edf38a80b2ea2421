"""`make run`'s settings (portal.settings.dev) on a fresh SQLite file that tests/test_make_run.py
names in MAKE_RUN_DATABASE, so that the test never touches the developer's db.sqlite3."""

import os

from portal.settings.dev import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["MAKE_RUN_DATABASE"]  # noqa: F405
