"""The one review machinery of every filing type (基本信息 now, 积分数据 later).

Transitions are enforced here, on the server, whatever a form posts: only the owner saves
and submits, only a reviewer with the filing type's permission approves or returns, nobody
reviews their own filing, a return needs a reason, a submitted filing is locked until it is
decided. Each transition locks the filing's row, so two reviewers acting at once cannot
both win, and writes an append-only event. The last approved version stays in force (as
`approved_snapshot`) while a newer one is edited or reviewed. Each decision is notified.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from . import audit
from .models import FilingEvent, FilingStatus
from .notifications import notify

S = FilingStatus
EDITABLE = frozenset({S.NOT_FILED, S.DRAFT, S.RETURNED, S.APPROVED})


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    allowed_from: frozenset
    to_status: str
    by_reviewer: bool


SAVE = Action("save", "暂存", EDITABLE, S.DRAFT, by_reviewer=False)
SUBMIT = Action("submit", "提交", EDITABLE, S.SUBMITTED, by_reviewer=False)
APPROVE = Action("approve", "审核通过", frozenset({S.SUBMITTED}), S.APPROVED, by_reviewer=True)
RETURN = Action("return", "退回修改", frozenset({S.SUBMITTED}), S.RETURNED, by_reviewer=True)
# An approved filing sent back for correction, e.g. after an objection during 公示: the approved
# version stays in force until the corrected one is approved.
REOPEN = Action("reopen", "退回更正", frozenset({S.APPROVED}), S.RETURNED, by_reviewer=True)


class TransitionError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _check(filing, actor, action, reason, review_permission):
    owner = filing.enterprise.user_id == actor.pk
    if action.by_reviewer:
        if not actor.has_perm(review_permission):
            raise TransitionError("您没有审核权限。")
        if owner:
            raise TransitionError("不能审核本企业自己提交的内容。")
    elif not owner:
        raise TransitionError("只有本企业可以填报和提交。")
    if filing.status not in action.allowed_from:
        if filing.status == S.SUBMITTED:
            raise TransitionError("已提交，正在等待审核，审核完成前不能修改。")
        raise TransitionError(
            f"当前状态为“{filing.get_status_display()}”，不能{action.label}，可能已被其他审核员处理。"
        )
    if action in (RETURN, REOPEN) and not reason.strip():
        raise TransitionError("退回时必须填写退回原因。")


def transition(model, pk, actor, action: Action, *, reason="", apply=None, review_permission=None,
               describe=None):
    """Move filing `pk` of `model` by `action`; `apply(filing)` writes the owner's changes first."""
    now = timezone.now()
    with transaction.atomic():
        filing = model.objects.select_for_update().select_related("enterprise").get(pk=pk)
        _check(filing, actor, action, reason, review_permission)
        if apply is not None:
            apply(filing)
        from_status = filing.status
        filing.status = action.to_status
        if action is SUBMIT:
            filing.submitted_at = now
            filing.return_reason = ""
        elif action.by_reviewer:
            filing.decided_at = now
            filing.return_reason = reason.strip() if action in (RETURN, REOPEN) else ""
        if action is APPROVE:
            filing.approved_snapshot = filing.snapshot()
            filing.approved_at = now
        filing.save()
        FilingEvent.objects.create(
            filing_type=ContentType.objects.get_for_model(model), filing_id=filing.pk, actor=actor,
            action=action.label, from_status=from_status, to_status=filing.status, reason=reason.strip(),
            snapshot=filing.snapshot() if action in (SUBMIT, APPROVE) else None, created_at=now,
        )
        if action is not SAVE:
            audit.record(audit.Kind.FILING, actor=actor, target=f"{model._meta.verbose_name} #{filing.pk}",
                         detail=f"{action.label}（{filing.enterprise.credit_code}）")
    if action.by_reviewer and describe is not None:
        title, link = describe(filing)
        reason_text = filing.return_reason.rstrip("。.")
        body = "审核通过。" if action is APPROVE else f"已{action.label}，原因：{reason_text}。请修改后重新提交。"
        notify(filing.enterprise, title, body, link)
    return filing
