"""The JSON API's URLs, meant to be included at /api/ (namespace "api")."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from coe_kz.site import api
from coe_kz.site.datasets import DATASETS

app_name = "api"


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, itself left out of it. With `schema = None` the generator skips
    this view, so the API needs no DEFAULT_SCHEMA_CLASS setting: its views bring their own."""

    schema = None


urlpatterns = [
    path("", api.root, name="root"),
    path("schema/", SchemaView.as_view(), name="schema"),
    *(path(f"{name}/", api.dataset_view(dataset), name=name) for name, dataset in DATASETS.items()),
    # One row by its key: /api/treaties/141/, /api/participations/<event>/<person>/.
    *(
        path(f"{name}/" + "".join(f"<str:{key}>/" for key in dataset.primary_key), api.record_view(dataset))
        for name, dataset in DATASETS.items()
        if dataset.primary_key
    ),
    # Last: any other address ending in "/" (so APPEND_SLASH still redirects /api/events).
    re_path(r"^(?P<path>.+/)$", api.not_found),
]
