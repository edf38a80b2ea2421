"""The qualifications' part of the private-file rules (proofs of self-reported records are read
by reviewers through the filings' rule)."""

from portal.core.files.access import register_reader

from .models import DataQuestion
from .selectors import departments_of


@register_reader
def departments_read_their_questions(user, private_file) -> bool:
    """A department reads the files attached to data questions on its own indicators, no others."""
    return DataQuestion.objects.filter(attachment=private_file,
                                       indicator__department__in=departments_of(user)).exists()
