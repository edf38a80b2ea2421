"""The S3 endpoint down: an upload fails with a clear message at its field, and nothing is
recorded as uploaded (no PrivateFile row, no registration). Against moto's S3 server on
loopback (as test_s3_storage.py), stopped in the middle of a test, and against a port where
nothing listens."""


import boto3
import pytest
from django.core.files.storage import storages
from django.test import override_settings

from enterprise_business.accounts.tests.test_registration import form_data
from enterprise_business.models import Enterprise, PointsFiling, User
from enterprise_business.tests.factories import approved_enterprise, complete, make_batch, pdf
from enterprise_business.tests.helpers import licence_upload
from portal.core.files.services import STORAGE_UNAVAILABLE
from portal.core.models import PrivateFile
from portal.settings.env import build_storages
from tests.processes import free_port

pytestmark = pytest.mark.django_db



@pytest.fixture
def aws_env(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "portal-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "portal-test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    # One try: botocore's retries with back-off would only make the refused connection slower.
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")


def _use_s3(endpoint, monkeypatch, tmp_path, settings, buckets=("portal-media", "portal-private")):
    environ = {"AWS_STORAGE_BUCKET_NAME": buckets[0], "AWS_PRIVATE_STORAGE_BUCKET_NAME": buckets[1],
               "AWS_S3_ENDPOINT_URL": endpoint, "AWS_S3_REGION_NAME": "us-east-1"}
    s3 = build_storages(tmp_path, tmp_path, environ=environ)
    override = override_settings(STORAGES={**settings.STORAGES, "default": s3["default"], "private": s3["private"]})
    override.enable()
    # The model's field took its storage when the app loaded (see test_s3_storage.py).
    monkeypatch.setattr(PrivateFile._meta.get_field("file"), "storage", storages["private"])
    return override


@pytest.fixture
def moto_s3(aws_env, monkeypatch, tmp_path, settings):
    """A live S3 endpoint with the two buckets; `stop()` takes it down."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    # Buckets of this test's own: moto keeps its state per process, across server instances.
    server.buckets = (f"portal-media-{port}", f"portal-private-{port}")
    for bucket in server.buckets:
        client.create_bucket(Bucket=bucket)
    override = _use_s3(endpoint, monkeypatch, tmp_path, settings, server.buckets)
    running = [True]

    def stop():
        server.stop()
        running[0] = False

    server.client, server.stop_endpoint = client, stop
    yield server
    override.disable()
    if running[0]:
        server.stop()


@pytest.fixture
def dead_s3(aws_env, monkeypatch, tmp_path, settings):
    """An S3 endpoint where nothing answers (connection refused)."""
    override = _use_s3(f"http://127.0.0.1:{free_port()}", monkeypatch, tmp_path, settings)
    yield
    override.disable()


@pytest.fixture
def owner(client):
    enterprise = approved_enterprise()
    client.force_login(enterprise.user)
    client.enterprise = enterprise
    return client


def test_a_submission_with_s3_down_says_so_at_each_file_and_records_nothing(owner, dead_s3):
    batch = make_batch()
    response = owner.post(f"/enterprise/filings/{batch.pk}/", {**complete(), "submit": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(STORAGE_UNAVAILABLE) >= 6  # each proof field says it
    assert "提交未成功" in html
    assert not PrivateFile.objects.exists()
    assert not PointsFiling.objects.filter(status="submitted").exists()


def test_the_endpoint_going_down_between_two_saves(owner, moto_s3):
    batch = make_batch()
    url = f"/enterprise/filings/{batch.pk}/"
    assert owner.post(url, {"balance_sheet": pdf("资产负债表.pdf")}).status_code == 302  # 暂存
    first = PrivateFile.objects.get()
    stored = moto_s3.client.get_object(Bucket=moto_s3.buckets[1], Key=first.file.name)["Body"].read()
    assert stored.startswith(b"%PDF")

    moto_s3.stop_endpoint()
    response = owner.post(url, {"tax_return": pdf("纳税申报表.pdf")})
    assert response.status_code == 200 and STORAGE_UNAVAILABLE in response.content.decode()
    assert list(PrivateFile.objects.all()) == [first]  # nothing recorded for the refused upload
    filing = PointsFiling.objects.get()
    assert filing.balance_sheet == first and filing.tax_return is None


def test_a_registration_with_s3_down_keeps_the_form_and_creates_no_account(client, dead_s3):
    data = form_data(client, licence=licence_upload())
    response = client.post("/accounts/register/", data)
    assert response.status_code == 200
    assert STORAGE_UNAVAILABLE in response.content.decode()
    assert not Enterprise.objects.exists() and not User.objects.filter(username=data["username"]).exists()


def test_a_proof_whose_row_cannot_be_written_leaves_no_file(owner, moto_s3, monkeypatch):
    from portal.core.files import services

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(PrivateFile, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.store(pdf(), owner.enterprise.user, owner.enterprise.user)
    assert not moto_s3.client.list_objects_v2(Bucket=moto_s3.buckets[1]).get("Contents")
