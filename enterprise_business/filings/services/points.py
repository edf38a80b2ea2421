"""积分数据填报 (基本数据): saving and submitting a version within the batch's dates, approving
(which puts the self-reported qualification records in force), returning and 退回更正."""

from django import forms
from django.db import transaction
from django.utils import timezone

from enterprise_business.qualifications import services as qualifications
from portal.core.workflow import TransitionError

from .. import review
from ..forms import BUSINESS_AMOUNTS, CONTACT_FIELDS, STAFF_COUNTS
from ..models import PointsFiling

REVIEW_PERMISSION = "enterprise_business.review_pointsfiling"


def _apply(form):
    def apply(filing):
        for name in (*CONTACT_FIELDS, *STAFF_COUNTS):
            setattr(filing, name, form.cleaned_data.get(name) if name in form.cleaned_data else getattr(filing, name))
        if form.torch is not None:
            # Torch figures, never what the form posted.
            for name, value in form.torch.items():
                setattr(filing, name, value)
            filing.torch_imported = True
        else:
            for name in BUSINESS_AMOUNTS:
                setattr(filing, name, form.cleaned_data.get(name))
            filing.torch_imported = False
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                setattr(filing, name, form.cleaned_data.get(name))
        if form.mode == "submit":
            filing.records_confirmed_at = timezone.now()
    return apply


def _check_dates(filing):
    if filing.is_editable_by_owner and not filing.owner_can_edit:
        batch = filing.batch
        raise TransitionError(
            f"不在本批次填报时间内（{batch.opens_on:%Y-%m-%d}至{batch.closes_on:%Y-%m-%d}），不能修改或提交。"
        )


def create(enterprise, batch) -> PointsFiling:
    """The enterprise's filing of the batch, made on its first write."""
    return PointsFiling.objects.get_or_create(enterprise=enterprise, batch=batch)[0]


def save(filing, user, form, submit=False) -> PointsFiling:
    """暂存 (or 提交 with `submit`) a valid `filings.forms.PointsForm`. Raises TransitionError
    (Chinese) outside the batch's dates, when the filing is locked or not the user's."""
    _check_dates(filing)
    if filing.pk is None:
        filing = create(filing.enterprise, filing.batch)
    return review.transition(PointsFiling, filing.pk, user, review.SUBMIT if submit else review.SAVE,
                             apply=_apply(form))


def describe(filing):
    """What a decision is about, for its notice: (name, link)."""
    return filing.batch.name, f"/enterprise/filings/{filing.batch_id}/"


def approve(pk, reviewer) -> PointsFiling:
    with transaction.atomic():
        filing = review.transition(PointsFiling, pk, reviewer, review.APPROVE, review_permission=REVIEW_PERMISSION,
                                   describe=describe)
        qualifications.apply_approval(filing)
    return filing


def send_back(pk, reviewer, reason) -> PointsFiling:
    return review.transition(PointsFiling, pk, reviewer, review.RETURN, reason=reason,
                             review_permission=REVIEW_PERMISSION, describe=describe)


def reopen(pk, reviewer, reason) -> PointsFiling:
    """退回更正: send an approved filing back for correction (its approved version still counts)."""
    return review.transition(PointsFiling, pk, reviewer, review.REOPEN, reason=reason,
                             review_permission=REVIEW_PERMISSION, describe=describe)
