"""The filings' part of the private-file rules: who of the staff reads which proof, and which
file ids the kept versions of filings refer to (so that cleaning never removes them)."""

from portal.core.files.access import register_reader
from portal.core.files.cleanup import register_references

from .models import DataQuestion, FilingEvent, PointsFiling
from .qualifications import departments_of


@register_reader
def reviewers_read_proofs(user, private_file) -> bool:
    """Staff who review or see points filings read every proof (they judge filings by them)."""
    return user.has_perm("enterprise_business.review_pointsfiling") or user.has_perm(
        "enterprise_business.view_pointsfiling")


@register_reader
def departments_read_their_questions(user, private_file) -> bool:
    """A department reads the files attached to data questions on its own indicators, no others."""
    return DataQuestion.objects.filter(attachment=private_file,
                                       indicator__department__in=departments_of(user)).exists()


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
