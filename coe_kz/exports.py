"""The core's own dataset: /export/sources.csv (collected by coe_kz.site.datasets)."""

from coe_kz.datasets import ModelDataset, columns, model_doc
from coe_kz.filters import SourceFilter
from coe_kz.models import Source
from coe_kz.visibility import public

SOURCE_COLUMNS = columns(
    Source, "key", "title", "publisher", "published", "published_earliest", "published_latest"
) + columns(Source, "language", "url", "note")

SOURCES = ModelDataset(
    "sources",
    "Sources",
    SOURCE_COLUMNS,
    model_doc(Source),
    primary_key=("key",),
    queryset=lambda: public(Source.objects.order_by("key")),
    filterset=SourceFilter,
    records=True,
)
DATASETS = (SOURCES,)
