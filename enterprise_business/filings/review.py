"""The one review machinery of every filing type (基本信息 now, 积分数据 later).

Transitions are enforced here, on the server, whatever a form posts: only the owner saves
and submits, only a reviewer with the filing type's permission approves or returns, nobody
reviews their own filing, a return needs a reason, a submitted filing is locked until it is
decided. Each transition locks the filing's row, so two reviewers acting at once cannot
both win, and writes an append-only event. The last approved version stays in force (as
`approved_snapshot`) while a newer one is edited or reviewed. Each decision is notified.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from enterprise_business.models import FilingEvent, FilingStatus
from portal.core import audit
from portal.core.notifications.services import notify
from portal.core.workflow import Step, TransitionError, decide

S = FilingStatus
EDITABLE = frozenset({S.NOT_FILED, S.DRAFT, S.RETURNED, S.APPROVED})
REVIEW_STEPS = frozenset({"approve", "return", "reopen"})

SAVE = Step("save", "暂存", EDITABLE, S.DRAFT)
SUBMIT = Step("submit", "提交", EDITABLE, S.SUBMITTED)
APPROVE = Step("approve", "审核通过", frozenset({S.SUBMITTED}), S.APPROVED)
RETURN = Step("return", "退回修改", frozenset({S.SUBMITTED}), S.RETURNED)
# An approved filing sent back for correction, e.g. after an objection during 公示: the approved
# version stays in force until the corrected one is approved.
REOPEN = Step("reopen", "退回更正", frozenset({S.APPROVED}), S.RETURNED)


def _refused(filing, step):
    if filing.status == S.SUBMITTED:
        return "已提交，正在等待审核，审核完成前不能修改。"
    return f"当前状态为“{filing.get_status_display()}”，不能{step.label}，可能已被其他审核员处理。"


def _checks(actor, step, reason, review_permission):
    def check(filing):
        owner = filing.enterprise.user_id == actor.pk
        if step.name in REVIEW_STEPS:
            if not actor.has_perm(review_permission):
                raise TransitionError("您没有审核权限。")
            if owner:
                raise TransitionError("不能审核本企业自己提交的内容。")
        elif not owner:
            raise TransitionError("只有本企业可以填报和提交。")
        if step in (RETURN, REOPEN) and not reason.strip():
            raise TransitionError("退回时必须填写退回原因。")
    return check


def transition(model, pk, actor, step: Step, *, reason="", apply=None, review_permission=None, describe=None):
    """Move filing `pk` of `model` by `step`; `apply(filing)` writes the owner's changes first.
    `describe(filing)` gives (what was decided, its link) for the notice of a decision."""
    now = timezone.now()

    def write(filing):
        if apply is not None:
            apply(filing)
        if step is SUBMIT:
            filing.submitted_at = now
            filing.return_reason = ""
        elif step.name in REVIEW_STEPS:
            filing.decided_at = now
            filing.return_reason = reason.strip() if step in (RETURN, REOPEN) else ""
        if step in (RETURN, REOPEN):
            filing.last_returned_by = actor
        if step is APPROVE:
            filing.approved_snapshot = filing.snapshot()
            filing.approved_at = now

    def log(filing, previous):
        FilingEvent.objects.create(
            filing_type=ContentType.objects.get_for_model(model), filing_id=filing.pk, actor=actor,
            action=step.label, from_status=previous, to_status=filing.status, reason=reason.strip(),
            snapshot=filing.snapshot() if step in (SUBMIT, APPROVE) else None, created_at=now,
        )

    def record(filing):
        if step is not SAVE:
            audit.record(audit.Kind.FILING, actor=actor, target=f"{model._meta.verbose_name} #{filing.pk}",
                         detail=f"{step.label}（{filing.enterprise.credit_code}）")

    def tell(filing):
        if step.name not in REVIEW_STEPS or describe is None:
            return
        what, link = describe(filing)
        if step is APPROVE:
            notify(filing.enterprise, "filing_approved", link=link, filing=what)
        else:
            notify(filing.enterprise, "filing_reopened" if step is REOPEN else "filing_returned", link=link,
                   filing=what, reason=filing.return_reason.rstrip("。."))

    return decide(model.objects.select_related("enterprise"), pk, step,
                  check=_checks(actor, step, reason, review_permission), apply=write, log=log, audit=record,
                  notify=tell, refused=_refused)
