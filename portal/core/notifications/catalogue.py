"""Every SMS and 消息 the platform sends, by name, with its parameters: the one place to change
what people are told.

Chinese SMS providers send only templates registered in advance (签名 + 模板 + parameters), so
each entry is such a template. The text below is what the recipient reads; `{name}` marks a
parameter, and the provider's copy of the template numbers them in order of first appearance
(`manage.py sms_templates` prints every template in that form, ready to register). A 消息 shows
`title` over `body`; its SMS reads `title：body`. Entries without a title are SMS only (codes,
and registration decisions, which reach enterprises that cannot log in yet).

Senders name a template and pass its parameters (`notify(..., "filing_returned", filing=…,
reason=…)`); a missing or unexpected parameter raises ValueError at once, in development.
"""

import string
from dataclasses import dataclass

# 短信签名 of the development outbox; a real gateway uses the signature registered with the
# provider (SMS_SIGN_NAME).
SIGNATURE = "【高新区企业创新积分管理平台】"


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    sms_text: str


@dataclass(frozen=True)
class Template:
    name: str
    body: str
    title: str = ""

    @property
    def sms_text(self) -> str:
        return f"{self.title}：{self.body}" if self.title else self.body

    @property
    def params(self) -> tuple[str, ...]:
        """The parameter names in the order the provider's template numbers them."""
        names = []
        for _, field, _, _ in string.Formatter().parse(self.sms_text):
            if field and field not in names:
                names.append(field)
        return tuple(names)

    def render(self, params: dict) -> Rendered:
        """The title, body and SMS text with `params` filled in; ValueError names a missing
        or unexpected parameter."""
        given, expected = set(params), set(self.params)
        if given != expected:
            raise ValueError(f"Template {self.name!r} takes {sorted(expected)}, got {sorted(given)}.")
        values = {name: str(value) for name, value in params.items()}
        return Rendered(self.title.format(**values), self.body.format(**values), self.sms_text.format(**values))

    def provider_text(self) -> str:
        """The text as registered with the provider: {1}, {2}, … in parameter order."""
        text = self.sms_text
        for number, name in enumerate(self.params, start=1):
            text = text.replace(f"{{{name}}}", f"{{{number}}}")
        return text


TEMPLATES = {template.name: template for template in (
    # 账号 (SMS only)
    Template("verification_code", "您的验证码为{code}，5分钟内有效。请勿将验证码告诉他人。"),
    Template("registration_approved", "您的企业账号（{credit_code}）注册申请已审核通过，现在可以登录平台办理业务。"),
    Template("registration_rejected",
             "您的企业账号（{credit_code}）注册申请未通过审核，原因：{reason}。请登录平台修改后重新提交。"),
    # 填报审核 (企业基本信息, 积分数据): `filing` names what was decided, e.g. 企业基本信息
    Template("filing_approved", "审核通过。", title="{filing}审核结果"),
    Template("filing_returned", "已退回修改，原因：{reason}。请修改后重新提交。", title="{filing}审核结果"),
    Template("filing_reopened", "已退回更正，原因：{reason}。请修改后重新提交。", title="{filing}审核结果"),
    # 数据异议 and 积分异议, answered
    Template("data_question_answered", "{department}已答复您的数据异议：{answer}", title="数据异议答复：{indicator}"),
    Template("objection_answered", "平台已答复您提出的积分异议：{answer}", title="积分异议答复"),
    # 填报提醒 (the programme desk): a scoring admin's reminder of the enterprise's current step, and
    # the automatic one before the batch closes; `closes_on` is the batch's 截止日期 (YYYY-MM-DD)
    Template("reminder_not_filed",
             "您尚未填报{batch}的积分数据，截止日期为{closes_on}，请登录平台“积分数据填报”按时填报。",
             title="{batch}填报提醒"),
    Template("reminder_draft", "您的{batch}积分数据已暂存但尚未提交，截止日期为{closes_on}，请登录平台核对后提交。",
             title="{batch}填报提醒"),
    Template("reminder_returned",
             "您的{batch}积分数据已退回修改，尚未重新提交，截止日期为{closes_on}，请登录平台修改后重新提交。",
             title="{batch}填报提醒"),
    Template("reminder_deadline", "{batch}将于{closes_on}截止填报，您的积分数据尚未提交审核，请尽快登录平台完成提交。",
             title="{batch}即将截止"),
    # 积分结果
    Template("results_in_publicity",
             "积分结果将于{starts_on}至{ends_on}公示，请登录平台“积分结果查询”查看；如有异议，请在公示期内提出。",
             title="{batch}积分结果公示"),
    Template("results_final", "公示期已结束，积分结果已正式发布，请登录平台“积分结果查询”查看。",
             title="{batch}积分结果正式发布"),
    # 融资申请: `product` is the bank and product, e.g. 大连银行“科技创新积分贷”
    Template("application_accepted", "您申请的{product}（{amount}万元）已受理，银行将与您联系。",
             title="融资申请已受理"),
    Template("application_reviewing", "您申请的{product}（{amount}万元）已进入审批。", title="融资申请审批中"),
    Template("application_disbursed", "您申请的{product}已放款，放款金额{amount}万元。", title="融资申请已放款"),
    Template("application_rejected", "您申请的{product}未通过，原因：{reason}", title="融资申请未通过"),
)}


def template(name: str) -> Template:
    """The catalogue's template `name`; KeyError for a name not in the catalogue."""
    return TEMPLATES[name]
