from typing import ClassVar, NamedTuple

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.core.generations import Memo

from .blocks import AttachmentsBlock, BodyBlock
from .cache import GENERATION, CachedPageMixin

HOME_CARD_ITEMS = 6
# The home page's cards per home page and site, under the page cache's generation (started
# anew by any publication, move, deletion or view restriction: home.cache): a logged-in
# visitor's home page, never page-cached, reads them from here (issue 21).
HOME_CARDS = Memo(GENERATION, max_entries=8)


class HomeCard(NamedTuple):
    """How an article type appears as a card on the home page (通知公告, 政策文件, 操作说明)."""

    order: int
    title: str
    href: str
    icon: str


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Everything on every page that editors, not developers, should change."""

    platform_name = models.CharField("平台名称", max_length=60, default="高新区企业创新积分管理平台")
    slogan = models.CharField("标语", max_length=60, default="构建创新生态 · 企业分级分类培育")
    support_company = models.CharField("技术支持单位", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    consult_phone = models.CharField("咨询电话", max_length=40, blank=True)
    tech_phone = models.CharField("技术支持电话", max_length=40, blank=True)
    browser_hint = models.CharField("浏览器提示", max_length=60, default="请使用谷歌、火狐浏览器")
    ip_platform_label = models.CharField(
        "外部平台入口名称", max_length=60, default="大连高新区知识产权公共服务平台入口"
    )
    ip_platform_url = models.URLField("外部平台入口链接", blank=True)
    record_number = models.CharField("备案号", max_length=60, blank=True)
    consent_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="《知情同意书》页面", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="企业注册页面“我同意政府相关《知情同意书》”链接到的页面。",
    )

    panels = [
        MultiFieldPanel([FieldPanel("platform_name"), FieldPanel("slogan")], heading="平台"),
        MultiFieldPanel(
            [
                FieldPanel("support_company"),
                FieldPanel("contact_phone"),
                FieldPanel("consult_phone"),
                FieldPanel("tech_phone"),
                FieldPanel("browser_hint"),
                FieldPanel("record_number"),
            ],
            heading="页脚",
        ),
        MultiFieldPanel(
            [FieldPanel("ip_platform_label"), FieldPanel("ip_platform_url")], heading="首页右下角入口"
        ),
        FieldPanel("consent_page"),
    ]

    class Meta:
        verbose_name = "门户设置"


class HomePage(CachedPageMixin, Page):
    banner_title = models.CharField("横幅标题", max_length=60, default="企业创新积分信息管理平台")
    banner_text = models.CharField(
        "横幅说明", max_length=200, blank=True,
        help_text="显示在横幅标题下方的一句话介绍。",
    )
    banner_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="横幅图片", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text="不上传时使用默认的蓝色背景。",
    )
    business_intro = models.CharField(
        "企业业务说明", max_length=200, blank=True,
        default="企业注册并登录后，可进行基本信息填报、积分数据填报、积分结果查询和创新积分应用。",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("banner_title"), FieldPanel("banner_text"), FieldPanel("banner_image")],
            heading="横幅",
        ),
        FieldPanel("business_intro"),
        HelpPanel("通知公告、政策文件、操作说明三个模块自动显示各栏目最新发布的内容。"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "notices.NoticeIndexPage", "policies.PolicyIndexPage", "guides.GuideIndexPage",
        "finance_products.FinanceIndexPage", "home.StandardPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "首页"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        site = getattr(request, "_wagtail_site", None)
        context["modules"] = HOME_CARDS.get((self.pk, site.pk if site else None), lambda: self.cards(request))
        return context

    def cards(self, request) -> list[dict]:
        """[{"card": HomeCard, "items": [{"title", "date", "url"}]}] for each article type on the
        home page: its newest HOME_CARD_ITEMS live articles outside private sections, with their
        URLs as seen from the request's site."""
        private_q = Page.objects.private_q()
        return [
            {"card": model.home_card,
             "items": [{"title": item.title, "date": item.date, "url": item.get_url(request)}
                       for item in model.published(private_q).defer_streamfields().order_by("-date", "-pk")
                       [:HOME_CARD_ITEMS]]}
            for model in ArticlePage.on_home_page()
        ]


class ArticleIndexPage(CachedPageMixin, Page):
    """A paginated, newest-first list of one article type (通知公告, 政策文件, 操作说明)."""

    intro = RichTextField("栏目介绍", blank=True, features=["bold", "link"])
    per_page = models.PositiveSmallIntegerField("每页条数", default=15)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]

    parent_page_types = ["home.HomePage"]
    max_count = 1
    article_model: type["ArticlePage"]

    class Meta:
        abstract = True

    def articles(self):
        return self.article_model.objects.child_of(self).live().public().order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.articles().defer_streamfields(), self.per_page)
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
        return context


class ArticlePage(CachedPageMixin, Page):
    """A dated article with a rich body and downloadable attachments."""

    date = models.DateField("发布日期", default=timezone.localdate)
    summary = models.TextField("摘要", max_length=300, blank=True, help_text="列表和搜索结果中显示，不填则取正文开头。")
    body = StreamField(BodyBlock(), verbose_name="正文", blank=True)
    attachments = StreamField(AttachmentsBlock(), verbose_name="附件", blank=True)
    # Plain text of everything a visitor can search for, refreshed on every save.
    search_text = models.TextField(editable=False, blank=True, default="")

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]
    search_fields = Page.search_fields + [index.SearchField("search_text")]
    # Set on an article type to show its newest articles as a card on the home page.
    home_card: ClassVar[HomeCard | None] = None

    class Meta:
        abstract = True

    @classmethod
    def article_types(cls) -> list[type["ArticlePage"]]:
        """Every installed article type (通知公告, 政策文件, 操作说明, …), in home-card order.
        Found among the installed models, so the home app needs to know no section app."""
        found = [model for model in apps.get_models() if issubclass(model, cls)]
        return sorted(found, key=lambda model: (model.home_card is None, model.home_card or (), model.__name__))

    @classmethod
    def on_home_page(cls) -> list[type["ArticlePage"]]:
        """The article types shown as cards on the home page: those with a `home_card`."""
        return [model for model in cls.article_types() if model.home_card]

    @property
    def type_label(self):
        return self._meta.verbose_name

    @classmethod
    def published(cls, private_q=None):
        """Live articles outside private sections. Listing several article types at once,
        compute `Page.objects.private_q()` once and pass it in, saving a query per type."""
        articles = cls.objects.live().defer_streamfields()
        return articles.exclude(articles.private_q() if private_q is None else private_q)

    def searchable_parts(self):
        parts = [self.title, self.summary]
        for block in self.body:
            if block.block_type == "heading":
                parts.append(block.value["text"])
            elif block.block_type == "paragraph":
                parts.append(strip_tags(block.value.source))
            elif block.block_type == "callout":
                parts.append(strip_tags(block.value["text"].source))
        return parts

    def save(self, *args, **kwargs):
        self.search_text = "\n".join(part for part in self.searchable_parts() if part)
        return super().save(*args, **kwargs)

    @property
    def excerpt(self):
        """The summary, or the start of the text when the editor wrote none."""
        if self.summary:
            return self.summary
        return " ".join(self.search_text.split("\n")[1:])[:120]


class StandardPage(CachedPageMixin, Page):
    """A stand-alone page such as 《知情同意书》 or 关于平台."""

    body = StreamField(BodyBlock(), verbose_name="正文", blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "通用页面"
