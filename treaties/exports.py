"""The treaties' datasets: /export/treaties.csv and /export/treaty_steps.csv, their
API endpoints and their files in the data package (collected by coe_kz.site.datasets)."""

from operator import attrgetter

from django.utils.translation import gettext_lazy as _

from coe_kz.csvexport import Column, field_column
from coe_kz.datasets import (
    DEPRECATED,
    ForeignKey,
    ModelDataset,
    columns,
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
        _("ETS No. n below 194, CETS No. n from 194 on (the Treaty Office's usage)."),
    ),
    *columns(Treaty, "title", "short_title"),
    field_column(Treaty, "kind", description=_("What kind of treaty it is.")),
    public_key_column(Treaty, "amends"),
    *columns(Treaty, "opened", "opened_earliest", "opened_latest", "opened_place"),
    *columns(Treaty, "in_force", "in_force_earliest", "in_force_latest"),
    public_key_column(Treaty, "reference_source"),
    field_column(Treaty, "note", description=_("What editors add about the treaty record.")),
]
TREATY_STEP_COLUMNS = [
    field_column(TreatyStep, "id", description=_("The step's key in this export; stable between exports.")),
    *columns(TreatyStep, "treaty", "date", "date_earliest", "date_latest", "status", "consent"),
    *columns(TreatyStep, "entry_into_force", "entry_into_force_earliest", "entry_into_force_latest"),
    DEPRECATED,
    field_column(TreatyStep, "note", description=_("What editors add about the step.")),
]

TREATIES = ModelDataset(
    "treaties",
    _("Treaties"),
    TREATY_COLUMNS,
    _("Council of Europe conventions, protocols and agreements, each keyed by its CETS/ETS number."),
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
    _("Treaty steps"),
    TREATY_STEP_COLUMNS,
    _("Kazakhstan's dated steps on the treaties: interest, invitation, signature, consent."),
    primary_key=("id",),
    foreign_keys=(ForeignKey("treaty", "treaties", "number"),),
    queryset=lambda: public(TreatyStep.objects.order_by("treaty", *TreatyStep._meta.ordering)),
    filterset=TreatyFilter,
    through="treaty",
    records=True,
)
DATASETS = (TREATIES, TREATY_STEPS)
