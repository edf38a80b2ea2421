"""What staff load from spreadsheets: the business registry (工商数据) and the Torch statistics."""

from django.db import models


class RegistryRecord(models.Model):
    """The business registry (工商数据) as staff loaded it: one row per credit code."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("企业名称", max_length=200)
    legal_representative = models.CharField("法定代表人", max_length=50)
    registered_capital = models.DecimalField("注册资本（万元）", max_digits=14, decimal_places=2)
    established_on = models.DateField("成立日期")
    address = models.CharField("注册地址", max_length=300)
    company_type = models.CharField("企业类型", max_length=100)
    business_scope = models.TextField("经营范围")
    registration_status = models.CharField("登记状态", max_length=30)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "工商登记数据"
        verbose_name_plural = "工商登记数据"
        ordering = ["credit_code"]

    def __str__(self):
        return f"{self.name}（{self.credit_code}）"


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
