"""The treaties' datasets: /export/treaties.csv and /export/treaty_steps.csv, their
API endpoints and their files in the data package (collected by coe_kz.site.datasets)."""

from operator import attrgetter

from coe_kz.csvexport import Column, field_column
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
from treaties.filters import TreatyFilter
from treaties.models import Treaty, TreatyStep

TREATY_COLUMNS = [
    field_column(Treaty, "number"),
    Column(
        "label",
        attrgetter("label"),
        "ETS No. n below 194, CETS No. n from 194 on (the Treaty Office's usage).",
    ),
    *columns(Treaty, "title", "short_title", "kind"),
    public_key_column(Treaty, "amends"),
    *columns(Treaty, "opened", "opened_earliest", "opened_latest", "opened_place"),
    *columns(Treaty, "in_force", "in_force_earliest", "in_force_latest"),
    public_key_column(Treaty, "reference_source"),
    field_column(Treaty, "note"),
]
TREATY_STEP_COLUMNS = [
    id_column(TreatyStep, "step"),
    *columns(TreatyStep, "treaty", "date", "date_earliest", "date_latest", "status", "consent"),
    *columns(TreatyStep, "entry_into_force", "entry_into_force_earliest", "entry_into_force_latest"),
    DEPRECATED,
    field_column(TreatyStep, "note"),
]

TREATIES = ModelDataset(
    "treaties",
    "Treaties",
    TREATY_COLUMNS,
    model_doc(Treaty),
    primary_key=("number",),
    foreign_keys=(
        ForeignKey("amends", "treaties", "number"),
        ForeignKey("reference_source", "sources", "key"),
    ),
    queryset=lambda: public(Treaty.objects.select_related("amends", "reference_source")).order_by("number"),
    filterset=TreatyFilter,
)
TREATY_STEPS = ModelDataset(
    "treaty_steps",
    "Treaty steps",
    TREATY_STEP_COLUMNS,
    model_doc(TreatyStep),
    primary_key=("id",),
    foreign_keys=(ForeignKey("treaty", "treaties", "number"),),
    queryset=lambda: public(TreatyStep.objects.order_by("treaty", *TreatyStep._meta.ordering)),
    filterset=TreatyFilter,
    through="treaty",
    records=True,
)
DATASETS = (TREATIES, TREATY_STEPS)
