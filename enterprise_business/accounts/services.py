"""Registration and its review: the only code that changes an enterprise's review state.

Each change is one transaction that locks the registration row, so two reviewers acting
at once cannot both decide; the SMS goes out after the commit.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from enterprise_business.models import Enterprise, RegistrationReview, User
from portal.core import audit
from portal.core.notifications.sms import send_sms
from portal.core.workflow import Step, TransitionError, decide


def _attach_licence(enterprise, storage, pending_name):
    with storage.open(pending_name, "rb") as pending:
        enterprise.licence.save(pending_name.rsplit("/", 1)[-1], ContentFile(pending.read()), save=False)
    storage.delete(pending_name)


def register(data, storage) -> Enterprise:
    """Create the account (usable only once approved) and its registration, pending review."""
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.create_user(username=data["username"], password=data["password1"], email=data["email"])
        enterprise = Enterprise(
            user=user, credit_code=data["username"], contact_name=data["contact_name"],
            contact_id_number=data["contact_id_number"], email=data["email"], phone=data["phone"],
            consented_at=now, submitted_at=now,
        )
        _attach_licence(enterprise, storage, data["licence"])
        enterprise.save()
        RegistrationReview.objects.create(enterprise=enterprise, action=RegistrationReview.Action.SUBMITTED, actor=user)
        audit.record(audit.Kind.REGISTRATION, actor=user, target=enterprise.credit_code, detail="提交注册申请")
    return enterprise


def resubmit(enterprise, data, storage) -> Enterprise:
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if enterprise.status != Enterprise.Status.REJECTED:
            raise TransitionError("只有未通过审核的注册可以修改后重新提交。")
        for field in ("contact_name", "contact_id_number", "email", "phone"):
            setattr(enterprise, field, data[field])
        if data.get("licence"):
            old = enterprise.licence.name
            _attach_licence(enterprise, storage, data["licence"])
            enterprise.licence.storage.delete(old)
        enterprise.status = Enterprise.Status.PENDING
        enterprise.reject_reason = ""
        enterprise.submitted_at = timezone.now()
        enterprise.reviewed_at = None
        enterprise.save()
        enterprise.user.email = data["email"]
        enterprise.user.save(update_fields=["email"])
        RegistrationReview.objects.create(
            enterprise=enterprise, action=RegistrationReview.Action.RESUBMITTED, actor=enterprise.user
        )
        audit.record(audit.Kind.REGISTRATION, actor=enterprise.user, target=enterprise.credit_code,
                     detail="修改后重新提交注册申请")
    return enterprise


Status = Enterprise.Status
APPROVE = Step("approve", "审核通过", frozenset({Status.PENDING}), Status.APPROVED)
REJECT = Step("reject", "审核未通过", frozenset({Status.PENDING}), Status.REJECTED)


def _decide(enterprise_pk, reviewer, step, reason=""):
    def check(enterprise):
        if enterprise.user_id == reviewer.pk:
            raise TransitionError("不能审核自己的注册。")

    def apply(enterprise):
        enterprise.reject_reason, enterprise.reviewed_at = reason, timezone.now()

    def log(enterprise, previous):
        action = RegistrationReview.Action.APPROVED if step is APPROVE else RegistrationReview.Action.REJECTED
        RegistrationReview.objects.create(enterprise=enterprise, action=action, reason=reason, actor=reviewer)

    return decide(
        Enterprise.objects.all(), enterprise_pk, step, check=check, apply=apply, log=log,
        audit=lambda e: audit.record(audit.Kind.REGISTRATION_REVIEW, actor=reviewer, target=e.credit_code,
                                     detail=e.get_status_display()),
        refused=lambda e, _: f"该注册已是“{e.get_status_display()}”状态，可能已被其他审核员处理。",
    )


def approve(enterprise_pk, reviewer) -> Enterprise:
    enterprise = _decide(enterprise_pk, reviewer, APPROVE)
    send_sms(enterprise.phone, "registration_approved", credit_code=enterprise.credit_code)
    return enterprise


def reject(enterprise_pk, reviewer, reason: str) -> Enterprise:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError("请填写未通过原因。")
    enterprise = _decide(enterprise_pk, reviewer, REJECT, reason)
    send_sms(enterprise.phone, "registration_rejected", credit_code=enterprise.credit_code, reason=reason)
    return enterprise
