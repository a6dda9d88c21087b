"""Small helpers the admin modules share: addresses, excerpts, counts, date bounds."""

from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator

from coe_kz.dates import edtf_fields

QUOTE_START = 70


def admin_url(model: type[models.Model] | models.Model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def excerpt(text: str, length: int = QUOTE_START) -> str:
    return Truncator(text).chars(length)


def count_of(model: type[models.Model], relation: str) -> Coalesce:
    """How many rows `relation` (a reverse foreign key or a forward many-to-many of
    `model`) holds for each row, as a correlated subquery.

    A subquery per count, unlike `Count()`, needs no GROUP BY and does not multiply
    joins, so one changelist row can carry several counts in the same single query."""
    field = model._meta.get_field(relation)
    if field.many_to_many:
        rows = field.remote_field.through._base_manager
        own = field.m2m_field_name()
    else:
        rows = field.related_model._base_manager
        own = field.field.name
    counted = rows.filter(**{own: models.OuterRef("pk")}).order_by().values(own)
    return Coalesce(models.Subquery(counted.annotate(n=models.Count("*")).values("n")), 0)


def bound_names(model: type[models.Model]) -> dict[str, tuple[str, str]]:
    """Each EDTF field's name mapped to its two computed bound columns."""
    return {f.name: (f"{f.name}_earliest", f"{f.name}_latest") for f in edtf_fields(model)}


def version_date(row) -> str:
    return formats.date_format(timezone.localtime(row.history_date), "j M Y H:i")
