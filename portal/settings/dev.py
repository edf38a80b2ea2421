"""Local development: `make run`. SQLite, local media, in-memory cache, no services."""

from .base import *  # noqa: F403
from .env import env_int, env_list, env_str

DEBUG = True
# Only for this machine's development server; production refuses to start without its own key.
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or "dev-only-insecure-key-never-used-in-production"
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY") or "dev-only-field-key"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Template edits show at once while developing; set PAGE_CACHE_SECONDS to try the cache.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)
