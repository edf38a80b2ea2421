from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from enterprise_business.urls import account_patterns, enterprise_patterns
from finance_products.urls import application_patterns
from home import views as home_views
from portal import health
from portal.core.files import views as files
from scoring_engine import views as scoring_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", home_views.search, name="search"),
    path("health/", health.health, name="health"),
    path("accounts/", include(account_patterns)),
    # 积分结果查询 sits under /enterprise/ but belongs to scoring_engine; it must come before the include.
    path("enterprise/results/", scoring_views.enterprise_results, name="enterprise-results"),
    path("enterprise/applications/", include(application_patterns)),
    # Proofs and attachments, for whoever `portal.core.files.access.can_read` allows.
    path("enterprise/files/<int:file_id>/", files.download, name="private-file"),
    path("enterprise/", include(enterprise_patterns)),
    path("ranking/", scoring_views.ranking, name="ranking"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Everything else is a Wagtail page; this must stay last.
urlpatterns += [path("", include(wagtail_urls))]
