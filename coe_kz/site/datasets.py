"""The registry of datasets: every app's, and the two that span apps (citations of
every kind, and the status in every treaty and body on a day).

The CSV endpoints, `manage.py export`, the /export/ page, the data package and the API
all read from `DATASETS`, so each dataset has exactly one export path and one column
list. The apps declare their own datasets in their `exports.py`; this module only puts
them in the order researchers meet them.
"""

import datetime
from dataclasses import dataclass
from operator import attrgetter

from django import forms
from django.db import models
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bodies import exports as body_exports
from bodies.models import BodyStanding
from coe_kz import exports as core_exports
from coe_kz.csvexport import Column, field_description
from coe_kz.datasets import (
    AS_OF_PARAM,
    Concatenation,
    Dataset,
    FilteredDataset,
    ForeignKey,
    Selection,
    columns,
    params_key,
    table_schema,
)
from coe_kz.dates import parse_day
from coe_kz.filters import SourceFilter
from coe_kz.languages import ORIGINAL
from coe_kz.params import BadParameters
from coe_kz.records import citation_models, dated_record_models, no_record_with, page_paths
from coe_kz.site.standing import standing_on
from coe_kz.visibility import public
from events import exports as event_exports
from treaties import exports as treaty_exports
from treaties.models import TreatyStep

PACKAGE_NAME = "coe-kz"
PACKAGE_TITLE = "Kazakhstan and the Council of Europe"
# The about page's licence: the curated data under CC BY 4.0, citing the site.
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}


@dataclass(frozen=True)
class CitationKind:
    """One citation table and how its rows name the record they support."""

    record_type: str
    model: type[models.Model]
    joins: tuple[str, ...]
    order: tuple[str, ...]

    @classmethod
    def of(cls, model) -> "CitationKind":
        # Read in the order of the pages they stand on (a step's treaty, then the step).
        page = page_paths(model)[0]
        return cls(model.RECORD_TYPE, model, (page,), tuple(dict.fromkeys((page, "record", "pk"))))


CITATION_KINDS = tuple(CitationKind.of(model) for model in citation_models())
_RECORD_TYPE = {kind.model: kind.record_type for kind in CITATION_KINDS}


@dataclass(frozen=True, kw_only=True)
class CitationsDataset(FilteredDataset):
    """Every citation of every kind, one table after another, narrowed by their source."""

    def _querysets(self, sources: models.QuerySet | None = None) -> list[models.QuerySet]:
        querysets = []
        for kind in CITATION_KINDS:
            rows = public(kind.model.objects.select_related(*kind.joins)).order_by(*kind.order)
            if sources is not None:
                rows = rows.filter(source__in=sources.values("pk"))
            querysets.append(rows)
        return querysets

    def _select(self, data):
        return Selection(self, Concatenation(self._querysets(self.matching(data))), params_key(data))

    def count(self):
        return Concatenation(self._querysets()).count()


@dataclass(frozen=True)
class StatusDataset(Dataset):
    """Kazakhstan's standing in every treaty and body on one day, from standing_on(). The
    status page shows its selection, so the page and its CSV read `as_of` alike."""

    def _select(self, data):
        day = self._day(data)
        return Selection(self, standing_on(day), params_key(data), as_of=day)

    def _day(self, data) -> datetime.date:
        text = data.get(AS_OF_PARAM, "").strip()
        try:
            return parse_day(text) if text else timezone.localdate()
        except ValueError as error:
            raise BadParameters([f"{AS_OF_PARAM}: {error}"]) from None

    def count(self):
        return len(standing_on(timezone.localdate()))

    def parameters(self):
        return [(AS_OF_PARAM, _("The day, as YYYY-MM-DD; today when left out."))]

    def record_parameters(self):
        return self.parameters()

    def _record_row(self, key, data, language):
        return next((row for row in standing_on(self._day(data)) if (row.kind, row.key) == key), None)

    def missing(self, key):
        kind, record_key = key
        if kind not in dated_record_models():
            return f"“{kind}” is not a kind of record; use {' or '.join(dated_record_models())}."
        return no_record_with(dated_record_models()[kind], record_key)

    def parameter_fields(self):
        return {AS_OF_PARAM: forms.DateField()}


CITATION_COLUMNS = [
    Column(
        "record_type",
        lambda citation: _RECORD_TYPE[type(citation)],
        format_lazy(
            _("What kind of record the citation supports: {codes} (the datasets {datasets})."),
            codes=", ".join(kind.record_type for kind in CITATION_KINDS),
            datasets="treaty_steps, body_standings, events, people",
        ),
        codes=tuple(kind.record_type for kind in CITATION_KINDS),
    ),
    Column(
        "record_key",
        attrgetter("record_id"),
        _("Key of that record in its dataset: a step's or event's id, a person's slug."),
    ),
    Column(
        "record_label",
        lambda citation: str(citation.record),
        _("The record as the site names it."),
        text=True,
    ),
    *columns(CITATION_KINDS[0].model, "source", "quote", "rank", "rank_reason", "paragraph", "note"),
]
_treaty_status = TreatyStep._meta.get_field("status")
_body_status = BodyStanding._meta.get_field("status")
STATUS_COLUMNS = [
    Column("kind", attrgetter("kind"), _("treaty or body."), codes=("treaty", "body")),
    Column("key", attrgetter("key"), _("The record's key: a treaty's CETS/ETS number, a body's slug.")),
    # Named as it is read (str(record)), so in the language the export is read in.
    Column("name", lambda row: str(row.record), _("The record as the site names it."), text=True),
    Column(
        "status",
        attrgetter("answer.status"),
        format_lazy(
            _("Status on the as_of day. Treaties: {treaties} Bodies: {bodies}"),
            treaties=field_description(_treaty_status),
            bodies=field_description(_body_status),
        ),
        codes=tuple(dict.fromkeys(str(code) for code, _ in _treaty_status.choices + _body_status.choices)),
    ),
    Column(
        "since",
        attrgetter("answer.since"),
        _("Date (EDTF) of the step in force; empty when none is."),
        format="edtf",
    ),
    Column(
        "certain",
        attrgetter("answer.certain"),
        _("false when a later step's date range straddles the as_of day, so it may already apply."),
        type="boolean",
    ),
    Column(
        "possible",
        attrgetter("answer.possible"),
        _("When not certain: the statuses those later steps would give."),
        many=True,
    ),
    Column("as_of", attrgetter("answer.day"), _("The day the status is given for."), type="date"),
]


CITATIONS = CitationsDataset(
    "citations",
    _("Citations"),
    CITATION_COLUMNS,
    _(
        "Every citation: the verbatim quote from a source that supports a treaty step, a body "
        "standing, an event or a person, with its rank and where it stands in the source."
    ),
    foreign_keys=(ForeignKey("source", "sources", "key"),),
    filterset=SourceFilter,
)
STATUS = StatusDataset(
    "status",
    _("Status as of a day"),
    STATUS_COLUMNS,
    _(
        "Kazakhstan's status in every treaty and standing in every body on the as_of day "
        "(today unless given), as the status page shows it."
    ),
    primary_key=("kind", "key"),
)

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        *treaty_exports.DATASETS,
        *body_exports.DATASETS,
        *event_exports.DATASETS,
        *core_exports.DATASETS,
        CITATIONS,
        STATUS,
    )
}


# --- The data package (Frictionless Tabular Data Package) ------------------------------


def package_descriptor(homepage: str, *, created: datetime.datetime | None = None) -> dict:
    """datapackage.json for every dataset, each at data/<name>.csv in the archive, made
    at `created` (now unless given). Its titles and descriptions are in English whatever
    the language of the files' text columns (`lang`): like the column names and codes,
    the package's dictionary is the files' own, the same in a release and in every
    download (/export/ reads it in the page's language)."""
    created = created or timezone.now().replace(microsecond=0)
    with translation.override(ORIGINAL):
        return _descriptor(homepage, created)


def _descriptor(homepage: str, created: datetime.datetime) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": "Kazakhstan's steps on Council of Europe treaties, its standing in Council of "
        "Europe bodies, the dated events of that relationship and the people in them, each fact "
        "with the verbatim source quote that supports it. See README.md.",
        "homepage": homepage,
        "created": created.isoformat(),
        "licenses": [LICENCE],
        "resources": [
            {
                "name": dataset.name,
                "title": str(dataset.title),
                "description": str(dataset.description),
                "path": f"data/{dataset.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(dataset),
            }
            for dataset in DATASETS.values()
        ],
    }


# --- Columns -------------------------------------------------------------------------
