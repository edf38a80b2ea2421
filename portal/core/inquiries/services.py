"""Asking and answering (see `models`): written once for every kind of question."""

from django.utils import timezone

from ..notifications.services import notify
from ..workflow import Step, TransitionError, decide
from .models import Inquiry

ANSWER = Step("answer", "答复", frozenset({Inquiry.Status.PENDING}), Inquiry.Status.ANSWERED)


def ask(model, *, asked_by, text: str, attachment=None, **about):
    """A new question of kind `model` (a concrete Inquiry) by `asked_by` about `about` (its
    kind's own fields); TransitionError when `text` is blank."""
    text = (text or "").strip()
    if not text:
        raise TransitionError("请填写异议内容。")
    return model.objects.create(text=text, attachment=attachment, asked_by=asked_by, **about)


def answer(queryset, pk, user, text: str):
    """Answer question `pk` among those `user` may answer (`queryset`), then tell the asker by
    消息 and SMS. Raises TransitionError for a blank answer or one already answered, and
    queryset.model.DoesNotExist when `pk` is not one of them."""
    text = (text or "").strip()
    if not text:
        raise TransitionError("请填写答复内容。")

    def apply(question):
        question.answer, question.answered_by, question.answered_at = text, user, timezone.now()

    def tell(question):
        notify(question.recipient(), question.answered_template, link=question.answer_link(), answer=question.answer,
               **question.answer_params())

    return decide(queryset, pk, ANSWER, apply=apply, notify=tell,
                  refused=lambda question, _: "该异议已答复，可能已被其他工作人员处理。")
