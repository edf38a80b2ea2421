"""Site search over every article type (通知公告, 政策文件 and 操作说明).

Chinese is written without spaces, so a word is found by substring, not by a full-text
tokeniser; every word the visitor types must appear in the title or text, in whatever width
(ｇｂ２０２６ finds GB2026 and the other way round).
"""

from functools import reduce
from operator import and_, or_

from django.db.models import Q
from wagtail.models import Page

from portal.core.text import clean_text, width_variants

from .models import ArticlePage

MAX_RESULTS = 200


def search_articles(query: str) -> list:
    """The published, public articles of every type holding every word of `query` (any width,
    any case), newest first, at most MAX_RESULTS."""
    words = clean_text(query).split()
    if not words:
        return []
    condition = reduce(and_, (
        reduce(or_, (Q(search_text__icontains=variant) for variant in width_variants(word))) for word in words
    ))
    private_q = Page.objects.private_q()
    results = []
    for model in ArticlePage.article_types():
        results.extend(model.published(private_q).filter(condition).order_by("-date")[:MAX_RESULTS])
    results.sort(key=lambda page: (page.date, page.pk), reverse=True)
    return results[:MAX_RESULTS]
