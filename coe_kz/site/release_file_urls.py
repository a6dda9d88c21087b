"""A release's files, at one address each, unprefixed: the same bytes for good, whatever
the language of the page that links to them (the pages are release_urls')."""

from django.urls import path

from coe_kz.site import release_views  # registers the <version:> converter

app_name = "release-files"

urlpatterns = [
    path("<version:version>/coe-kz.zip", release_views.archive, name="archive"),
    path("<version:version>/changes.csv", release_views.changes_csv, name="changes"),
    path("<version:version>/<str:dataset>.csv", release_views.dataset_csv, name="csv"),
]
