"""Configuration from the environment: databases, caches, storages, production refusals."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings.env import build_caches, build_databases, build_storages, env_bool, env_int, session_engine

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"


def test_sqlite_by_default():
    databases = build_databases("/tmp/x.sqlite3", environ={})
    assert databases["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_postgresql_when_database_url_is_set():
    databases = build_databases("/tmp/x", environ={"DATABASE_URL": "postgres://u:p@db.internal:5432/portal"})
    default = databases["default"]
    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert (default["HOST"], default["NAME"], default["USER"]) == ("db.internal", "portal", "u")


def test_other_databases_are_refused():
    with pytest.raises(ImproperlyConfigured):
        build_databases("/tmp/x", environ={"DATABASE_URL": "mysql://u:p@h/db"})


def test_cache_is_redis_only_when_configured(tmp_path):
    assert build_caches({})["default"]["BACKEND"].endswith("LocMemCache")
    # Without Redis, `make run`'s server and worker share files.
    files = build_caches({}, directory=tmp_path)["default"]
    assert files["BACKEND"].endswith("FileBasedCache") and files["LOCATION"] == str(tmp_path)
    assert build_caches({"REDIS_URL": "redis://127.0.0.1:6379/1"})["default"]["BACKEND"].endswith("RedisCache")
    # The admin's constant fragments stay in each worker's own memory, whatever the shared cache.
    for caches in (build_caches({}), build_caches({}, directory=tmp_path), build_caches({"REDIS_URL": "redis://x/1"})):
        assert caches["fragments"]["BACKEND"].endswith("LocMemCache")


def test_sessions_are_read_from_redis_only_when_every_worker_shares_it():
    assert session_engine({}) == "django.contrib.sessions.backends.db"
    assert session_engine({"REDIS_URL": "redis://127.0.0.1:6379/1"}) == "django.contrib.sessions.backends.cached_db"


def test_media_on_local_disk_without_s3_settings(tmp_path):
    storages = build_storages(tmp_path / "m", tmp_path / "p", environ={})
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["private"]["BACKEND"] == "portal.core.files.storage.PrivateFileSystemStorage"
    assert storages["private"]["OPTIONS"]["location"] != storages["default"]["OPTIONS"]["location"]
    assert storages["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_media_on_s3_with_a_separate_private_bucket(tmp_path):
    environ = {
        "AWS_STORAGE_BUCKET_NAME": "portal-media",
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": "portal-private",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.cn",
    }
    storages = build_storages(tmp_path, tmp_path, environ=environ)
    private = storages["private"]["OPTIONS"]
    assert storages["default"]["BACKEND"] == storages["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storages["default"]["OPTIONS"]["bucket_name"] == "portal-media"
    assert private["bucket_name"] == "portal-private"
    assert private["default_acl"] == "private"
    assert private["querystring_auth"] is True
    assert private["querystring_expire"] <= 600
    assert private["custom_domain"] is None
    assert private["file_overwrite"] is False


def test_s3_without_a_private_bucket_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured):
        build_storages(tmp_path, tmp_path, environ={"AWS_STORAGE_BUCKET_NAME": "portal-media"})


def test_private_local_files_never_get_a_url(tmp_path):
    from portal.core.files.storage import PrivateFileSystemStorage

    with pytest.raises(NotImplementedError):
        PrivateFileSystemStorage(location=tmp_path).url("licence.png")


def test_typed_environment_values():
    assert env_bool("X", False, {"X": "true"}) is True
    assert env_int("X", 5, {}) == 5
    with pytest.raises(ImproperlyConfigured):
        env_bool("X", False, {"X": "perhaps"})
    with pytest.raises(ImproperlyConfigured):
        env_int("X", 5, {"X": "five"})


def _run_with_production_settings(args, **env):
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "FIELD_ENCRYPTION_KEY"))}
    environ.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120)


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": SECRET,
    "FIELD_ENCRYPTION_KEY": "f" * 10 + "another-long-random-key-for-fields",
    "DJANGO_ALLOWED_HOSTS": "cxjf.example.gov.cn",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "REDIS_URL", "FIELD_ENCRYPTION_KEY"])
def test_production_refuses_to_start_without_its_settings(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _run_with_production_settings(["-c", "import django; django.setup()"], **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = _run_with_production_settings(
        ["-c", "import django; django.setup()"], **{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "short"}
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("percent", ["0", "101"])
def test_a_duty_cycle_outside_1_to_100_percent_is_refused(percent):
    result = _run_with_production_settings(
        ["-c", "import django; django.setup()"], **{**PRODUCTION_ENV, "JOBS_DUTY_CYCLE": percent})
    assert result.returncode != 0 and "JOBS_DUTY_CYCLE is a percent from 1 to 100" in result.stderr


def test_production_deploy_check_is_clean():
    result = _run_with_production_settings(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_chinese_language_and_timezone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.WAGTAILADMIN_PERMITTED_LANGUAGES == [("zh-hans", "简体中文")]
