"""融资申请: applying for a product, and every later change of its status.

The rules live here, on the server, whatever a form posts:
- only an approved enterprise with a published result that meets the product's requirements
  applies, and only with the explicit authorisation (授权) ticked; one open application per product;
- the bank sees the authorised copy of the result and basic information taken when the
  enterprise applied (least data: no ID or registered phone number, no filed figures);
- only the staff of the application's bank move it, in order: 已提交 → 已受理 → 审批中 → 已放款
  (with the amount), or 未通过 (with a reason) from any open status; the enterprise may withdraw
  an open application (已撤回), after which the bank no longer sees what it authorised;
- each change locks the row (two staff acting at once: one wins, the other is told), writes an
  append-only event, and is sent to the enterprise as a 消息 and an SMS.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

from enterprise_business.models import BasicInfo
from portal.core.forms import PortalForm
from portal.core.notifications.services import notify
from portal.core.workflow import Step, TransitionError
from portal.core.workflow import decide as decide_step
from scoring_engine.models import Category, Stage

from . import access, matching
from .models.lending import ApplicationEvent, LoanApplication

S = LoanApplication.Status
PHONE_RE = re.compile(r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9})$")
MAX_TERM_MONTHS = 360

# 企业基本信息 a bank may see, from the approved version: what a lender assesses, nothing more.
BASIC_INFO_SHARED = (
    "name",
    "legal_representative",
    "registered_capital",
    "established_on",
    "address",
    "company_type",
    "registration_status",
    "industry",
    "tech_field",
    "enterprise_size",
    "is_high_tech",
    "high_tech_certificate",
    "is_tech_sme",
    "main_products",
)
RESULT_SHARED = "评价批次、总积分、总排名、发展阶段、阶段内排名、积分梯队和各类指标积分"


# --- applying --------------------------------------------------------------------------------


class ApplicationForm(PortalForm):
    amount = forms.DecimalField(
        label="申请金额",
        max_digits=10,
        decimal_places=2,
        error_messages={
            "required": "请填写申请金额。",
            "invalid": "申请金额应为数字，最多两位小数。",
            "max_digits": "申请金额过大。",
            "max_decimal_places": "申请金额最多两位小数。",
            "max_whole_digits": "申请金额过大。",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    amount.input_suffix = "万元"
    term_months = forms.IntegerField(
        label="申请期限",
        error_messages={"required": "请填写申请期限。", "invalid": "申请期限应为整数月数。"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    term_months.input_suffix = "个月"
    purpose = forms.CharField(
        label="资金用途",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：研发投入、购置设备、补充流动资金，500字以内。",
        error_messages={"required": "请填写资金用途。", "max_length": "资金用途请控制在500字以内。"},
    )
    contact_name = forms.CharField(
        label="联系人",
        max_length=50,
        error_messages={"required": "请填写联系人。", "max_length": "联系人姓名最多50个字。"},
    )
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=20,
        help_text="银行将通过该电话与您联系，手机或座机，如 0411-84820327。",
        error_messages={"required": "请填写联系电话。", "max_length": "请输入正确的手机号码或座机号码。"},
    )
    authorise = forms.BooleanField(
        label="",
        error_messages={"required": "请阅读授权内容并勾选同意，否则银行无法受理申请。"},
        widget=forms.CheckboxInput(attrs={"aria-describedby": "authorisation-text"}),
    )

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.product = product
        self.fields["amount"].help_text = f"本产品额度为 {product.min_amount}–{product.max_amount} 万元。"
        self.fields["term_months"].help_text = f"本产品期限：{product.term}。"
        self.fields[
            "authorise"
        ].label = f"本企业同意以上授权，授权{product.bank.name}查看本企业的创新积分结果和企业基本信息"

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError("申请金额应大于0。")
        if not self.product.min_amount <= amount <= self.product.max_amount:
            raise forms.ValidationError(
                f"申请金额应在本产品额度 {self.product.min_amount}–{self.product.max_amount} 万元之内。"
            )
        return amount

    def clean_term_months(self):
        term = self.cleaned_data["term_months"]
        if not 1 <= term <= MAX_TERM_MONTHS:
            raise forms.ValidationError(f"申请期限应为1–{MAX_TERM_MONTHS}个月。")
        return term

    def clean_contact_phone(self):
        phone = re.sub(r"[\s（）()]", "", self.cleaned_data["contact_phone"]).replace("－", "-")
        if not PHONE_RE.match(phone):
            raise forms.ValidationError("请输入正确的手机号码或座机号码（如0411-84820327）。")
        return phone


def initial_contact(enterprise) -> dict:
    """The contact of the approved 基本信息, else the registration's contact name."""
    snapshot = (
        BasicInfo.objects.filter(enterprise=enterprise, approved_at__isnull=False)
        .values_list("approved_snapshot", flat=True)
        .first()
        or {}
    )
    return {
        "contact_name": snapshot.get("contact_name") or enterprise.contact_name,
        "contact_phone": snapshot.get("contact_phone", ""),
    }


def _points(value) -> str:
    try:
        return f"{Decimal(str(value)):.2f} 分"
    except (ArithmeticError, ValueError):
        return str(value)


def result_rows(result) -> list[list[str]]:
    run = result.run
    rows = [
        ["评价批次", run.batch.name],
        ["正式发布日期", f"{timezone.localtime(run.finalised_at):%Y-%m-%d}" if run.finalised_at else "—"],
        ["总积分", _points(result.total)],
        [
            "总排名",
            f"第{result.rank}名（共{run.enterprise_count}家）" if run.enterprise_count else f"第{result.rank}名",
        ],
        ["发展阶段", Stage(result.stage).label],
        ["阶段内排名", f"第{result.stage_rank}名"],
        ["积分梯队", matching.tier_label(result.tier)],
    ]
    labels = dict(Category.choices)
    for key, value in (result.category_points or {}).items():
        if key in labels and not isinstance(value, dict | list):
            rows.append([f"{labels[key]}指标积分", _points(value)])
    return rows


def basic_info_rows(enterprise) -> list[list[str]]:
    snapshot = (
        BasicInfo.objects.filter(enterprise=enterprise, approved_at__isnull=False)
        .values_list("approved_snapshot", flat=True)
        .first()
        or {}
    )
    rows = [["统一社会信用代码", enterprise.credit_code]]
    for name in BASIC_INFO_SHARED:
        model_field = BasicInfo._meta.get_field(name)
        value = snapshot.get(name) or ""
        if model_field.choices:
            value = dict(model_field.choices).get(value, value)
        rows.append([str(model_field.verbose_name), str(value) or "—"])
    return rows


def shared_data(enterprise, result) -> list[dict]:
    return [
        {"title": "创新积分结果", "rows": result_rows(result)},
        {"title": "企业基本信息", "rows": basic_info_rows(enterprise)},
    ]


def authorisation_text(product, result) -> str:
    labels = "、".join(str(BasicInfo._meta.get_field(name).verbose_name) for name in BASIC_INFO_SHARED)
    return (
        f"本企业同意授权{product.bank.name}查看本企业的以下信息，仅用于本次“{product.title}”融资申请的受理和审批："
        f"（一）创新积分结果（{result.run.batch.name}）：{RESULT_SHARED}；"
        f"（二）企业基本信息（审核通过的版本）：统一社会信用代码、{labels}；"
        "（三）本申请填写的申请金额、期限、资金用途、联系人和联系电话。"
        "本企业在银行办结前可以撤回申请，撤回后银行不能再查看上述信息。"
    )


@dataclass
class Eligibility:
    """Whether `enterprise` may apply for `product` now, and if not, why (one Chinese sentence)."""

    result: object
    match: matching.Match
    open_application: LoanApplication | None

    @property
    def may_apply(self) -> bool:
        return self.match.qualifies and self.open_application is None


def eligibility(enterprise, product) -> Eligibility:
    result = matching.published_result(enterprise)
    open_application = LoanApplication.objects.filter(
        enterprise=enterprise, product=product, status__in=LoanApplication.OPEN_STATUSES
    ).first()
    return Eligibility(result, matching.match(product, result), open_application)


def submit(enterprise, user, product, cleaned) -> LoanApplication:
    """Create the application, checking everything again on the server."""
    if not product.live:
        raise TransitionError("该产品已下架，不能申请。")
    state = eligibility(enterprise, product)
    if not state.match.qualifies:
        raise TransitionError("不符合本产品的申请条件：" + "".join(state.match.reasons))
    if state.open_application is not None:
        raise TransitionError("您已申请过本产品，银行正在办理，请勿重复申请。")
    if not cleaned.get("authorise"):
        raise TransitionError("请阅读授权内容并勾选同意，否则银行无法受理申请。")
    result = state.result
    try:
        with transaction.atomic():
            application = LoanApplication.objects.create(
                enterprise=enterprise,
                bank=product.bank,
                product=product,
                product_title=product.title,
                enterprise_name=enterprise.display_name,
                credit_code=enterprise.credit_code,
                amount=cleaned["amount"],
                term_months=cleaned["term_months"],
                purpose=cleaned["purpose"],
                contact_name=cleaned["contact_name"],
                contact_phone=cleaned["contact_phone"],
                authorised_at=timezone.now(),
                authorisation_text=authorisation_text(product, result),
                shared_data=shared_data(enterprise, result),
            )
            ApplicationEvent.objects.create(
                application=application,
                actor=user,
                to_status=S.SUBMITTED,
                note="提交申请并授权银行查看积分结果和企业基本信息",
            )
    except IntegrityError:
        raise TransitionError("您已申请过本产品，银行正在办理，请勿重复申请。") from None
    return application


# --- the bank's decisions and the enterprise's withdrawal --------------------------------------


ACCEPT = Step("accept", "受理", frozenset({S.SUBMITTED}), S.ACCEPTED)
REVIEW = Step("review", "开始审批", frozenset({S.ACCEPTED}), S.REVIEWING)
DISBURSE = Step("disburse", "确认放款", frozenset({S.REVIEWING}), S.DISBURSED)
REJECT = Step("reject", "审批不通过", frozenset(LoanApplication.OPEN_STATUSES), S.REJECTED)
WITHDRAW = Step("withdraw", "撤回", frozenset(LoanApplication.OPEN_STATUSES), S.WITHDRAWN)
BANK_STEPS = {step.name: step for step in (ACCEPT, REVIEW, DISBURSE, REJECT)}


def next_steps(application) -> list[Step]:
    return [step for step in BANK_STEPS.values() if application.status in step.allowed_from]


def _notify(application, step, amount=None, reason=""):
    template = {ACCEPT: "application_accepted", REVIEW: "application_reviewing", DISBURSE: "application_disbursed",
                REJECT: "application_rejected"}[step]
    params = {"product": f"{application.bank.name}“{application.product_title}”"}
    params.update({DISBURSE: {"amount": amount}, REJECT: {"reason": reason}}.get(step, {"amount": application.amount}))
    notify(application.enterprise, template, link=application.get_absolute_url(), **params)


def _log(user, note):
    """The append-only event of a step; `note(application)` is what it records beside the move."""
    def log(application, previous):
        ApplicationEvent.objects.create(application=application, actor=user, from_status=previous,
                                        to_status=application.status, note=note(application))
    return log


def decide(pk, user, step_name, amount=None, reason="") -> LoanApplication:
    """A bank's step on one of its applications; raises TransitionError with a Chinese message."""
    step = BANK_STEPS.get(step_name)
    if step is None:
        raise TransitionError("无效的操作。")
    reason = (reason or "").strip()

    def check(application):
        if not user.has_perm("finance_products.change_loanapplication") and not user.is_superuser:
            raise TransitionError("您没有办理融资申请的权限。")

    def apply(application):
        if step is DISBURSE:
            if amount is None or amount <= 0:
                raise TransitionError("请填写大于0的放款金额（万元）。")
            if application.product is not None and amount > application.product.max_amount:
                raise TransitionError(f"放款金额不能超过本产品最高额度 {application.product.max_amount} 万元。")
            application.disbursed_amount = amount.quantize(Decimal("0.01"))
        if step is REJECT:
            if not reason:
                raise TransitionError("审批不通过时必须填写原因。")
            application.reject_reason = reason
        if step in (DISBURSE, REJECT):
            application.decided_at = timezone.now()

    try:
        return decide_step(
            access.applications_for(user).select_related("bank"), pk, step, check=check, apply=apply,
            log=_log(user, lambda a: {DISBURSE: f"放款金额 {a.disbursed_amount} 万元", REJECT: reason}.get(step, "")),
            notify=lambda a: _notify(a, step, amount=a.disbursed_amount, reason=reason),
            refused=lambda a, s: f"该申请当前状态为“{a.get_status_display()}”，不能{s.label}，"
                                 "可能已被其他工作人员处理，请刷新后查看。",
        )
    except LoanApplication.DoesNotExist:
        raise TransitionError("没有找到该申请，或您无权办理。") from None


def withdraw(pk, enterprise, user) -> LoanApplication:
    """The enterprise withdraws an open application: the bank loses what it authorised (the
    copy of the result and basic information, and the contact's phone number)."""

    def apply(application):
        application.shared_data = []
        application.contact_phone = ""
        application.decided_at = timezone.now()

    return decide_step(
        LoanApplication.objects.filter(enterprise=enterprise), pk, WITHDRAW, apply=apply,
        log=_log(user, lambda a: "企业撤回申请，撤销对银行的授权"),
        refused=lambda a, _: f"该申请当前状态为“{a.get_status_display()}”，已办结，不能撤回。",
    )
