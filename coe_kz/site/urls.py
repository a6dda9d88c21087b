from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from coe_kz.listing import answering_bad_parameters
from coe_kz.site import changelog, views
from coe_kz.site.sitemaps import SITEMAPS

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("status/", views.status, name="status"),
    path("search/", views.search, name="search"),
    path("changes/", changelog.change_log, name="changes"),
    path("changes/feed/", answering_bad_parameters(changelog.ChangeFeed()), name="changes-feed"),
    path("about/", views.about, name="about"),
    path("robots.txt", views.robots, name="robots"),
    # An index of the sections' files, each file at most RecordSitemap.limit addresses.
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "site:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    # Browsers ask for /favicon.ico on pages that name no icon (the API, a CSV).
    path("favicon.ico", views.favicon, name="favicon"),
]
