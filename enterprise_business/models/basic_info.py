from django.db import models

from portal.core.labels import INDUSTRY_CHOICES

from .review import Filing

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
    submitting checks them all."""

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
    industry = models.CharField("所属行业", max_length=1, choices=INDUSTRY_CHOICES, blank=True)
    tech_field = models.CharField("技术领域", max_length=20, choices=TECH_FIELD_CHOICES, blank=True)
    enterprise_size = models.CharField("企业规模", max_length=10, choices=SIZE_CHOICES, blank=True)
    is_high_tech = models.CharField("是否高新技术企业", max_length=3, choices=YES_NO, blank=True)
    high_tech_certificate = models.CharField("高新技术企业证书编号", max_length=30, blank=True)
    is_tech_sme = models.CharField("是否科技型中小企业", max_length=3, choices=YES_NO, blank=True)
    tech_sme_number = models.CharField("科技型中小企业入库登记编号", max_length=30, blank=True)
    main_products = models.TextField("主营产品", max_length=500, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    contact_email = models.CharField("联系邮箱", max_length=100, blank=True)
    website = models.CharField("网址", max_length=200, blank=True)

    snapshot_fields = (*REGISTRY_FIELDS, "facts_self_reported", *OWN_FIELDS)

    class Meta:
        verbose_name = "企业基本信息"
        verbose_name_plural = "企业基本信息"
        constraints = [models.UniqueConstraint(fields=["enterprise"], name="one_basic_info_per_enterprise")]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        permissions = [("review_basicinfo", "审核企业基本信息")]

    def __str__(self):
        return self.name or self.enterprise.credit_code
