from home.models import ArticleIndexPage, ArticlePage


class NoticePage(ArticlePage):
    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"


class NoticeIndexPage(ArticleIndexPage):
    article_model = NoticePage
    subpage_types = ["notices.NoticePage"]

    class Meta:
        verbose_name = "通知公告栏目"
