from django.urls import path, register_converter

from coe_kz.listing import answering_bad_parameters
from coe_kz.models import VERSION_RE
from coe_kz.site import release_views


class VersionConverter:
    """A release's version as written (2026.1): an address that is no version is no page."""

    regex = VERSION_RE

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(VersionConverter, "version")

app_name = "releases"

urlpatterns = [
    path("", release_views.release_list, name="list"),
    path("feed/", answering_bad_parameters(release_views.ReleaseFeed()), name="feed"),
    path("<version:version>/", release_views.release_detail, name="detail"),
    path("<version:version>/coe-kz.zip", release_views.archive, name="archive"),
    path("<version:version>/changes.csv", release_views.changes_csv, name="changes"),
    path("<version:version>/<str:dataset>.csv", release_views.dataset_csv, name="csv"),
]
