"""积分数据填报: batches, Torch statistics, proof files and the points filing itself."""

from django.db import models
from django.utils import timezone

from .review import Filing, FilingStatus


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

    class Meta:
        verbose_name = "填报批次"
        verbose_name_plural = "填报批次"
        ordering = ["-data_year", "-opens_on"]

    def __str__(self):
        return self.name

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class TorchRecord(models.Model):
    """火炬统计数据: one enterprise's Torch survey figures for one year (万元)."""

    credit_code = models.CharField("统一社会信用代码", max_length=18)
    year = models.PositiveSmallIntegerField("年度")
    equity_begin = models.DecimalField("年初所有者权益", max_digits=14, decimal_places=2)
    equity_end = models.DecimalField("年末所有者权益", max_digits=14, decimal_places=2)
    rd_expense = models.DecimalField("研发费用", max_digits=14, decimal_places=2)
    revenue = models.DecimalField("营业收入", max_digits=14, decimal_places=2)
    tax_paid = models.DecimalField("实际上缴税费总额", max_digits=14, decimal_places=2)
    rd_tax_deduction = models.DecimalField("研发费用加计扣除所得税减免额", max_digits=14, decimal_places=2)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "火炬统计数据"
        verbose_name_plural = "火炬统计数据"
        constraints = [models.UniqueConstraint(fields=["credit_code", "year"], name="one_torch_record_per_year")]

    def __str__(self):
        return f"{self.credit_code} {self.year}年"


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
