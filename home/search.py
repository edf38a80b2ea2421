"""Site search over every article type (通知公告, 政策文件 and 操作说明).

Chinese is written without spaces, so a word is found by substring, not by a full-text
tokeniser; every word the visitor types must appear in the title or text.
"""

from functools import reduce
from operator import and_

from django.db.models import Q
from wagtail.models import Page

from .models import ArticlePage

MAX_RESULTS = 200


def search_articles(query: str) -> list:
    words = query.split()
    if not words:
        return []
    condition = reduce(and_, (Q(search_text__icontains=word) for word in words))
    private_q = Page.objects.private_q()
    results = []
    for model in ArticlePage.article_types():
        results.extend(model.published(private_q).filter(condition).order_by("-date")[:MAX_RESULTS])
    results.sort(key=lambda page: (page.date, page.pk), reverse=True)
    return results[:MAX_RESULTS]
