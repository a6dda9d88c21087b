"""The editors' history made public: the engine behind /changes/ (recent edits to every
published record) and each record's history page (its versions, and those of the rows
its page shows: steps, citations, other names, participations).

Which rows are tracked, what each is called and on which record's page its versions
belong all come from the models' declarations (coe_kz.records), so no app is named
here. Versions come from django-simple-history's tables; coe_kz.history.field_changes
decides which fields changed. Only versions of rows the public may see today appear
(coe_kz.visibility), and never who made them: the history tables' user column is
neither read nor shown.

Queries per page do not grow with the data: one counts the versions and one reads a
page of (table, version) keys across every history table with UNION ALL; then, for each
table on the page, one query reads its versions with their previous ones and one the
live rows that name them; events add one per many-to-many field; and one per kind of
record the changed values name checks which of those the public may see.
"""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass
from operator import attrgetter

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from simple_history.utils import get_m2m_reverse_field_name

from coe_kz.history import field_changes
from coe_kz.listing import PAGE_SIZE, GatedMixin, get_page
from coe_kz.params import PAGE
from coe_kz.records import curated_models, owner_paths, page_model, page_paths
from coe_kz.visibility import public

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# A row's first version that is not a creation: recorded when data was loaded, say.
FIRST_VERSION = _("First version")
# What a data load's one entry says it did.
LOADED = _("First version of each")
# Shown instead of the key of a record the public cannot see.
HIDDEN = _("(not published)")
SELF = "pk"
# The fields a public change names, in the page's language (their verbose names are the
# admin's, in English).
FIELD_WORDS = {
    "acronym": pgettext_lazy("field", "acronym"),
    "amends": pgettext_lazy("field", "amends"),
    "bodies": pgettext_lazy("field", "bodies"),
    "body": pgettext_lazy("field", "body"),
    "consent": pgettext_lazy("field", "consent"),
    "date": pgettext_lazy("field", "date"),
    "description": pgettext_lazy("field", "description"),
    "entry into force": pgettext_lazy("field", "entry into force"),
    "event": pgettext_lazy("field", "event"),
    "full text may be shown": pgettext_lazy("field", "full text may be shown"),
    "in force": pgettext_lazy("field", "in force"),
    "key": pgettext_lazy("field", "key"),
    "kind": pgettext_lazy("field", "kind"),
    "language": pgettext_lazy("field", "language"),
    "location": pgettext_lazy("field", "location"),
    "name": pgettext_lazy("field", "name"),
    "note": pgettext_lazy("field", "note"),
    "number": pgettext_lazy("field", "number"),
    "opened": pgettext_lazy("field", "opened"),
    "opened place": pgettext_lazy("field", "opened place"),
    "original address": pgettext_lazy("field", "original address"),
    "paragraph": pgettext_lazy("field", "paragraph"),
    "parent": pgettext_lazy("field", "parent"),
    "passage": pgettext_lazy("field", "passage"),
    "person": pgettext_lazy("field", "person"),
    "publication": pgettext_lazy("field", "publication"),
    "published": pgettext_lazy("field", "published"),
    "publisher": pgettext_lazy("field", "publisher"),
    "quote": pgettext_lazy("field", "quote"),
    "rank": pgettext_lazy("field", "rank"),
    "rank reason": pgettext_lazy("field", "rank reason"),
    "reason": pgettext_lazy("field", "reason"),
    "record": pgettext_lazy("field", "record"),
    "reference source": pgettext_lazy("field", "reference source"),
    "retrieved": pgettext_lazy("field", "retrieved"),
    "role": pgettext_lazy("field", "role"),
    "SHA-256 of the text": pgettext_lazy("field", "SHA-256 of the text"),
    "short title": pgettext_lazy("field", "short title"),
    "slug": pgettext_lazy("field", "slug"),
    "source": pgettext_lazy("field", "source"),
    "status": pgettext_lazy("field", "status"),
    "summary": pgettext_lazy("field", "summary"),
    "text": pgettext_lazy("field", "text"),
    "title": pgettext_lazy("field", "title"),
    "treaties": pgettext_lazy("field", "treaties"),
    "treaty": pgettext_lazy("field", "treaty"),
}


@dataclass(frozen=True)
class Tracked:
    """A history-tracked model as the change log names it.

    `owners` pairs each record page the model's versions belong on with the lookup from
    the model to that record ("pk" for the record itself); the first is the page an entry
    links to. A live row names itself by its `log_label`, which reads its `joins`."""

    model: type[models.Model]
    owners: tuple[tuple[type[models.Model], str], ...]

    @property
    def history(self) -> type[models.Model]:
        return self.model.history.model

    @property
    def key(self) -> str:
        # The history table keeps the record's key under the model's own name for it.
        return self.model._meta.pk.attname

    @property
    def joins(self) -> tuple[str, ...]:
        return owner_paths(self.model)

    def page_record(self, row: models.Model) -> models.Model:
        path = self.owners[0][1]
        return row if path == SELF else attrgetter(path.replace("__", "."))(row)


@functools.cache
def tracked_models() -> tuple[Tracked, ...]:
    """Every curated model, with the record pages its versions belong on."""
    return tuple(
        Tracked(model, tuple((page_model(model, path), path) for path in page_paths(model)))
        for model in curated_models()
    )


@dataclass(frozen=True)
class LogDifference:
    """One changed field, its values as text for the page."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    """One version of one row: when, what, which fields changed, and why. A first
    version (`first`) has no earlier one: its differences are every value it set.
    `key` names the entry for good (a feed's entry id); a data load (`loaded`, the number
    of rows it wrote) is one entry for all its rows, with no record to link to."""

    key: str
    when: datetime.datetime
    action: str
    label: str
    url: str
    differences: list[LogDifference]
    reason: str
    first: bool
    changed: bool  # an edit of an existing row (not its creation, deletion or restoration)
    loaded: int = 0

    @property
    def fields(self) -> str:
        return ", ".join(str(difference.label) for difference in self.differences)


def _earlier(tracked: Tracked) -> models.QuerySet:
    """The versions of the same row before the outer query's version (OuterRef)."""
    return tracked.history.objects.filter(**{tracked.key: OuterRef(tracked.key)}).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )


def _loaded(tracked: Tracked) -> Q:
    """A version written by a data load (the curated data's import): the first version of
    a row that was there before it, since loading writes rows without history and then
    records each one as it stands. A row created on the site starts with a creation."""
    return Q(history_type="~") & ~Exists(_earlier(tracked))


def _union(parts: list[models.QuerySet], *, all: bool = True) -> models.QuerySet:
    return parts[0].union(*parts[1:], all=all) if len(parts) > 1 else parts[0]


def versions(scopes: dict[Tracked, models.QuerySet], *, loads_apart: bool = False) -> models.QuerySet:
    """Keys of every version of the rows in `scopes` (for each tracked model, a queryset
    of its live rows), newest first, as one UNION ALL: `log_table` (an index into
    TRACKED), `log_id` (the version's history_id) and `log_when`. With `loads_apart`,
    the versions data loads wrote are left out (see loads())."""
    parts = []
    for tracked, rows in scopes.items():
        part = tracked.history.objects.filter(**{f"{tracked.key}__in": rows.values("pk")})
        if loads_apart:
            part = part.exclude(_loaded(tracked))
        parts.append(
            part.order_by().values(
                log_table=Value(tracked_models().index(tracked), output_field=IntegerField()),
                log_id=F("history_id"),
                log_when=F("history_date"),
            )
        )
    return _union(parts).order_by("-log_when", "-log_table", "-log_id")


def _reason(reason: str) -> str:
    """A version's reason in the page's language where it is the site's own words (seed's,
    marked for translation there); an editor's as written (gettext gives it back)."""
    return gettext(reason) if reason else ""


def loads(scopes: dict[Tracked, models.QuerySet]) -> list[Entry]:
    """Each data load as one entry, newest first: the initial import wrote a first version
    of every row (one change, coe_kz.history.one_change), which the change log shows
    once, not once per row. One query: per table and load, its rows, last time and reason."""
    parts = [
        tracked.history.objects.filter(**{f"{tracked.key}__in": rows.values("pk")})
        .filter(_loaded(tracked))
        .order_by()
        .values("history_change")
        .annotate(rows=Count("pk"), last=Max("history_date"), reason=Max("history_change_reason"))
        for tracked, rows in scopes.items()
    ]
    tables_of = defaultdict(list)
    for table in _union(parts):
        tables_of[table["history_change"]].append(table)
    found = []
    for change, tables in tables_of.items():
        rows = sum(table["rows"] for table in tables)
        found.append(
            Entry(
                key=f"load-{change}",
                when=max(table["last"] for table in tables),
                action=LOADED,
                label=ngettext("%(count)s record imported", "%(count)s records imported", rows)
                % {"count": rows},
                url="",
                differences=[],
                reason=_reason(max(table["reason"] or "" for table in tables)),
                first=True,
                changed=False,
                loaded=rows,
            )
        )
    return sorted(found, key=lambda entry: entry.when, reverse=True)


def public_scopes() -> dict[Tracked, models.QuerySet]:
    """Every row the public may see, of every tracked model: the whole change log."""
    return {tracked: public(tracked.model.objects.all()) for tracked in tracked_models()}


def record_scopes(record: models.Model) -> dict[Tracked, models.QuerySet]:
    """The public rows on one record's page: the record, and its steps, citations,
    other names and participations."""
    return {
        tracked: public(tracked.model.objects.filter(**{path: record.pk}))
        for tracked in tracked_models()
        for owner, path in tracked.owners
        if owner is type(record)
    }


class _LoadedRows:
    """Many-to-many history rows already read, standing in for the query that
    simple-history's diff_against makes per version and field: it calls only
    `.order_by(name)`, `.model` and `.values(*names)`. Keeps a page's queries constant."""

    def __init__(self, model, rows: list[dict]):
        self.model = model
        self.rows = rows

    def order_by(self, name: str):
        return _LoadedRows(self.model, sorted(self.rows, key=lambda row: row[name]))

    def values(self, *names: str) -> list[dict]:
        return [{name: row[name] for name in names} for row in self.rows]


def _load_m2m(history_model, rows: list) -> None:
    """Read the many-to-many history of these versions (one query per field) and put it
    where diff_against will look for it."""
    ids = [row.history_id for row in rows]
    for field in history_model._history_m2m_fields:
        m2m_model = getattr(history_model, field.name).model
        names = [
            f.name
            for f in m2m_model._meta.fields
            if f.editable and f.name not in ("id", "m2m_history_id", "history")
        ]
        loaded = defaultdict(list)
        for row in m2m_model.objects.filter(history_id__in=ids).values("history_id", *names):
            loaded[row.pop("history_id")].append(row)
        for row in rows:
            # An instance attribute shadows simple-history's (non-data) descriptor.
            row.__dict__[field.name] = _LoadedRows(m2m_model, loaded[row.history_id])


def _references(field, value) -> list:
    """The keys of other records a relation field's value names (a foreign key's one
    key, a many-to-many field's list)."""
    if value is None or value == "":
        return []
    if field.many_to_many:
        target = get_m2m_reverse_field_name(field)
        return [row[target] for row in value]
    return [value]


def _text(field, value, public_keys: dict) -> str:
    """A field's value in a version, as the page shows it. A key naming a record the
    public cannot see is not shown: a version may name a draft that is linked since."""
    if field.is_relation:
        keys = _references(field, value)
        visible = public_keys.get(field.related_model, set())
        return "; ".join(str(key) if key in visible else str(HIDDEN) for key in keys) or "(empty)"
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _read(tracked: Tracked, ids: list[int]) -> tuple[dict, dict]:
    """The page's versions of one table with the version before each (one query), and
    the live rows they belong to, joined for their labels and links (one query)."""
    history = tracked.history
    previous = Subquery(_earlier(tracked).order_by("-history_date", "-history_id").values("history_id")[:1])
    previous_ids = history.objects.filter(history_id__in=ids).annotate(previous_id=previous)
    wanted = Q(history_id__in=ids) | Q(history_id__in=previous_ids.values("previous_id"))
    rows = list(history.objects.filter(wanted).annotate(previous_id=previous).order_by())
    if history._history_m2m_fields:
        _load_m2m(history, rows)
    by_id = {row.history_id: row for row in rows}
    keys = {getattr(by_id[i], tracked.key) for i in ids}
    live = tracked.model.objects.select_related(*tracked.joins).filter(pk__in=keys)
    return by_id, {row.pk: row for row in live}


def entries(keys: list[dict]) -> list[Entry]:
    """The page's versions, from the keys `versions()` gave, in their order. Keys of
    other records in their values are checked against what the public may see: one
    query per kind of record named."""
    wanted = defaultdict(list)
    for key in keys:
        wanted[key["log_table"]].append(key["log_id"])
    read = {table: _read(tracked_models()[table], ids) for table, ids in wanted.items()}
    versions_read = []
    named = defaultdict(set)
    for key in keys:
        tracked = tracked_models()[key["log_table"]]
        by_id, live = read[key["log_table"]]
        version = by_id[key["log_id"]]
        record = live.get(getattr(version, tracked.key))
        if record is None:  # deleted since the page's keys were read
            continue
        previous = by_id.get(version.previous_id)
        changes = [(tracked.model._meta.get_field(c.field), c) for c in field_changes(version, previous)]
        for field, change in changes:
            if field.is_relation:
                named[field.related_model].update(_references(field, change.old))
                named[field.related_model].update(_references(field, change.new))
        versions_read.append((tracked, version, record, previous, changes))
    public_keys = {
        model: set(public(model.objects.filter(pk__in=named_keys)).values_list("pk", flat=True))
        for model, named_keys in named.items()
        if named_keys
    }
    return [
        Entry(
            key=f"{tracked.model._meta.label_lower}-{version.history_id}",
            when=version.history_date,
            action=(
                FIRST_VERSION
                if previous is None and version.history_type == "~"
                else ACTIONS.get(version.history_type, version.history_type)
            ),
            label=record.log_label,
            url=tracked.page_record(record).get_absolute_url(),
            # A deletion or a restoration is the whole row going or coming back, not an
            # edit of its fields (its links, removed first, would otherwise read as changed).
            differences=[
                LogDifference(
                    FIELD_WORDS.get(change.label, change.label),
                    _text(field, change.old, public_keys),
                    _text(field, change.new, public_keys),
                )
                for field, change in changes
            ]
            if previous is None or version.history_type == "~"
            else [],
            reason=_reason(version.history_change_reason or ""),
            first=previous is None,
            changed=previous is not None and version.history_type == "~",
        )
        for tracked, version, record, previous, changes in versions_read
    ]


class _VersionsThenLoads:
    """The public change log as one sequence for a Paginator: the versions, newest first,
    then each data load as one entry. A load wrote the first version of each of its
    rows, so it comes before every other version of them; the site's data starts with
    the initial import, which so stays last."""

    def __init__(self, scopes):
        self.versions = versions(scopes, loads_apart=True)
        self.loads = loads(scopes)

    @functools.cached_property
    def _versions_count(self) -> int:
        return self.versions.count()

    def count(self) -> int:
        return self._versions_count + len(self.loads)

    def __getitem__(self, window: slice) -> list[Entry]:
        known = self._versions_count
        keys = list(self.versions[window]) if window.start < known else []
        return entries(keys) + self.loads[max(window.start - known, 0) : max(window.stop - known, 0)]


def log_page(request, scopes):
    """A record's history: the page of versions the `page` parameter asks for, and its entries."""
    page = get_page(Paginator(versions(scopes), PAGE_SIZE), request.GET.get(PAGE))
    return page, entries(list(page.object_list))


def public_log_page(request):
    """The public change log's page the `page` parameter asks for, every data load one
    entry, and its entries."""
    page = get_page(Paginator(_VersionsThenLoads(public_scopes()), PAGE_SIZE), request.GET.get(PAGE))
    return page, list(page.object_list)


def latest_changes(count: int) -> list[Entry]:
    """The public change log's newest entries (its feed)."""
    return _VersionsThenLoads(public_scopes())[0:count]


class RecordHistoryView(GatedMixin, DetailView):
    """A published record's history page: its versions and those of the rows on its page.
    Set `model` in the URL map; a draft is a 404, as its page is."""

    template_name = "history.html"
    takes = (PAGE,)

    def get_queryset(self):
        return public(self.model.objects.all())

    def get_context_data(self, **kwargs):
        page, log = log_page(self.request, record_scopes(self.object))
        return super().get_context_data(
            page_obj=page, entries=log, record_label=self.object.log_label, **kwargs
        )
