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
