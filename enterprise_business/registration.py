"""Registration and its review: the only code that changes an enterprise's review state.

Each change is one transaction that locks the registration row, so two reviewers acting
at once cannot both decide; the SMS goes out after the commit.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import audit
from .models import Enterprise, RegistrationReview, User
from .sms import send_sms


class ReviewError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


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
            raise ReviewError("只有未通过审核的注册可以修改后重新提交。")
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


def _decide(enterprise_pk, reviewer, status, reason=""):
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise_pk)
        if enterprise.status != Enterprise.Status.PENDING:
            raise ReviewError(f"该注册已是“{enterprise.get_status_display()}”状态，可能已被其他审核员处理。")
        if enterprise.user_id == reviewer.pk:
            raise ReviewError("不能审核自己的注册。")
        enterprise.status = status
        enterprise.reject_reason = reason
        enterprise.reviewed_at = timezone.now()
        enterprise.save(update_fields=["status", "reject_reason", "reviewed_at"])
        action = (RegistrationReview.Action.APPROVED if status == Enterprise.Status.APPROVED
                  else RegistrationReview.Action.REJECTED)
        RegistrationReview.objects.create(enterprise=enterprise, action=action, reason=reason, actor=reviewer)
        audit.record(audit.Kind.REGISTRATION_REVIEW, actor=reviewer, target=enterprise.credit_code,
                     detail=enterprise.get_status_display())
    return enterprise


def approve(enterprise_pk, reviewer) -> Enterprise:
    enterprise = _decide(enterprise_pk, reviewer, Enterprise.Status.APPROVED)
    send_sms(
        enterprise.phone, f"您的企业账号（{enterprise.credit_code}）注册申请已审核通过，现在可以登录平台办理业务。"
    )
    return enterprise


def reject(enterprise_pk, reviewer, reason: str) -> Enterprise:
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("请填写未通过原因。")
    enterprise = _decide(enterprise_pk, reviewer, Enterprise.Status.REJECTED, reason)
    send_sms(
        enterprise.phone,
        f"您的企业账号（{enterprise.credit_code}）注册申请未通过审核，原因：{reason}。请登录平台修改后重新提交。",
    )
    return enterprise
