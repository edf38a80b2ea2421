"""Uploads nobody will ever use: proof files stored for a form that was then abandoned (kept
across a refusal but never attached), and licence images of registrations never finished.

A proof counts as used while anything points at it: a filing's working copy, any version in
its history (the snapshots of FilingEvent and the approved version), a qualification record,
a data question or a score objection. Only files older than the signed tokens that could
still bring them back (7 days for proofs, 1 day for licences) are removed.
"""

from datetime import timedelta

from django.apps import apps
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone

from .models import FilingEvent, PointsFiling, ProofFile
from .proofs import KEPT_MAX_AGE

PENDING_LICENCE_MAX_AGE = timedelta(days=1)


def _ids_in_snapshot(snapshot) -> set[int]:
    return {value for key, value in (snapshot or {}).items() if key.endswith("_id") and isinstance(value, int)}


def referenced_proof_ids() -> set[int]:
    """Every ProofFile id something points at: foreign keys anywhere, and file ids in snapshots."""
    referenced = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is ProofFile and field.concrete:
                referenced |= set(model._default_manager.exclude(**{f"{field.name}__isnull": True})
                                  .values_list(field.attname, flat=True).distinct())
    for snapshot in FilingEvent.objects.exclude(snapshot__isnull=True).values_list("snapshot", flat=True).iterator():
        referenced |= _ids_in_snapshot(snapshot)
    for snapshot in PointsFiling.objects.exclude(approved_snapshot__isnull=True).values_list(
            "approved_snapshot", flat=True).iterator():
        referenced |= _ids_in_snapshot(snapshot)
    return referenced


def remove_orphan_proofs(now=None, dry_run=False) -> int:
    cutoff = (now or timezone.now()) - timedelta(seconds=KEPT_MAX_AGE)
    referenced = referenced_proof_ids()
    orphans = [proof for proof in ProofFile.objects.filter(uploaded_at__lt=cutoff).iterator()
               if proof.pk not in referenced]
    if not dry_run:
        for proof in orphans:
            proof.file.delete(save=False)
            proof.delete()
    return len(orphans)


def remove_abandoned_licences(now=None, dry_run=False) -> int:
    storage = storages["private"]
    cutoff = (now or timezone.now()) - PENDING_LICENCE_MAX_AGE
    try:
        _dirs, names = storage.listdir("pending")
    except FileNotFoundError:
        return 0
    stale = [f"pending/{name}" for name in names if storage.get_modified_time(f"pending/{name}") < cutoff]
    if not dry_run:
        for name in stale:
            storage.delete(name)
    return len(stale)
