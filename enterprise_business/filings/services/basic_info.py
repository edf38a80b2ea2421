"""企业基本信息填报: saving and submitting a version, approving or returning it."""

from enterprise_business.accounts.models import Enterprise
from portal.core.generations import rows_of

from .. import review
from ..models import OWN_FIELDS, REGISTRY_FIELDS, BasicInfo

REVIEW_PERMISSION = "enterprise_business.review_basicinfo"


def _apply(cleaned, facts):
    def apply(filing):
        for name in OWN_FIELDS:
            setattr(filing, name, cleaned.get(name) or "")
        if facts is not None:
            # The registry's facts, never what the form posted.
            for name, value in facts.as_form_values().items():
                setattr(filing, name, value)
            filing.facts_self_reported = False
        else:
            for name in REGISTRY_FIELDS:
                setattr(filing, name, cleaned.get(name) or "")
            filing.facts_self_reported = True
    return apply


def describe(filing):
    """What a decision is about, for its notice: (name, link)."""
    return "企业基本信息", "/enterprise/basic-info/"


def save(filing, user, cleaned, facts, submit=False) -> BasicInfo:
    """暂存 (or 提交 with `submit`) the form's `cleaned` values; `facts` are the registry's (or None).
    Raises review.TransitionError (Chinese) when the filing is locked or not the user's."""
    if filing.pk is None:
        filing = BasicInfo.objects.get_or_create(enterprise=filing.enterprise)[0]
    return review.transition(BasicInfo, filing.pk, user, review.SUBMIT if submit else review.SAVE,
                             apply=_apply(cleaned, facts))


def approve(pk, reviewer) -> BasicInfo:
    filing = review.transition(BasicInfo, pk, reviewer, review.APPROVE, review_permission=REVIEW_PERMISSION,
                               describe=describe)
    # The approved name is how the platform names the enterprise from now on.
    Enterprise.objects.filter(pk=filing.enterprise_id).update(name=filing.name)
    rows_of(Enterprise._meta.label).invalidate()  # no post_save for update(): lists searched by name
    return filing


def send_back(pk, reviewer, reason) -> BasicInfo:
    return review.transition(BasicInfo, pk, reviewer, review.RETURN, reason=reason,
                             review_permission=REVIEW_PERMISSION, describe=describe)
