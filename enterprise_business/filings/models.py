"""The filings an enterprise makes and staff review: 企业基本信息 and 积分数据填报 (with its batches),
on one review machinery — their statuses, the filing base class and the append-only log of
every transition. The rules of the machinery live in `enterprise_business.filings.review`."""

import json

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from portal.core.labels import INDUSTRY_CHOICES
from portal.core.records import AppendOnlyModel, NotContent

from ..accounts.models import Enterprise, User


class FilingStatus(models.TextChoices):
    NOT_FILED = "not_filed", "未填报"
    DRAFT = "draft", "暂存"
    SUBMITTED = "submitted", "提交待审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回修改"


class Filing(NotContent, models.Model):
    """A filing an enterprise edits and staff review (基本信息, 积分数据, …).

    The concrete fields are the working copy. `approved_snapshot` is the last approved
    version, which stays in force while a newer version is edited or under review.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name="企业")
    status = models.CharField("状态", max_length=10, choices=FilingStatus.choices, default=FilingStatus.NOT_FILED)
    return_reason = models.TextField("退回原因", blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("保存时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    approved_snapshot = models.JSONField("审核通过的版本", null=True, blank=True, editable=False)
    approved_at = models.DateTimeField("审核通过时间", null=True, blank=True)
    # Who last returned it (退回修改 or 退回更正), kept by the review machinery beside the event so
    # that the desk groups what waits by reviewer in one grouped query; None if never returned.
    last_returned_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                         related_name="+", verbose_name="上次退回的审核员")

    # The fields that make up a version, in display order; set by each filing type.
    snapshot_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def is_editable_by_owner(self):
        return self.status != FilingStatus.SUBMITTED

    def snapshot(self) -> dict:
        values = {name: getattr(self, name) for name in self.snapshot_fields}
        return json.loads(json.dumps(values, cls=DjangoJSONEncoder))

    def display_value(self, name):
        """A field's value as people read it (the label of a choice, not its code)."""
        if self._meta.get_field(name).choices:
            return getattr(self, f"get_{name}_display")()
        return getattr(self, name)

    def changes_since_approved(self) -> list[tuple[str, object, object]]:
        """(label, approved value, current value) for each field that differs."""
        if not self.approved_snapshot:
            return []
        current = self.snapshot()
        changes = []
        for name in self.snapshot_fields:
            if self.approved_snapshot.get(name) != current.get(name):
                changes.append((self._meta.get_field(name).verbose_name, self.approved_snapshot.get(name),
                                current.get(name)))
        return changes

    def events(self):
        if self.pk is None:
            return FilingEvent.objects.none()
        return FilingEvent.objects.filter(
            filing_type=ContentType.objects.get_for_model(self), filing_id=self.pk
        ).select_related("actor")


class FilingEvent(AppendOnlyModel):
    """Who moved which filing from which status to which, when and why. Never edited."""

    filing_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    filing_id = models.PositiveBigIntegerField()
    filing = GenericForeignKey("filing_type", "filing_id")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="操作人")
    action = models.CharField("操作", max_length=20)
    from_status = models.CharField("原状态", max_length=10, choices=FilingStatus.choices)
    to_status = models.CharField("新状态", max_length=10, choices=FilingStatus.choices)
    reason = models.TextField("原因", blank=True)
    # The version submitted or approved, files included, so the history shows what was decided on.
    snapshot = models.JSONField("版本内容", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["filing_type", "filing_id", "created_at"])]

    def __str__(self):
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"

# 国家重点支持的高新技术领域 (国科发火〔2016〕32号), plus 其他.
TECH_FIELD_CHOICES = [
    ("electronics", "电子信息"), ("biomedicine", "生物与新医药"), ("aerospace", "航空航天"),
    ("materials", "新材料"), ("services", "高技术服务"), ("energy", "新能源与节能"),
    ("environment", "资源与环境"), ("manufacturing", "先进制造与自动化"), ("other", "其他"),
]
SIZE_CHOICES = [("large", "大型"), ("medium", "中型"), ("small", "小型"), ("micro", "微型")]
YES_NO = [("yes", "是"), ("no", "否")]

REGISTRY_FIELDS = (
    "name", "legal_representative", "registered_capital", "established_on", "address", "company_type",
    "business_scope", "registration_status",
)
OWN_FIELDS = (
    "mailing_address", "postcode", "industry", "tech_field", "enterprise_size", "is_high_tech",
    "high_tech_certificate", "is_tech_sme", "tech_sme_number", "main_products", "contact_name", "contact_phone",
    "contact_email", "website",
)


class BasicInfo(Filing):
    """企业基本信息: the registry's facts (read-only, or filled in and flagged when the registry
    has no record) and what the enterprise adds. Every field may be blank in a draft (暂存);
    submitting needs the fields of `SUBMIT_REQUIRED` (the manual's red stars). Labels, lengths
    and help texts are here once: the form (`filings.forms.BasicInfoForm`) takes them."""

    # 工商数据: copied from the registry on every save, never taken from the form…
    name = models.CharField("企业名称", max_length=200, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    registered_capital = models.CharField("注册资本（万元）", max_length=20, blank=True)
    established_on = models.CharField("成立日期", max_length=10, blank=True)
    address = models.CharField("注册地址", max_length=300, blank=True)
    company_type = models.CharField("企业类型", max_length=100, blank=True)
    business_scope = models.TextField("经营范围", blank=True)
    registration_status = models.CharField("登记状态", max_length=30, blank=True)
    # …unless the registry has no record: then the enterprise fills them and the reviewer is told.
    facts_self_reported = models.BooleanField("工商信息由企业自行填写", default=False)

    mailing_address = models.CharField("通讯地址", max_length=300, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    industry = models.CharField("所属行业", max_length=1, choices=INDUSTRY_CHOICES, blank=True,
                                help_text="按《国民经济行业分类》（GB/T 4754-2017）门类选择。")
    tech_field = models.CharField("技术领域", max_length=20, choices=TECH_FIELD_CHOICES, blank=True)
    enterprise_size = models.CharField("企业规模", max_length=10, choices=SIZE_CHOICES, blank=True)
    is_high_tech = models.CharField("是否高新技术企业", max_length=3, choices=YES_NO, blank=True)
    high_tech_certificate = models.CharField("高新技术企业证书编号", max_length=30, blank=True,
                                             help_text="是高新技术企业时必填，如 GR202321200123。")
    is_tech_sme = models.CharField("是否科技型中小企业", max_length=3, choices=YES_NO, blank=True)
    tech_sme_number = models.CharField("科技型中小企业入库登记编号", max_length=30, blank=True,
                                       help_text="是科技型中小企业时必填。")
    main_products = models.TextField("主营产品", max_length=500, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True, help_text="手机或座机，如 0411-84820327。")
    contact_email = models.CharField("联系邮箱", max_length=100, blank=True)
    website = models.CharField("网址", max_length=200, blank=True)

    snapshot_fields = (*REGISTRY_FIELDS, "facts_self_reported", *OWN_FIELDS)
    # What 提交 needs (the manual's red stars); the registry's facts too when the enterprise fills them.
    SUBMIT_REQUIRED = (
        "mailing_address", "industry", "tech_field", "enterprise_size", "is_high_tech", "is_tech_sme",
        "main_products", "contact_name", "contact_phone", "contact_email",
    )

    class Meta:
        verbose_name = "企业基本信息"
        verbose_name_plural = "企业基本信息"
        constraints = [models.UniqueConstraint(fields=["enterprise"], name="one_basic_info_per_enterprise")]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        permissions = [("review_basicinfo", "审核企业基本信息")]

    def __str__(self):
        return self.name or self.enterprise.credit_code


class Batch(models.Model):
    """填报项目/批次, e.g. 2025年度创新积分数据填报: data year Y, its dates and documents."""

    name = models.CharField("项目名称", max_length=100)
    data_year = models.PositiveSmallIntegerField("数据年度", help_text="填报的是哪一年的数据（Y）。")
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    social_security_template = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="社保证明文件模板", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    staff_template = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="企业人员证明文件模板", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    indicator_guide = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="指标说明文件", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    remind_workdays = models.PositiveSmallIntegerField(
        "截止前自动提醒（工作日）", null=True, blank=True,
        help_text="截止日期前几个工作日自动向尚未提交的企业发送提醒（消息和短信）；留空则不自动提醒。",
    )

    class Meta:
        verbose_name = "填报批次"
        verbose_name_plural = "填报批次"
        ordering = ["-data_year", "-opens_on"]

    def __str__(self):
        return self.name

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


def _amount(label):
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=True, blank=True)


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


def _proof(label):
    return models.ForeignKey("core.PrivateFile", verbose_name=label, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")


class PointsFiling(Filing):
    """基本数据填报 of one batch. Labels name the batch's years: Y年 / Y-1年."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="filings", verbose_name="填报批次")
    filler_name = models.CharField("填报联系人", max_length=50, blank=True)
    filler_phone = models.CharField("填报人手机号", max_length=20, blank=True)

    torch_imported = models.BooleanField("经营信息来自火炬统计数据", default=False)
    equity_begin = _amount("Y年初所有者权益")
    equity_end = _amount("Y年末所有者权益")
    rd_expense = _amount("Y年研发费用")
    rd_expense_prev = _amount("Y-1年研发费用")
    revenue = _amount("Y年营业收入")
    revenue_prev = _amount("Y-1年营业收入")
    tax_paid = _amount("Y年企业实际上缴税费总额")
    tax_paid_prev = _amount("Y-1年企业实际上缴税费总额")
    rd_tax_deduction = _amount("企业Y年研发费用加计扣除所得税减免额")
    balance_sheet = _proof("资产负债表")
    tax_return = _proof("Y年所得税纳税申报表或审计报告")
    tax_return_prev = _proof("Y-1年所得税纳税申报表或审计报告")
    audit_report = _proof("Y年审计报告")

    social_security = _count("Y年12月社保人数")
    social_security_proof = _proof("Y年12月社保人数证明文件")
    social_security_prev = _count("Y-1年12月社保人数")
    social_security_prev_proof = _proof("Y-1年12月社保人数证明文件")
    bachelor_count = _count("大学本科学历人数")
    postgraduate_count = _count("研究生学历人数")
    staff_total = _count("期末人员总数")
    graduates_hired = _count("企业当年吸纳高校应届毕业生人数")
    rd_staff = _count("研发人员数")
    staff_proof = _proof("企业人员证明文件")
    # 核实无误: when the enterprise confirmed, on submitting, that it had checked its imported records.
    records_confirmed_at = models.DateTimeField("资质数据核实时间", null=True, blank=True)

    snapshot_fields = (
        "filler_name", "filler_phone", "torch_imported", "equity_begin", "equity_end", "rd_expense",
        "rd_expense_prev", "revenue", "revenue_prev", "tax_paid", "tax_paid_prev", "rd_tax_deduction",
        "balance_sheet_id", "tax_return_id", "tax_return_prev_id", "audit_report_id", "social_security",
        "social_security_proof_id", "social_security_prev", "social_security_prev_proof_id", "bachelor_count",
        "postgraduate_count", "staff_total", "graduates_hired", "rd_staff", "staff_proof_id",
    )

    class Meta:
        verbose_name = "积分数据填报"
        verbose_name_plural = "积分数据填报"
        constraints = [models.UniqueConstraint(fields=["enterprise", "batch"], name="one_points_filing_per_batch")]
        # The review queue of a batch: newest submissions first, found without sorting the batch.
        indexes = [models.Index(fields=["batch", "status"]), models.Index(fields=["batch", "-submitted_at"])]
        permissions = [("review_pointsfiling", "审核积分数据填报")]

    def __str__(self):
        return f"{self.enterprise} · {self.batch}"

    @property
    def owner_can_edit(self):
        """Within the batch's dates — or whenever staff have returned the filing: a return, even
        after the close date (退回更正 after an objection), is an invitation to correct it."""
        return self.is_editable_by_owner and (self.batch.is_open() or self.status == FilingStatus.RETURNED)
