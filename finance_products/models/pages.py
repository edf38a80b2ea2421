"""金融超市's pages: /finance/ (FinanceIndexPage), one section page per bank under it, and its
products. Each bank's staff group may edit only its own section (Wagtail page permissions on
that subtree); content editors edit every page. A page shown to a logged-in enterprise carries
its own match status and is never cached."""

from django.db import models
from django.utils.cache import add_never_cache_headers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home import cache as page_cache
from home.cache import CachedPageMixin
from portal.core.generations import Memo

from .lending import GUARANTEES, PRODUCT_TYPES, STAGES, TIERS, Bank


class PersonalisedPageMixin:
    """A page that shows a logged-in visitor something of their own (their match status):
    anonymous visitors still get the shared cached copy, anyone logged in a private, uncached one."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


# (index page, page size, the filters' values, page number) -> (products, count, page number).
PRODUCT_PAGES = Memo(page_cache.GENERATION, max_entries=200)


class FinanceIndexPage(PersonalisedPageMixin, CachedPageMixin, RoutablePageMixin, Page):
    """/finance/: every product, with filters by bank, type, amount and rate, and sorting;
    /finance/recommend/ (为我推荐): a logged-in enterprise's products, those it qualifies for first."""

    intro = RichTextField("栏目介绍", blank=True, features=["bold", "link"])
    per_page = models.PositiveSmallIntegerField("每页条数", default=12)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["finance_products.BankSectionPage"]
    max_count = 1

    class Meta:
        verbose_name = "金融超市栏目"

    def products(self):
        return FinanceProductPage.objects.live().public().descendant_of(self).select_related("bank")

    def get_context(self, request, *args, **kwargs):
        from .. import matching
        from ..filters import ProductFilterForm

        context = super().get_context(request, *args, **kwargs)
        form = ProductFilterForm(request.GET or None)
        context["filter_form"] = form
        context["page_obj"] = self.product_page(form, request.GET.get("page"))
        context["viewer"] = matching.Viewer.for_request(request)
        if context["viewer"]:
            context["viewer"].annotate(context["page_obj"].object_list)
        return context

    def product_page(self, form, number):
        """The page `number` of the products `form` selects (a Django paginator `Page`, its
        products a list): from the worker's memo under the page cache's generation — anything
        published, unpublished or moved, a bank or a view restriction changed starts a new one —
        the same for every visitor of these filters (a logged-in one's are annotated after)."""
        from django.core.paginator import Paginator

        filters = tuple((name, form.data.get(name, "")) for name in form.fields) if form.is_bound else ()

        def read():
            paginator = Paginator(form.apply(self.products()), self.per_page)
            page = paginator.get_page(number)
            return list(page.object_list), paginator.count, page.number

        rows, count, found = PRODUCT_PAGES.get((self.pk, self.per_page, filters, str(number)), read)
        page = Paginator(range(count), self.per_page).page(found)
        page.object_list = rows
        return page

    @path("recommend/", name="recommend")
    def recommend_route(self, request):
        from .. import views

        return views.recommend(request, self)


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


class FinanceProductPage(PersonalisedPageMixin, CachedPageMixin, RoutablePageMixin, Page):
    """A product: its terms and who qualifies. A logged-in enterprise sees whether it qualifies
    and why not, and applies at ./apply/."""

    bank = models.ForeignKey(
        Bank, verbose_name="银行", on_delete=models.PROTECT, related_name="products", editable=False
    )
    product_type = models.CharField("产品类型", max_length=20, choices=PRODUCT_TYPES)
    min_amount = models.DecimalField("最低额度（万元）", max_digits=10, decimal_places=2)
    max_amount = models.DecimalField("最高额度（万元）", max_digits=10, decimal_places=2)
    min_rate = models.DecimalField("最低年利率（%）", max_digits=5, decimal_places=2)
    max_rate = models.DecimalField("最高年利率（%）", max_digits=5, decimal_places=2)
    term = models.CharField("期限", max_length=40, help_text="如：1年以内、1-3年")
    guarantee = models.CharField("担保方式", max_length=20, choices=GUARANTEES)
    min_points = models.PositiveSmallIntegerField("最低创新积分", null=True, blank=True, help_text="不填表示不限积分。")
    tier = models.CharField("积分梯队要求", max_length=10, choices=TIERS, blank=True)
    stage = models.CharField("企业发展阶段", max_length=10, choices=STAGES, blank=True)
    summary = models.CharField("产品简介", max_length=200, blank=True)
    conditions = RichTextField("申请条件", blank=True, features=["bold", "ol", "ul", "link"])
    materials = RichTextField("申请材料", blank=True, features=["bold", "ol", "ul", "link"])
    contact = models.CharField("联系方式", max_length=100, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("product_type"), FieldPanel("guarantee")]), FieldPanel("term")], heading="产品"
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("min_amount"), FieldPanel("max_amount")]),
                FieldRowPanel([FieldPanel("min_rate"), FieldPanel("max_rate")]),
            ],
            heading="额度与利率",
        ),
        MultiFieldPanel(
            [FieldPanel("min_points"), FieldRowPanel([FieldPanel("tier"), FieldPanel("stage")])], heading="申请资格"
        ),
        FieldPanel("summary"),
        FieldPanel("conditions"),
        FieldPanel("materials"),
        FieldPanel("contact"),
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

    def get_context(self, request, *args, **kwargs):
        from .. import matching

        context = super().get_context(request, *args, **kwargs)
        viewer = matching.Viewer.for_request(request)
        context["viewer"] = viewer
        if viewer:
            context["match"] = viewer.match(self)
            context["open_application"] = viewer.open_application(self)
            context["apply_url"] = (self.url or "") + self.reverse_subpage("apply")
        return context

    @path("apply/", name="apply")
    def apply_route(self, request):
        from .. import views

        return views.apply(request, self)

    def requirements_in_words(self) -> str:
        """申请资格 as one line: "创新积分不低于60分；积分梯队竞跑及以上；成长期企业", or 不限."""
        parts = []
        if self.min_points is not None:
            parts.append(f"创新积分不低于{self.min_points}分")
        if self.tier:
            parts.append(f"积分梯队{self.get_tier_display()}及以上")
        if self.stage:
            parts.append(f"{self.get_stage_display()}企业")
        return "；".join(parts) or "不限（须有正式发布的创新积分结果）"

    def save(self, *args, **kwargs):
        # The bank is the section's: a product cannot claim another bank.
        parent = self.get_parent() if self.path else None
        if parent is not None and isinstance(parent.specific, BankSectionPage):
            self.bank_id = parent.specific.bank_id
        super().save(*args, **kwargs)
