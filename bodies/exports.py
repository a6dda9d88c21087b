"""The bodies' datasets: /export/bodies.csv and /export/body_standings.csv, their API
endpoints and their files in the data package (collected by coe_kz.site.datasets)."""

from bodies.filters import BodyFilter
from bodies.models import Body, BodyStanding
from coe_kz.csvexport import field_column
from coe_kz.datasets import (
    DEPRECATED,
    ForeignKey,
    ModelDataset,
    columns,
    id_column,
    model_doc,
    public_key_column,
)
from coe_kz.visibility import public

BODY_COLUMNS = [
    *columns(Body, "slug", "name", "acronym", "kind"),
    public_key_column(Body, "parent"),
    field_column(Body, "note"),
]
BODY_STANDING_COLUMNS = [
    id_column(BodyStanding, "standing"),
    *columns(BodyStanding, "body", "date", "date_earliest", "date_latest", "status"),
    DEPRECATED,
    field_column(BodyStanding, "note"),
]

BODIES = ModelDataset(
    "bodies",
    "Bodies",
    BODY_COLUMNS,
    model_doc(Body),
    primary_key=("slug",),
    foreign_keys=(ForeignKey("parent", "bodies", "slug"),),
    queryset=lambda: public(Body.objects.select_related("parent")).order_by("name", "slug"),
    filterset=BodyFilter,
)
BODY_STANDINGS = ModelDataset(
    "body_standings",
    "Body standings",
    BODY_STANDING_COLUMNS,
    model_doc(BodyStanding),
    primary_key=("id",),
    foreign_keys=(ForeignKey("body", "bodies", "slug"),),
    queryset=lambda: public(
        BodyStanding.objects.order_by("body__name", "body", *BodyStanding._meta.ordering)
    ),
    filterset=BodyFilter,
    through="body",
    records=True,
)
DATASETS = (BODIES, BODY_STANDINGS)
