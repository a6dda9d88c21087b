"""The site's own pages, in every language (coe_kz/urls.py puts them in i18n_patterns)."""

from django.urls import path

from coe_kz.listing import answering_bad_parameters
from coe_kz.site import changelog, export_views, views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("status/", views.status, name="status"),
    path("search/", views.search, name="search"),
    path("changes/", changelog.change_log, name="changes"),
    path("changes/feed/", answering_bad_parameters(changelog.ChangeFeed()), name="changes-feed"),
    path("about/", views.about, name="about"),
    # The export page describes the datasets; their files (export_urls) are not translated.
    path("export/", export_views.index, name="export"),
]
