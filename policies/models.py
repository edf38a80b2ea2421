from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page

from home.models import ArticleIndexPage, ArticlePage, HomeCard


class PolicyPage(ArticlePage):
    home_card = HomeCard(order=2, title="政策文件", href="/policies/", icon="file")
    issuer = models.CharField("发文机关", max_length=100)
    document_number = models.CharField("文号", max_length=60, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("issuer"), FieldPanel("document_number")]), FieldPanel("date")],
            heading="发文信息",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]
    parent_page_types = ["policies.PolicyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"

    def searchable_parts(self):
        return [*super().searchable_parts(), self.issuer, self.document_number]


class PolicyIndexPage(ArticleIndexPage):
    article_model = PolicyPage
    subpage_types = ["policies.PolicyPage"]

    class Meta:
        verbose_name = "政策文件栏目"
