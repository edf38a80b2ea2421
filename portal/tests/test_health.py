import pytest
from django.db import OperationalError, connection
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthy_when_database_and_storages_answer(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok", "private_storage": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_unhealthy_when_the_database_is_down(client, monkeypatch):
    # The test database cannot really be stopped under the test, so its cursor fails
    # the way a dropped connection does.
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"
    assert response.json()["checks"]["storage"] == "ok"


def test_unhealthy_when_media_storage_cannot_be_written(client, tmp_path, settings):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media folder should be")
    storages = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(blocker / "media")},
    }}
    with override_settings(STORAGES=storages):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {"database": "ok", "storage": "error", "private_storage": "ok"},
    }


def test_health_leaves_no_probe_file_behind(client, settings):
    client.get("/health/")
    assert not list(settings.MEDIA_ROOT.glob("health/*"))
    assert not list(settings.PRIVATE_MEDIA_ROOT.glob("health/*"))


def test_health_only_answers_get(client):
    assert client.post("/health/").status_code == 405
