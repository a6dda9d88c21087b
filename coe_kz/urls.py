"""The site's URL map. Each app keeps its own namespaced urls.py."""

from django.contrib import admin
from django.urls import include, path

from coe_kz.health import healthz
from coe_kz.models import Release
from coe_kz.site.release_admin import ReleaseAdmin

# Here, not in coe_kz/admin/: cutting a release needs the registry of datasets (the site).
admin.site.register(Release, ReleaseAdmin)

urlpatterns = [
    # For load balancers; outside every namespace, and exempt from the https redirect.
    path("healthz", healthz, name="healthz"),
    path("", include("coe_kz.site.urls")),
    path("treaties/", include("treaties.urls")),
    path("bodies/", include("bodies.urls")),
    path("events/", include("events.urls")),
    path("people/", include("events.people_urls")),
    path("sources/", include("coe_kz.site.source_urls")),
    path("export/", include("coe_kz.site.export_urls")),
    path("releases/", include("coe_kz.site.release_urls")),
    path("api/", include("coe_kz.site.api_urls")),
    path("admin/", admin.site.urls),
]

# The 404 page says what was not found; 400 and 500 use Django's handlers with our templates.
handler404 = "coe_kz.site.views.page_not_found"
