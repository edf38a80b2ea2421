"""Reading configuration from environment variables, with parsing and checks.

Every setting that differs between a developer's machine and production comes from
the environment; these helpers turn the raw strings into typed values and refuse bad
ones with ``ImproperlyConfigured`` instead of failing later in an obscure way.
"""

import os
from collections.abc import Mapping

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "", environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(name, default).strip()


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_dict(name: str, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """`a=1,b=2` → {"a": "1", "b": "2"}; an item without `=` is refused."""
    pairs = {}
    for item in env_list(name, [], environ):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name} must be a comma-separated list of name=value, got {item!r}")
        pairs[key.strip()] = value.strip()
    return pairs


def env_required(name: str, environ: Mapping[str, str] = os.environ) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


def build_databases(sqlite_path, environ: Mapping[str, str] = os.environ) -> dict:
    """PostgreSQL (psycopg2) when DATABASE_URL is set, the embedded SQLite file otherwise."""
    url = env_str("DATABASE_URL", environ=environ)
    if not url:
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": sqlite_path,
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            }
        }
    config = dj_database_url.parse(
        url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, environ),
        conn_health_checks=True,
    )
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point to a PostgreSQL database.")
    return {"default": config}


# Each worker's own memory, for template fragments that are the same for every request of a
# language until the next deploy (`{% cache None … using="fragments" %}`: the admin's scripts).
FRAGMENTS = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}


def build_caches(environ: Mapping[str, str] = os.environ, directory=None) -> dict:
    """Redis when REDIS_URL is set (shared by every worker); without it, files in `directory`
    (`make run`: the development server and its background worker share them, so that what a
    job changes — an import, a run — reaches the counts and figures the server keeps), or the
    process's memory when no directory is given. Always beside it: `fragments` (FRAGMENTS)."""
    url = env_str("REDIS_URL", environ=environ)
    if url:
        default = {
            "BACKEND": "portal.core.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "portal", environ),
            "TIMEOUT": 300,
        }
    elif directory is not None:
        default = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(directory)}
    else:
        default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return {"default": default, "fragments": FRAGMENTS}


def session_engine(environ: Mapping[str, str] = os.environ) -> str:
    """Django's cached_db sessions when REDIS_URL is set (the cache every worker shares), its
    database sessions otherwise (see SESSION_ENGINE in base.py)."""
    if env_str("REDIS_URL", environ=environ):
        return "django.contrib.sessions.backends.cached_db"
    return "django.contrib.sessions.backends.db"


def build_storages(media_root, private_root, environ: Mapping[str, str] = os.environ) -> dict:
    """Public media, private enterprise uploads and static files.

    Local disk unless AWS_STORAGE_BUCKET_NAME is set; then both media storages go to an
    S3-compatible service. The private storage always lives apart from public media: a
    separate bucket whose objects are only reachable through short-lived signed URLs
    handed out by a view that checks permission first.
    """
    public_bucket = env_str("AWS_STORAGE_BUCKET_NAME", environ=environ)
    if public_bucket:
        private_bucket = env_str("AWS_PRIVATE_STORAGE_BUCKET_NAME", environ=environ)
        if not private_bucket or private_bucket == public_bucket:
            raise ImproperlyConfigured(
                "AWS_PRIVATE_STORAGE_BUCKET_NAME must name a bucket of its own when S3 is used."
            )
        common = {
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", environ=environ) or None,
            "region_name": env_str("AWS_S3_REGION_NAME", environ=environ) or None,
            "file_overwrite": False,
        }
        default = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": public_bucket,
                "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN", environ=environ) or None,
                "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False, environ),
            },
        }
        private = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": private_bucket,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": env_int("PRIVATE_URL_EXPIRE_SECONDS", 300, environ),
                "signature_version": "s3v4",
                "custom_domain": None,
            },
        }
    else:
        default = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media_root)},
        }
        private = {
            "BACKEND": "portal.core.files.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(private_root)},
        }
    return {
        "default": default,
        "private": private,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
