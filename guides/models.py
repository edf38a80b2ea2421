from home.models import ArticleIndexPage, ArticlePage


class GuidePage(ArticlePage):
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
