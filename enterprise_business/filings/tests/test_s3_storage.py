"""The private storage on an S3-compatible server (moto's server mode on loopback, a real
HTTP endpoint speaking the S3 API): objects stay private, the download view redirects to a
short-lived signed URL, an unsigned URL is refused."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import override_settings
from django.utils import timezone

from enterprise_business.tests.factories import make_enterprise
from portal.core.models import PrivateFile
from portal.settings.env import build_storages
from tests.processes import free_port

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% private proof\n%%EOF\n"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_private_storage(s3_endpoint, monkeypatch, tmp_path, settings):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "portal-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "portal-test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    for bucket in ("portal-media", "portal-private"):
        client.create_bucket(Bucket=bucket)
    environ = {"AWS_STORAGE_BUCKET_NAME": "portal-media", "AWS_PRIVATE_STORAGE_BUCKET_NAME": "portal-private",
               "AWS_S3_ENDPOINT_URL": s3_endpoint, "AWS_S3_REGION_NAME": "us-east-1"}
    s3 = build_storages(tmp_path, tmp_path, environ=environ)
    with override_settings(STORAGES={**settings.STORAGES, "default": s3["default"], "private": s3["private"]}):
        storage = storages["private"]
        # The model's field took its storage when the app loaded; a production process
        # configured for S3 has the S3 storage there from the start.
        monkeypatch.setattr(PrivateFile._meta.get_field("file"), "storage", storage)
        yield client, storage
    for bucket in ("portal-media", "portal-private"):
        for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])
        client.delete_bucket(Bucket=bucket)


def _proof(enterprise):
    proof = PrivateFile(owner=enterprise.user, original_name="资产负债表.pdf", size=len(PDF),
                      content_type="application/pdf", uploaded_by=enterprise.user, uploaded_at=timezone.now())
    proof.file.save("balance.pdf", ContentFile(PDF), save=False)
    proof.save()
    return proof


def test_proofs_are_stored_privately_and_an_unsigned_url_is_refused(s3_private_storage, s3_endpoint):
    client, storage = s3_private_storage
    proof = _proof(make_enterprise())
    key = proof.file.name
    assert key.startswith("proofs/") and client.get_object(Bucket="portal-private", Key=key)["Body"].read() == PDF
    assert not client.list_objects_v2(Bucket="portal-media").get("Contents")
    grants = client.get_object_acl(Bucket="portal-private", Key=key)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers
    assert requests.get(f"{s3_endpoint}/portal-private/{key}", timeout=10).status_code == 403


def test_download_redirects_to_a_signed_url_that_expires_within_minutes(client, s3_private_storage):
    enterprise = make_enterprise()
    proof = _proof(enterprise)
    client.force_login(enterprise.user)
    response = client.get(f"/enterprise/files/{proof.pk}/")
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    query = parse_qs(urlparse(signed).query)
    assert int(query["X-Amz-Expires"][0]) <= timedelta(minutes=5).total_seconds()
    fetched = requests.get(signed, timeout=10)
    assert fetched.status_code == 200 and fetched.content == PDF
    assert fetched.headers["Content-Disposition"].startswith("attachment")


def test_another_enterprise_gets_no_signed_url(client, s3_private_storage):
    proof = _proof(make_enterprise())
    client.force_login(make_enterprise().user)
    assert client.get(f"/enterprise/files/{proof.pk}/").status_code == 404
