from home.models import ArticleIndexPage, ArticlePage, HomeCard


class NoticePage(ArticlePage):
    home_card = HomeCard(order=1, title="通知公告", href="/notices/", icon="bell")
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
