"""The test suite: `make test`. SQLite in memory, or PostgreSQL when DATABASE_URL is set."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .env import FRAGMENTS

SECRET_KEY = "test-only-key"
FIELD_ENCRYPTION_KEY = "test-only-field-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# A fast hash: the tests create many users and never need a slow one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A worker process started by a test shares the test's media folders (PORTAL_TEST_MEDIA).
_media = Path(os.environ.get("PORTAL_TEST_MEDIA") or tempfile.mkdtemp(prefix="portal-test-media-"))
MEDIA_ROOT = _media / "public"
PRIVATE_MEDIA_ROOT = _media / "private"
STORAGES = {  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    "private": {
        "BACKEND": "portal.core.files.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "fragments": FRAGMENTS}
# Tasks run in the enqueuing process; "database" is the real queue, for the tests that start
# `db_worker` processes (tests/test_workers.py sets JOBS_TASK_BACKEND to it).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# Static files come from the app folders during tests; no collectstatic run is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True


# A file rather than memory: the browser tests' live server threads then open connections
# of their own instead of sharing one across threads (and across Playwright's event loop).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(_media / "test-db.sqlite3")}  # noqa: F405
