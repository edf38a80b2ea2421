"""The one decision helper of every record that people decide on: a registration (审核通过 /
未通过), a filing (提交, 审核通过, 退回修改), an objection or data question (答复) and a loan
application (受理, 审批, 放款, 未通过, 撤回). Each keeps its own statuses and steps; what they
share is written here once:

- the record's row is locked for the decision, so two staff acting at once cannot both win
  (the second is told, in Chinese, that someone else has dealt with it);
- the step is refused unless the record is in one of the statuses it starts from, and after
  any check of the caller's (who may decide, a required reason, …);
- the change, an append-only event (`log`) and the audit record are one transaction;
- the person concerned is told (`notify`) after the decision is saved.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


class TransitionError(Exception):
    """A refused step; the message is Chinese and meant for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Step:
    """A move of a record from one of `allowed_from` to `to_status`; `label` names it to people."""

    name: str
    label: str
    allowed_from: frozenset
    to_status: str


def _refused(record, step) -> str:
    return f"当前状态为“{record.get_status_display()}”，不能{step.label}，可能已被其他工作人员处理，请刷新后查看。"


def decide(queryset, pk, step: Step, *, check: Callable | None = None, apply: Callable | None = None,
           log: Callable | None = None, audit: Callable | None = None, notify: Callable | None = None,
           refused: Callable[[object, Step], str] = _refused):
    """Move record `pk` of `queryset` (which also scopes who may reach it) by `step`.

    In one transaction, with the row locked: `check(record)` may raise TransitionError;
    a record not in `step.allowed_from` is refused with `refused(record, step)`; `apply(record)`
    writes the step's own fields; the status is set and saved; `log(record, previous_status)`
    writes the append-only event and `audit(record)` the audit record. Then `notify(record)`.
    Returns the record; raises TransitionError, or queryset.model.DoesNotExist when `pk` is
    not in `queryset`.
    """
    with transaction.atomic():
        record = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
        if record is None:
            raise queryset.model.DoesNotExist
        if check is not None:
            check(record)
        if record.status not in step.allowed_from:
            raise TransitionError(refused(record, step))
        previous = record.status
        if apply is not None:
            apply(record)
        record.status = step.to_status
        record.save()
        if log is not None:
            log(record, previous)
        if audit is not None:
            audit(record)
    if notify is not None:
        notify(record)
    return record
