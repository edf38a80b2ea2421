"""Abandoned uploads are removed; nothing that a filing, its history, a record, a question or an
objection points at is ever touched, nor anything young enough to be brought back by a token."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone

from enterprise_business.filings import selectors
from enterprise_business.filings.services import points
from enterprise_business.models import DataQuestion, QualificationIndicator
from enterprise_business.tests.factories import approved_enterprise, complete, make_batch, make_reviewer
from portal.core.files import cleanup
from portal.core.models import PrivateFile

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=8)


def proof(enterprise, name="x.pdf", when=LONG_AGO):
    item = PrivateFile(owner=enterprise.user, original_name=name, size=10, content_type="application/pdf",
                     uploaded_by=enterprise.user, uploaded_at=when)
    item.file.save(name, ContentFile(b"%PDF-1.4 x"), save=False)
    item.save()
    return item


def test_only_old_unreferenced_proofs_are_removed(client):
    enterprise = approved_enterprise()
    batch = make_batch()
    client.force_login(enterprise.user)
    client.post(f"/enterprise/filings/{batch.pk}/", {**complete(), "submit": ""})
    filing = selectors.points_filing_of(enterprise, batch)
    first_version = filing.balance_sheet
    points.send_back(filing.pk, make_reviewer(), "请更换资产负债表。")
    client.post(f"/enterprise/filings/{batch.pk}/", {**complete(), "submit": ""})
    PrivateFile.objects.update(uploaded_at=LONG_AGO)
    questioned = proof(enterprise, "异议附件.pdf")
    DataQuestion.objects.create(enterprise=enterprise, batch=batch, asked_by=enterprise.user, text="?",
                                indicator=QualificationIndicator.objects.first(), attachment=questioned)
    abandoned = proof(enterprise, "abandoned.pdf")
    recent = proof(enterprise, "recent.pdf", when=timezone.now() - timedelta(days=1))
    path = abandoned.file.name

    assert cleanup.remove_orphan_files(dry_run=True) == 1
    call_command("clean_uploads")
    assert not PrivateFile.objects.filter(pk=abandoned.pk).exists()
    assert not storages["private"].exists(path)
    assert PrivateFile.objects.filter(pk=first_version.pk).exists(), "an earlier version in the history stays"
    assert PrivateFile.objects.filter(pk__in=[questioned.pk, recent.pk]).count() == 2
    assert PrivateFile.objects.count() == 14, "both submitted versions' six proofs, the attachment, the recent one"


def test_abandoned_licences_go_after_a_day_and_not_before(settings, tmp_path):
    # A private storage of its own: other tests' unfinished registrations leave licences too.
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "portal.core.files.storage.PrivateFileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    storage = storages["private"]
    names = [storage.save(f"pending/{n}.png", ContentFile(b"\x89PNG")) for n in ("a", "b")]
    assert cleanup.remove_abandoned_licences(now=timezone.now() + timedelta(hours=23)) == 0
    assert all(storage.exists(name) for name in names)
    assert cleanup.remove_abandoned_licences(now=timezone.now() + timedelta(days=1, minutes=1)) == 2
    assert not any(storage.exists(name) for name in names)
