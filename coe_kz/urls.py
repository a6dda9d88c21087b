"""The site's URL map. Each app keeps its own namespaced urls.py.

The public pages are in three languages (i18n_patterns): English at the unprefixed
addresses every permalink has always had, Kazakh under /kk/, Russian under /ru/. What is
a contract rather than a page stays at one address, unprefixed, in English: the CSV
exports and the data package, a release's files, the API, the admin, /healthz, and what
robots read (robots.txt, sitemap.xml, which lists every language's pages)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from coe_kz.health import healthz
from coe_kz.models import Release
from coe_kz.site import views
from coe_kz.site.release_admin import ReleaseAdmin
from coe_kz.site.sitemaps import SITEMAPS

# Here, not in coe_kz/admin/: cutting a release needs the registry of datasets (the site).
admin.site.register(Release, ReleaseAdmin)

urlpatterns = [
    # For load balancers; outside every namespace, and exempt from the https redirect.
    path("healthz", healthz, name="healthz"),
    path("robots.txt", views.robots, name="robots"),
    # An index of the sections' files, each file at most RecordSitemap.limit addresses.
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    # Browsers ask for /favicon.ico on pages that name no icon (the API, a CSV).
    path("favicon.ico", views.favicon, name="favicon"),
    path("export/", include("coe_kz.site.export_urls")),
    path("releases/", include("coe_kz.site.release_file_urls")),
    path("api/", include("coe_kz.site.api_urls")),
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", include("coe_kz.site.urls")),
        path("treaties/", include("treaties.urls")),
        path("bodies/", include("bodies.urls")),
        path("events/", include("events.urls")),
        path("people/", include("events.people_urls")),
        path("sources/", include("coe_kz.site.source_urls")),
        path("releases/", include("coe_kz.site.release_urls")),
        prefix_default_language=False,
    ),
]

# The 404 page says what was not found; 400 and 500 use Django's handlers with our templates.
handler404 = "coe_kz.site.views.page_not_found"
