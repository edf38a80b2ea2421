from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .search import search_articles

RESULTS_PER_PAGE = 15


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:100]
    results = search_articles(query) if query else []
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "home/search.html", {"query": query, "page_obj": page_obj})
