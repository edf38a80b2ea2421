"""金融超市's records: the banks (snippets), the enterprises' applications for their products
(融资申请) and each application's append-only history, with the choices a product's terms use.

Each bank's staff group sees only the applications made to its bank (`finance_products.access`)."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel

from portal.core.crypto import EncryptedCharField
from portal.core.identifiers import mask_phone
from portal.core.records import AppendOnlyModel

PRODUCT_TYPES = [
    ("points_loan", "创新积分贷"),
    ("credit_loan", "信用贷"),
    ("ip_pledge", "知识产权质押贷"),
    ("tech_loan", "科技贷"),
    ("other", "其他"),
]
GUARANTEES = [
    ("credit", "信用"),
    ("guarantee", "保证"),
    ("ip_pledge", "知识产权质押"),
    ("mortgage", "抵押"),
    ("mixed", "组合担保"),
]
STAGES = [("", "不限"), ("startup", "初创期"), ("growth", "成长期"), ("mature", "稳定期")]
# The values of scoring_engine.models.Tier, so that a product's requirement compares with a result.
TIERS = [("", "不限"), ("leading", "领跑"), ("racing", "竞跑"), ("advancing", "进取")]
SORTS = {"rate": ("min_rate", "max_amount"), "amount": ("-max_amount", "min_rate"), "newest": ("-first_published_at",)}


class Bank(models.Model):
    name = models.CharField("银行名称", max_length=60, unique=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name="标志", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField("简介", max_length=500, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    staff_group = models.OneToOneField(
        Group,
        verbose_name="银行工作人员组",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="bank",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("logo"),
        FieldPanel("description"),
        FieldPanel("contact_phone"),
        FieldPanel("address"),
    ]

    class Meta:
        verbose_name = "银行"
        verbose_name_plural = "银行"
        ordering = ["name"]

    def __str__(self):
        return self.name



class LoanApplication(models.Model):
    """An enterprise's application for a product (融资申请), with what it authorised the bank to see.

    `shared_data` is the authorised copy of the enterprise's points result and basic information,
    taken when it applied: the bank sees exactly that, and nothing once the application is withdrawn.
    Statuses move 已提交 → 已受理 → 审批中 → 已放款, or to 未通过 (with a reason) from any open
    status, or to 已撤回 by the enterprise; `finance_products.applications` enforces the order.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已提交"
        ACCEPTED = "accepted", "已受理"
        REVIEWING = "reviewing", "审批中"
        DISBURSED = "disbursed", "已放款"
        REJECTED = "rejected", "未通过"
        WITHDRAWN = "withdrawn", "已撤回"

    OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.REVIEWING)

    enterprise = models.ForeignKey(
        "enterprise_business.Enterprise",
        on_delete=models.CASCADE,
        related_name="loan_applications",
        verbose_name="企业",
    )
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="applications", verbose_name="银行")
    product = models.ForeignKey(
        "finance_products.FinanceProductPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="金融产品",
    )
    product_title = models.CharField("产品名称", max_length=255)
    enterprise_name = models.CharField("企业名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    amount = models.DecimalField("申请金额（万元）", max_digits=10, decimal_places=2)
    term_months = models.PositiveSmallIntegerField("申请期限（月）")
    purpose = models.TextField("资金用途", max_length=500)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = EncryptedCharField("联系电话")
    authorised_at = models.DateTimeField("授权时间")
    authorisation_text = models.TextField("授权内容")
    shared_data = models.JSONField("授权查看的信息", default=list, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    disbursed_amount = models.DecimalField("放款金额（万元）", max_digits=10, decimal_places=2, null=True, blank=True)
    reject_reason = models.TextField("未通过原因", blank=True)
    submitted_at = models.DateTimeField("申请时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "融资申请"
        verbose_name_plural = "融资申请"
        ordering = ["-submitted_at", "-pk"]
        # Zone staff follow 创新积分贷 across banks through counts and amounts only: the enterprises
        # authorised their bank, not the zone, to see their applications.
        permissions = [("view_all_totals", "查看全部银行的融资申请统计")]
        indexes = [models.Index(fields=["bank", "status", "submitted_at"])]
        constraints = [
            # One open application per enterprise and product: a double click makes one, not two.
            models.UniqueConstraint(
                fields=["enterprise", "product"],
                condition=models.Q(status__in=["submitted", "accepted", "reviewing"]),
                name="one_open_application_per_product",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise_name} · {self.product_title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("finance:application", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)

    masked_contact_phone.fget.short_description = "联系电话"


class ApplicationEvent(AppendOnlyModel):
    """Who moved which application from which status to which, when, and why. Never edited."""

    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        "enterprise_business.User", on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    from_status = models.CharField("原状态", max_length=10, choices=LoanApplication.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=LoanApplication.Status.choices)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "申请办理记录"
        verbose_name_plural = "申请办理记录"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_to_status_display()} {self.created_at:%Y-%m-%d %H:%M}"
