"""金融超市: banks (snippets), one section page per bank under /finance/, and its products.

Each bank's staff group may edit only its own section (Wagtail page permissions on that
subtree); content editors edit everything."""

from django.contrib.auth.models import Group
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.cache import CachedPageMixin

PRODUCT_TYPES = [
    ("points_loan", "创新积分贷"), ("credit_loan", "信用贷"), ("ip_pledge", "知识产权质押贷"),
    ("tech_loan", "科技贷"), ("other", "其他"),
]
GUARANTEES = [("credit", "信用"), ("guarantee", "保证"), ("ip_pledge", "知识产权质押"),
              ("mortgage", "抵押"), ("mixed", "组合担保")]
STAGES = [("", "不限"), ("startup", "初创期"), ("growth", "成长期"), ("mature", "稳定期")]
TIERS = [("", "不限"), ("leading", "领跑"), ("competing", "竞跑"), ("striving", "进取")]
SORTS = {"rate": ("min_rate", "max_amount"), "amount": ("-max_amount", "min_rate"), "newest": ("-first_published_at",)}


class Bank(models.Model):
    name = models.CharField("银行名称", max_length=60, unique=True)
    logo = models.ForeignKey("wagtailimages.Image", verbose_name="标志", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    description = models.TextField("简介", max_length=500, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    staff_group = models.OneToOneField(Group, verbose_name="银行工作人员组", null=True, blank=True, editable=False,
                                       on_delete=models.SET_NULL, related_name="bank")

    panels = [FieldPanel("name"), FieldPanel("logo"), FieldPanel("description"), FieldPanel("contact_phone"),
              FieldPanel("address")]

    class Meta:
        verbose_name = "银行"
        verbose_name_plural = "银行"
        ordering = ["name"]

    def __str__(self):
        return self.name


class FinanceIndexPage(CachedPageMixin, Page):
    """/finance/: every product, with filters by bank, type, amount and rate, and sorting."""

    intro = RichTextField("栏目介绍", blank=True, features=["bold", "link"])
    per_page = models.PositiveSmallIntegerField("每页条数", default=12)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["finance_products.BankSectionPage"]
    max_count = 1

    class Meta:
        verbose_name = "金融超市栏目"

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from .filters import ProductFilterForm

        context = super().get_context(request, *args, **kwargs)
        form = ProductFilterForm(request.GET or None)
        products = FinanceProductPage.objects.live().public().descendant_of(self).select_related("bank")
        products = form.apply(products)
        context["filter_form"] = form
        context["page_obj"] = Paginator(products, self.per_page).get_page(request.GET.get("page"))
        return context


class BankSectionPage(CachedPageMixin, Page):
    """A bank's own part of the market: its products live under it, and its staff edit only here."""

    bank = models.OneToOneField(Bank, verbose_name="银行", on_delete=models.PROTECT, related_name="section")

    content_panels = Page.content_panels + [FieldPanel("bank")]
    parent_page_types = ["finance_products.FinanceIndexPage"]
    subpage_types = ["finance_products.FinanceProductPage"]

    class Meta:
        verbose_name = "银行专区"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["products"] = FinanceProductPage.objects.live().public().child_of(self).select_related("bank")
        return context


class FinanceProductPage(CachedPageMixin, Page):
    bank = models.ForeignKey(Bank, verbose_name="银行", on_delete=models.PROTECT, related_name="products",
                             editable=False)
    product_type = models.CharField("产品类型", max_length=20, choices=PRODUCT_TYPES)
    min_amount = models.DecimalField("最低额度（万元）", max_digits=10, decimal_places=2)
    max_amount = models.DecimalField("最高额度（万元）", max_digits=10, decimal_places=2)
    min_rate = models.DecimalField("最低年利率（%）", max_digits=5, decimal_places=2)
    max_rate = models.DecimalField("最高年利率（%）", max_digits=5, decimal_places=2)
    term = models.CharField("期限", max_length=40, help_text="如：1年以内、1-3年")
    guarantee = models.CharField("担保方式", max_length=20, choices=GUARANTEES)
    min_points = models.PositiveSmallIntegerField("最低创新积分", null=True, blank=True,
                                                  help_text="不填表示不限积分。")
    tier = models.CharField("积分档次要求", max_length=10, choices=TIERS, blank=True)
    stage = models.CharField("企业发展阶段", max_length=10, choices=STAGES, blank=True)
    summary = models.CharField("产品简介", max_length=200, blank=True)
    conditions = RichTextField("申请条件", blank=True, features=["bold", "ol", "ul", "link"])
    materials = RichTextField("申请材料", blank=True, features=["bold", "ol", "ul", "link"])
    contact = models.CharField("联系方式", max_length=100, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldRowPanel([FieldPanel("product_type"), FieldPanel("guarantee")]), FieldPanel("term")],
                        heading="产品"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("min_amount"), FieldPanel("max_amount")]),
                         FieldRowPanel([FieldPanel("min_rate"), FieldPanel("max_rate")])], heading="额度与利率"),
        MultiFieldPanel([FieldPanel("min_points"), FieldRowPanel([FieldPanel("tier"), FieldPanel("stage")])],
                        heading="申请资格"),
        FieldPanel("summary"), FieldPanel("conditions"), FieldPanel("materials"), FieldPanel("contact"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["finance_products.BankSectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = "金融产品"
        verbose_name_plural = "金融产品"

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.min_amount is not None and self.max_amount is not None and self.min_amount > self.max_amount:
            errors["max_amount"] = "最高额度不能低于最低额度。"
        if self.min_rate is not None and self.max_rate is not None and self.min_rate > self.max_rate:
            errors["max_rate"] = "最高年利率不能低于最低年利率。"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The bank is the section's: a product cannot claim another bank.
        parent = self.get_parent() if self.path else None
        if parent is not None and isinstance(parent.specific, BankSectionPage):
            self.bank_id = parent.specific.bank_id
        super().save(*args, **kwargs)
