"""/enterprise/applications/: an enterprise's 金融产品申请 (included in portal/urls.py)."""

from django.urls import path

from . import views

application_patterns = (
    [
        path("", views.application_list, name="applications"),
        path("<int:pk>/", views.application_detail, name="application"),
        path("<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"),
    ],
    "finance",
)
