"""The releases' pages and feed, in every language; their files are release_file_urls'."""

from django.urls import path

from coe_kz.listing import answering_bad_parameters
from coe_kz.site import release_views  # registers the <version:> converter

app_name = "releases"

urlpatterns = [
    path("", release_views.release_list, name="list"),
    path("feed/", answering_bad_parameters(release_views.ReleaseFeed()), name="feed"),
    path("<version:version>/", release_views.release_detail, name="detail"),
]
