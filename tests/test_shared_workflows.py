"""Each shared workflow of the kernel, through every one of its uses.

- Ask and answer (`portal.core.inquiries`): a 数据异议 and a 积分异议 are asked by the enterprise,
  answered by staff on their own admin screen, the enterprise is told, and a second answer is
  refused.
- One decision (`portal.core.workflow.decide`): registration review, filing review, answering an
  objection and a bank's step on a loan application each refuse the same step twice with a
  Chinese message, and log the first one exactly once (the registration's log also holds its
  submission).
"""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from enterprise_business.accounts import services as registration
from enterprise_business.filings.services import points
from enterprise_business.models import (
    DataQuestion,
    Enterprise,
    FilingEvent,
    PointsFiling,
    QualificationIndicator,
    RegistrationReview,
)
from enterprise_business.tests.factories import approved_enterprise, make_batch, make_enterprise, make_staff
from finance_products import applications
from finance_products.models import ApplicationEvent, Bank, LoanApplication
from portal.core.inquiries import services as inquiries
from portal.core.models import Message
from portal.core.workflow import TransitionError
from scoring_engine import publication
from scoring_engine.tests.results_factories import make_run

pytestmark = pytest.mark.django_db


def _data_question():
    enterprise = approved_enterprise()
    indicator = QualificationIndicator.objects.order_by("pk").first()
    question = inquiries.ask(DataQuestion, asked_by=enterprise.user, text="少了一份技术合同", enterprise=enterprise,
                             batch=make_batch(), indicator=indicator)
    return question, "data_questions", "data_question_answered"


def _score_objection():
    enterprise = make_enterprise()
    run = make_run(make_batch(2024), [enterprise], status="publicity")
    result = run.results.get()
    objection = publication.raise_objection(result, enterprise, enterprise.user, "专利数少算了2件。")
    return objection, "score_objections", "objection_answered"


@pytest.mark.parametrize("make", [_data_question, _score_objection], ids=["数据异议", "积分异议"])
def test_an_inquiry_is_answered_on_its_own_screen_once_and_the_enterprise_is_told(client, make):
    question, namespace, template = make()
    assert question.status == "pending"
    client.force_login(make_staff("jifen", superuser=True))

    url = f"/admin/{'data-questions' if namespace == 'data_questions' else 'scoring/objections'}/answer/{question.pk}/"
    client.post(url, {"answer": "已核实并补录。"})
    client.post(url, {"answer": "第二次答复。"}, follow=True)

    question.refresh_from_db()
    assert (question.status, question.answer) == ("answered", "已核实并补录。")
    told = Message.objects.filter(recipient=question.asked_by)
    assert list(told.values_list("template", flat=True)) == [template]
    assert "已核实并补录" in told.get().body


def _registration():
    enterprise = make_enterprise(status=Enterprise.Status.PENDING)
    reviewer = make_staff("shenhe", "审核员")
    return lambda: registration.approve(enterprise.pk, reviewer), lambda: RegistrationReview.objects.filter(
        enterprise=enterprise).count()


def _filing():
    filing = points.create(approved_enterprise(), make_batch())
    PointsFiling.objects.filter(pk=filing.pk).update(status="submitted")
    reviewer = make_staff("shenhe", "审核员")
    kind = ContentType.objects.get_for_model(PointsFiling)
    return lambda: points.approve(filing.pk, reviewer), lambda: FilingEvent.objects.filter(
        filing_type=kind, filing_id=filing.pk).count()


def _objection():
    objection, _, _ = _score_objection()
    staff = make_staff("jifen", superuser=True)
    return lambda: publication.answer_objection(objection.pk, staff, "已复核。"), lambda: Message.objects.filter(
        template="objection_answered").count()


def _loan_application():
    enterprise = approved_enterprise()
    bank = Bank.objects.create(name="大连银行")
    application = LoanApplication.objects.create(
        enterprise=enterprise, bank=bank, product_title="创新积分贷", enterprise_name=enterprise.name,
        credit_code=enterprise.credit_code, amount=Decimal("100"), term_months=12, purpose="研发投入",
        contact_name="王敏", contact_phone="13940117777", authorised_at=timezone.now(), authorisation_text="授权")
    staff = make_staff("bank", superuser=True)
    return lambda: applications.decide(application.pk, staff, "accept"), lambda: ApplicationEvent.objects.filter(
        application=application).count()


@pytest.mark.parametrize("make", [_registration, _filing, _objection, _loan_application],
                         ids=["注册审核", "积分数据审核", "积分异议答复", "融资申请受理"])
def test_every_decision_is_taken_once_and_a_repeat_is_refused_in_chinese(make):
    step, logged = make()
    before = logged()
    step()
    with pytest.raises(TransitionError) as refused:
        step()
    assert "已" in refused.value.message and not refused.value.message.isascii()
    assert logged() == before + 1
