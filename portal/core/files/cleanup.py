"""Uploads nobody will ever use: private files stored for a form that was then abandoned (kept
across a refusal but never attached), and licence images of registrations never finished.

A file counts as used while anything points at it: a foreign key of any model (found by
looking at every model's fields), or a reference an app registers with `register_references`
(the filings app does, for the file ids inside the versions it keeps as JSON). Only files older
than the signed tokens that could still bring them back (7 days for proofs, 1 day for licences)
are removed.
"""

from datetime import timedelta

from django.apps import apps
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone

from .forms import KEPT_MAX_AGE
from .models import PrivateFile

PENDING_LICENCE_MAX_AGE = timedelta(days=1)

_reference_providers = []


def register_references(provider):
    """Add `provider() -> iterable of PrivateFile ids` that something keeps outside a foreign
    key; usable as a decorator."""
    _reference_providers.append(provider)
    return provider


def referenced_file_ids() -> set[int]:
    """Every PrivateFile id something points at: foreign keys anywhere, and registered references."""
    referenced = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is PrivateFile and field.concrete:
                referenced |= set(model._default_manager.exclude(**{f"{field.name}__isnull": True})
                                  .values_list(field.attname, flat=True).distinct())
    for provider in _reference_providers:
        referenced |= set(provider())
    return referenced


def remove_orphan_files(now=None, dry_run=False) -> int:
    cutoff = (now or timezone.now()) - timedelta(seconds=KEPT_MAX_AGE)
    referenced = referenced_file_ids()
    orphans = [private_file for private_file in PrivateFile.objects.filter(uploaded_at__lt=cutoff).iterator()
               if private_file.pk not in referenced]
    if not dry_run:
        for private_file in orphans:
            private_file.file.delete(save=False)
            private_file.delete()
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
