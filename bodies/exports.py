"""The bodies' datasets: /export/bodies.csv and /export/body_standings.csv, their API
endpoints and their files in the data package (collected by coe_kz.site.datasets)."""

from django.utils.translation import gettext_lazy as _

from bodies.filters import BodyFilter
from bodies.models import Body, BodyStanding
from coe_kz.csvexport import field_column
from coe_kz.datasets import (
    DEPRECATED,
    ForeignKey,
    ModelDataset,
    columns,
    public_key_column,
)
from coe_kz.visibility import public

BODY_COLUMNS = [
    field_column(Body, "slug"),
    field_column(Body, "name", description=_("The body's name.")),
    field_column(Body, "acronym", description=_("Its acronym, where it has one.")),
    field_column(Body, "kind", description=_("What kind of body it is.")),
    public_key_column(Body, "parent"),
    field_column(Body, "note", description=_("What editors add about the body record.")),
]
BODY_STANDING_COLUMNS = [
    field_column(
        BodyStanding, "id", description=_("The standing's key in this export; stable between exports.")
    ),
    *columns(BodyStanding, "body", "date", "date_earliest", "date_latest", "status"),
    DEPRECATED,
    field_column(BodyStanding, "note", description=_("What editors add about the standing.")),
]

BODIES = ModelDataset(
    "bodies",
    _("Bodies"),
    BODY_COLUMNS,
    _("Council of Europe bodies and partial agreements, each keyed by a lowercase slug."),
    primary_key=("slug",),
    foreign_keys=(ForeignKey("parent", "bodies", "slug"),),
    queryset=lambda: public(Body.objects.select_related("parent")).order_by("name", "slug"),
    filterset=BodyFilter,
)
BODY_STANDINGS = ModelDataset(
    "body_standings",
    _("Body standings"),
    BODY_STANDING_COLUMNS,
    _("The dated changes of Kazakhstan's standing in the bodies."),
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
