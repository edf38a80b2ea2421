from home.models import ArticleIndexPage, ArticlePage, HomeCard


class GuidePage(ArticlePage):
    home_card = HomeCard(order=3, title="操作说明", href="/guides/", icon="book")
    parent_page_types = ["guides.GuideIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "操作说明"
        verbose_name_plural = "操作说明"


class GuideIndexPage(ArticleIndexPage):
    article_model = GuidePage
    subpage_types = ["guides.GuidePage"]

    class Meta:
        verbose_name = "操作说明栏目"
