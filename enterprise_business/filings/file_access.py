"""The filings' part of the private-file rules: reviewers read proofs, and the file ids the kept
versions of filings refer to are in use (so that cleaning never removes them)."""

from portal.core.files.access import register_reader
from portal.core.files.cleanup import register_references

from .models import FilingEvent, PointsFiling


@register_reader
def reviewers_read_proofs(user, private_file) -> bool:
    """Staff who review or see points filings read every proof (they judge filings by them)."""
    return user.has_perm("enterprise_business.review_pointsfiling") or user.has_perm(
        "enterprise_business.view_pointsfiling")


def _ids_in_snapshot(snapshot) -> set[int]:
    return {value for key, value in (snapshot or {}).items() if key.endswith("_id") and isinstance(value, int)}


@register_references
def files_in_kept_versions():
    """File ids in every submitted or approved version (FilingEvent snapshots, approved versions)."""
    referenced = set()
    for snapshot in FilingEvent.objects.exclude(snapshot__isnull=True).values_list("snapshot", flat=True).iterator():
        referenced |= _ids_in_snapshot(snapshot)
    for snapshot in PointsFiling.objects.exclude(approved_snapshot__isnull=True).values_list(
            "approved_snapshot", flat=True).iterator():
        referenced |= _ids_in_snapshot(snapshot)
    return referenced
