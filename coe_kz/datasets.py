"""Export machinery: datasets, their rows read in chunks, CSV files with fingerprints.

Knows nothing of the apps. Each app declares its own datasets in its `exports.py`
(columns, queryset, FilterSet) from the classes here; coe_kz.site.datasets collects
them into the one registry that the CSV endpoints, `manage.py export`, the /export/
page, the data package and the API read. Every dataset holds only what the public may
see (coe_kz.visibility.public): a draft is in no row, and no key names one.
"""

import dataclasses
import datetime
import functools
import hashlib
import itertools
from collections import namedtuple
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Exists, F, Lookup, OuterRef
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from coe_kz.cache import moved_with_the_day, public_version
from coe_kz.csvexport import Column, field_column, stream_csv, stream_csv_columns
from coe_kz.filters import parameter_names, widget_names
from coe_kz.languages import ORIGINAL, in_original_language, text_expression, translated_fields
from coe_kz.models import Publication, Publishable
from coe_kz.params import (
    LANG,
    PAGE,
    BadParameters,
    check_ignored_page,
    filtered,
    gate,
    language_of,
    list_gate,
)
from coe_kz.records import no_record_with
from coe_kz.visibility import public

# Rows fetched per database round trip; prefetches run once per chunk, so a large
# export costs a few queries per CHUNK_ROWS rows and never holds more than that many.
CHUNK_ROWS = 2000
BOM_PARAM = "bom"
_first, _second = itemgetter(0), itemgetter(1)
# The longest part of a file name that names the filters (a long search is cut short).
FILENAME_FILTERS = 60


@dataclass(frozen=True)
class ForeignKey:
    """A column whose values are keys of another dataset (for the data package)."""

    column: str
    dataset: str
    target: str


class Concatenation:
    """Querysets read one after another, countable and sliceable as one (for pages)."""

    def __init__(self, querysets: list[models.QuerySet]):
        self.querysets = querysets

    @functools.cached_property
    def _counts(self) -> list[int]:
        return [queryset.count() for queryset in self.querysets]

    def count(self) -> int:
        return sum(self._counts)

    def __len__(self):
        return self.count()

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop if window.stop is not None else self.count()
        rows = []
        for queryset, size in zip(self.querysets, self._counts, strict=True):
            if start < size and stop > 0:
                rows += queryset[max(start, 0) : min(stop, size)]
            start, stop = start - size, stop - size
        return rows

    def iterator(self, chunk_size: int):
        return itertools.chain.from_iterable(q.iterator(chunk_size=chunk_size) for q in self.querysets)


class AmongKeys(Lookup):
    """`column IN (keys)` for a chunk's keys, as read from the database (no preparation).

    Django's `__in` prepares each key and binds it as its own parameter, and psycopg then
    splits and quotes a query of thousands of placeholders: for a chunk of 2,000 rows that
    took several times what PostgreSQL needs to run the query. PostgreSQL gets the keys
    as one array parameter instead (`= ANY(%s)`, which is what it turns `IN (...)` into
    anyway, so the plan is the same); other databases get the plain IN list.

    With `KeysToCome(n)` for keys, the query is compiled before its keys are known: each
    key's parameter is the mark itself, and `with_keys` puts a chunk's keys in its place
    (Listed.reader compiles a query once per export, not once per chunk).
    """

    lookup_name = "among_keys"
    prepare_rhs = False

    def get_prep_lookup(self):
        return self.rhs

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        keys = [self.rhs] * self.rhs.count if isinstance(self.rhs, KeysToCome) else list(self.rhs)
        return f"{lhs} IN ({', '.join(['%s'] * len(keys))})", (*params, *keys)

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        keys = self.rhs if isinstance(self.rhs, KeysToCome) else key_array(self.rhs)
        return f"{lhs} = ANY(%s)", (*params, keys)


class KeysToCome:
    """The keys of an AmongKeys lookup compiled before they are known: `count` of them
    (PostgreSQL takes them as one parameter, whatever their number)."""

    def __init__(self, count: int):
        self.count = count

    def with_keys(self, params: Sequence, keys: Sequence, vendor: str) -> list:
        """A compiled query's parameters with `keys` in this mark's place."""
        if vendor == "postgresql":
            return [key_array(keys) if param is self else param for param in params]
        keys = iter(keys)
        return [next(keys) if param is self else param for param in params]


def key_array(keys: Sequence):
    """Keys as PostgreSQL's one array parameter. Integer keys as the array's text, which
    PostgreSQL reads as an array of the column's type: psycopg's own array quoting is
    Python, 5x slower."""
    keys = list(keys)
    if set(map(type, keys)) == {int}:
        return f"{{{','.join(map(str, keys))}}}"
    return keys


@dataclass(frozen=True)
class Listed:
    """A many-valued column's values, read for a chunk of rows in one query: `pairs` gives
    (row key, value) pairs, already in each cell's order, from the table that links them.
    `owner` is the link table's column holding the row's key. The keys read are those of
    rows the public may see, so `pairs` need not check the owner again: only the value."""

    name: str
    pairs: Callable[[], models.QuerySet]
    owner: str

    def reader(self) -> Callable[[Sequence], dict]:
        """A function from a chunk's keys to each key's values as a tuple (for the keys
        that have any). Its query is built and compiled once for every chunk to come
        (once per number of keys; on PostgreSQL once), and each chunk only runs it with
        its keys: in a large export, building and compiling it per chunk took about a
        sixth of the time.

        The rows come in the SELECT's order, so the pairs must be two fields, not
        annotations (which Django selects after the fields and puts back in order only
        as it iterates)."""
        queryset = self.pairs()
        query = queryset.query
        if query.annotation_select or query.extra_select or len(query.values_select) != 2:
            raise ValueError(f"{self.name}: the pairs must be values_list() of two fields.")
        connection = connections[queryset.db]
        compiled = {}

        def read(keys: Sequence) -> dict:
            if not keys:
                return {}
            count = 1 if connection.vendor == "postgresql" else len(keys)
            if count not in compiled:
                mark = KeysToCome(count)
                compiler = queryset.filter(AmongKeys(F(self.owner), mark)).query.get_compiler(queryset.db)
                sql, params = compiler.as_sql()
                converters = compiler.get_converters([expression for expression, _, _ in compiler.select])
                compiled[count] = (mark, sql, params, compiler, converters)
            mark, sql, params, compiler, converters = compiled[count]
            with connection.cursor() as cursor:
                cursor.execute(sql, mark.with_keys(params, keys, connection.vendor))
                pairs = cursor.fetchall()
            if converters:
                pairs = list(map(tuple, compiler.apply_converters(pairs, converters)))
            return _by_key(pairs)

        return read


def _by_key(pairs: list) -> dict:
    """(key, value) pairs sorted by key as each key's values, a tuple each. Most keys
    have one value: then the dict is built without a Python call per pair."""
    found = dict(pairs)
    if len(found) == len(pairs):  # one value per key: (value,) each
        return dict(zip(found, zip(found.values()), strict=True))
    return {key: tuple(map(_second, group)) for key, group in itertools.groupby(pairs, _first)}


class Records:
    """A queryset's rows as named tuples of plain values, countable and sliceable (for
    pages) and readable in chunks (for files), with each `Listed` relation filled in.

    Model instances and Django's prefetch cost far more per row than the rest of an
    export; a tuple from `values_list` and one query per chunk and relation do not, and
    the query count stays constant per chunk.
    """

    def __init__(
        self,
        queryset: models.QuerySet,
        record: type,
        fields: tuple[str, ...],
        listed: tuple,
        language: str = ORIGINAL,
    ):
        self.queryset = queryset
        self.record = record
        self.fields = fields
        self.listed = listed
        self.language = language
        self.key = fields.index(queryset.model._meta.pk.attname) if listed else None

    def in_language(self, language: str) -> "Records":
        """The same rows with their translated text fields read in `language`."""
        return Records(self.queryset, self.record, self.fields, self.listed, language)

    def _values(self) -> models.QuerySet:
        """The fields' values as tuples, a translated field in the records' language
        (`_read`). The query is not rewritten by the active language (modeltranslation's
        rewrite): rows, order and English cells are the same whatever the address's."""
        rows = as_stored(self.queryset)
        translated = set(translated_fields(rows.model))
        return rows.values_list(*(self._read(name) if name in translated else name for name in self.fields))

    def _read(self, name: str) -> models.Func:
        """A translated field in the language (languages.text_expression)."""
        return text_expression(name, self.language, self.queryset.model._meta.get_field(name))

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, window: slice) -> list:
        return self._records(list(self._values()[window]), [listed.reader() for listed in self.listed])

    def iterator(self, chunk_size: int) -> Iterator:
        readers = [listed.reader() for listed in self.listed]
        values = self._values().iterator(chunk_size=chunk_size)
        while chunk := list(itertools.islice(values, chunk_size)):
            yield from self._records(chunk, readers)

    def column_chunks(self, columns: list[Column], chunk_size: int) -> Iterator[list[Sequence]]:
        """The rows `iterator` reads, a chunk at a time, each chunk as one sequence of
        values per column of `columns` (each reads a field or a Listed relation by its
        name), for coe_kz.csvexport.stream_csv_columns: no record is made for a row."""
        where = {field: i for i, field in enumerate(self.fields)}
        readers = {listed.name: listed.reader() for listed in self.listed}
        values = self._values().iterator(chunk_size=chunk_size)
        while chunk := list(itertools.islice(values, chunk_size)):
            fields = list(zip(*chunk, strict=True))
            if self.listed:
                keys = fields[self.key]
                found = {name: read(keys) for name, read in readers.items()}
            yield [
                fields[where[column.field]]
                if column.field
                else list(map(found[column.name].get, keys, itertools.repeat(())))
                for column in columns
            ]

    def _records(self, chunk: list[tuple], readers: list[Callable[[Sequence], dict]]) -> list:
        if not readers or not chunk:  # an empty page reads no relation
            return list(map(self.record._make, chunk))
        keys = [row[self.key] for row in chunk]
        found = [read(keys) for read in readers]
        # Each relation's cells as a column of the chunk, then every row extended by its
        # cells: fewer Python calls per row than looking each cell up in the row's turn.
        cells = zip(*([list(lists.get(key, ())) for key in keys] for lists in found), strict=True)
        return list(map(self.record._make, map(tuple.__add__, chunk, cells)))


@dataclass(frozen=True)
class Selection:
    """The rows a dataset's parameters select, not yet read: a queryset, Records of
    one, a Concatenation of querysets, or (for status) a list."""

    dataset: "Dataset"
    rows: models.QuerySet | Concatenation | Records | list
    params: tuple[tuple[str, str], ...]
    as_of: datetime.date | None = None
    # The language of the translated text columns (titles, names, summaries, notes).
    language: str = ORIGINAL

    def in_language(self, language: str) -> "Selection":
        rows = self.rows.in_language(language) if isinstance(self.rows, Records) else self.rows
        return dataclasses.replace(self, rows=rows, language=language)

    def iterator(self) -> Iterator:
        """The rows in constant memory: CHUNK_ROWS at a time from the database."""
        if isinstance(self.rows, list):
            return iter(self.rows)
        return self.rows.iterator(chunk_size=CHUNK_ROWS)


@dataclass(frozen=True)
class Export:
    """One CSV export, parameters checked: ready to stream, with its name and fingerprint."""

    selection: Selection
    bom: bool

    @property
    def dataset(self) -> "Dataset":
        return self.selection.dataset

    def chunks(self) -> Iterator[bytes]:
        rows = self.selection.rows
        if isinstance(rows, Records):
            columns = rows.column_chunks(self.dataset.columns, CHUNK_ROWS)
            return stream_csv_columns(self.dataset.columns, columns, bom=self.bom)
        rows = stream_csv(self.dataset.columns, self.selection.iterator(), bom=self.bom)
        return read_in(self.selection.language, rows)

    @property
    def filename(self) -> str:
        """coe-kz-events-2026-11-30.csv; with filters, named by them before the day it was
        exported (coe-kz-events-kind-visit-year-2013-…); a status file by its day."""
        if self.selection.as_of is not None:
            return f"coe-kz-{self.dataset.name}-as-of-{self.selection.as_of.isoformat()}.csv"
        params = self.selection.params
        if self.selection.language != ORIGINAL:
            params = (*params, (LANG, self.selection.language))
        filters = "-".join(slugify(f"{name} {value}", allow_unicode=True) for name, value in params)
        filters = filters[:FILENAME_FILTERS].rstrip("-_")
        return (
            "-".join(filter(None, ("coe-kz", self.dataset.name, filters, timezone.localdate().isoformat())))
            + ".csv"
        )

    def etag(self, version: datetime.datetime | None) -> str:
        """Changes when the data, the parameters, the status day or the columns do."""
        parts = [
            self.dataset.name,
            ",".join(column.name for column in self.dataset.columns),
            repr(self.selection.params),
            str(self.bom),
            str(self.selection.as_of),
            version.isoformat() if version else "",
        ]
        if self.selection.language != ORIGINAL:
            parts.append(self.selection.language)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]

    def last_modified(self, version: datetime.datetime | None) -> datetime.datetime | None:
        """When this file last changed: the latest edit or, for a status as of today (the
        default), also the start of today, since the answer moves with the day."""
        if self.selection.as_of != timezone.localdate() or version is None:
            return version
        return moved_with_the_day(version)


@dataclass(frozen=True)
class Dataset:
    """A named table researchers can export. Subclasses say where rows come from."""

    name: str
    title: str
    columns: list[Column]
    description: str
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    def gate(self, query: QueryDict, *also: str) -> QueryDict:
        """`query` through the parameter gate (coe_kz.params.list_gate): the dataset takes
        its own parameters, a list's page number, and what the channel reads (`also`)."""
        return list_gate(query, self.takes(), *also)

    def select(self, query: QueryDict, *also: str) -> Selection:
        """The rows a query string selects, or BadParameters saying why none can be. The
        query passes the gate first; the page number and `also` (what the caller reads
        itself: a CSV's bom, the API's page size) select no rows."""
        data = self.gate(query, *also)
        for name in (PAGE, *also):
            data.pop(name, None)
        return self._select(data)

    def select_in_language(self, query: QueryDict, *also: str) -> Selection:
        """select() for a file or the API, which also take `lang`: the language of the
        translated text columns. The rows and their order are chosen as in English,
        whatever the language of the address asked (modeltranslation orders and filters
        a translated field by the active language's column)."""
        language = language_of(query)
        with in_original_language():
            selection = self.select(query, LANG, *also)
        return selection.in_language(language)

    def prepare(self, query: QueryDict) -> Export:
        """The CSV export for a query string: the selection plus the `bom` option. A list
        page's page number is checked, then ignored: an export has every page."""
        selection = self.select_in_language(query, BOM_PARAM)
        bom = _flag(BOM_PARAM, query.get(BOM_PARAM, ""))
        check_ignored_page(query)
        return Export(selection, bom)

    def _select(self, data: QueryDict) -> Selection:
        raise NotImplementedError

    def record(self, key: tuple[str, ...], query: QueryDict, *also: str):
        """The one row whose primary key is `key` (its values as text, from an address), or
        None when the public sees no such row. The query passes the gate: a record takes
        only what `record_parameters()` names, `lang` (read as select_in_language reads
        it), and what the channel reads (`also`)."""
        language = language_of(query)
        data = gate(query, [name for name, _ in self.record_parameters()], also=(LANG, *also), what="record")
        data.pop(LANG, None)
        with in_original_language():
            return self._record_row(key, data, language)

    def _record_row(self, key: tuple[str, ...], data: QueryDict, language: str):
        raise NotImplementedError

    def record_parameters(self) -> list[tuple[str, str]]:
        """The query parameters one row's address takes, each with its meaning."""
        return []

    def missing(self, key: tuple[str, ...]) -> str:
        """What to say when no row has `key`."""
        raise NotImplementedError

    def takes(self) -> list[str]:
        """The names of the query parameters that select rows."""
        return [name for name, _ in self.parameters()]

    def count(self) -> int:
        raise NotImplementedError

    def parameters(self) -> list[tuple[str, str]]:
        """The query parameters that select rows, each with its meaning."""
        raise NotImplementedError

    def parameter_fields(self) -> dict[str, forms.Field]:
        """The form field that reads each of those parameters: what values it takes."""
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class FilteredDataset(Dataset):
    """A dataset narrowed by a list page's FilterSet, so a CSV holds what its page shows."""

    filterset: type

    def parameters(self):
        # Described by the FilterSet itself, so the docs cannot drift from the filters.
        return [
            (name, str(bound.help_text or bound.label))
            for bound in self.filterset(QueryDict()).form
            for name in widget_names(bound)
        ]

    def parameter_fields(self):
        return {
            name: bound.field for bound in self.filterset(QueryDict()).form for name in widget_names(bound)
        }

    def takes(self):
        return list(parameter_names(self.filterset))

    def matching(self, data: QueryDict, queryset: models.QuerySet | None = None) -> models.QuerySet:
        """The FilterSet's records for `data` (from `queryset`, by default all of them;
        the public FilterSets let only published records through)."""
        if queryset is None:
            queryset = self.filterset._meta.model._default_manager.all()
        return filtered(self.filterset(data, queryset=queryset))


@dataclass(frozen=True, kw_only=True)
class ModelDataset(FilteredDataset):
    """Rows of one model, in export order with their named joins.

    With `through` empty the FilterSet filters these rows directly; otherwise it filters
    the records named by `through` (a treaty step's treaty, a participation's event) and
    the rows are those of the matching records.
    """

    queryset: Callable[[], models.QuerySet]
    through: str = ""
    # With `records`, rows are read as named tuples of the columns' fields plus these
    # relations (see Records), not as model instances; every column must read one of them.
    records: bool = False
    listed: tuple[Listed, ...] = ()

    def __post_init__(self):
        listed = {listed.name for listed in self.listed}
        unread = [c.name for c in self.columns if self.records and not c.field and c.name not in listed]
        if unread:
            raise TypeError(f"{self.name}: columns {unread} read neither a field nor a Listed relation.")

    @functools.cached_property
    def _fields(self) -> tuple[str, ...]:
        return tuple(column.field for column in self.columns if column.field)

    @functools.cached_property
    def _record(self) -> type:
        return namedtuple(f"{self.name}_row", [*self._fields, *(listed.name for listed in self.listed)])

    def _select(self, data):
        rows = self.queryset()
        if self.through:
            rows = rows.filter(**{f"{self.through}__in": self.matching(data).values("pk")})
        else:
            rows = self.matching(data, rows)
        if self.records:
            rows = Records(rows, self._record, self._fields, self.listed)
        return Selection(self, rows, params_key(data))

    def count(self):
        return self.queryset().count()

    def _record_row(self, key, data, language):
        rows = self.queryset()
        try:
            rows = rows.filter(**{name: _key_value(rows.model, name, text) for name, text in self._key(key)})
        except ValidationError:  # not a key this dataset can hold ("abc" for a number)
            return None
        if self.records:
            rows = Records(rows, self._record, self._fields, self.listed, language)
        found = rows[:1]
        return found[0] if found else None

    def _key(self, key: tuple[str, ...]) -> list[tuple[str, str]]:
        """The primary key's model fields (their attnames), each with its value in `key`."""
        fields = {column.name: column.field for column in self.columns}
        return [(fields[name], text) for name, text in zip(self.primary_key, key, strict=True)]

    def missing(self, key):
        model = self.queryset().model
        if len(key) == 1:
            return no_record_with(model, key[0])
        named = " and ".join(f"the {name} “{text}”" for name, text in zip(self.primary_key, key, strict=True))
        return f"No {model._meta.verbose_name} with {named}."


def _key_value(model: type[models.Model], attname: str, text: str):
    """A key's value from its text, as its field holds it, or ValidationError: a number
    past what the database holds, say, or a slug with a space."""
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    target = field.target_field if field.is_relation else field
    value = target.to_python(text)
    target.run_validators(value)
    return value


AS_OF_PARAM = "as_of"


def read_in(language: str, chunks: Iterator) -> Iterator:
    """`chunks`, read with `language` active: model instances' translated fields read in
    it, falling back to English (modeltranslation's fields); English by default."""
    with translation.override(language):
        yield from chunks


def _flag(name: str, value: str) -> bool:
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    raise BadParameters([f"{name}: “{value}” is not allowed; use {name}=1 or leave it out."])


def params_key(data: QueryDict) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((key, value) for key, values in data.lists() for value in values))


def data_version() -> datetime.datetime | None:
    """When the published data last changed (coe_kz.cache): an edit of a draft does not
    change it, so neither does it change an export's ETag or Last-Modified."""
    version = public_version()
    return version.data_changed if version else None


# --- The data package (Frictionless Tabular Data Package) ------------------------------

# --- Table Schema (Frictionless) ----------------------------------------------------

TABLE_SCHEMA_FORMATS = {"default", "email", "uri", "binary", "uuid"}


def table_schema(dataset: Dataset) -> dict:
    """The dataset's Table Schema: each column's type, meaning and codes, and its keys."""
    fields = []
    for column in dataset.columns:
        # Table Schema v1 has no list type: a many-valued cell is a `;`-joined string.
        spec = {"name": column.name, "type": "string" if column.many else column.type}
        spec["description"] = str(column.description)
        if column.format in TABLE_SCHEMA_FORMATS - {"default"}:
            spec["format"] = column.format
        if column.type == "boolean":
            spec |= {"trueValues": ["true"], "falseValues": ["false"]}
        if column.codes and not column.many:
            spec["constraints"] = {"enum": list(column.codes)}
        fields.append(spec)
    schema = {"fields": fields, "missingValues": [""]}
    if dataset.primary_key:
        schema["primaryKey"] = list(dataset.primary_key)
    if dataset.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [key.column], "reference": {"resource": key.dataset, "fields": [key.target]}}
            for key in dataset.foreign_keys
        ]
    return schema


# --- Columns -------------------------------------------------------------------------


def columns(model: type[models.Model], *names: str) -> list[Column]:
    return [field_column(model, name) for name in names]


def linked_pairs(through: type[models.Model], owner: str, value: str, target: str, *order: str) -> Callable:
    """(owner, value) pairs of a link table, for a `Listed`: only links to records the
    public may see (`target` is the link's foreign key to them), in `order` within each
    owner."""
    related = through._meta.get_field(target).related_model
    # Checked per link with EXISTS: as `target IN (public keys)` or a join, SQLite (which
    # has no statistics) probes every pair of the chunk's rows and public records.
    shown = Exists(public(related.objects.filter(pk=OuterRef(target))))
    links = through.objects.all()
    if issubclass(through, Publishable):  # a participation has a state of its own
        links = links.filter(publication=Publication.PUBLISHED)
    return lambda: by_owner(links.filter(shown), owner, value, *order)


def as_stored(queryset: models.QuerySet) -> models.QuerySet:
    """The queryset as stored, not rewritten by modeltranslation for the active language
    (a model with translated fields): its filters and order name the stored columns, and
    its values come through Django's own iterables, not modeltranslation's, which build
    a dict per row to fill in translations."""
    return queryset.rewrite(False) if hasattr(queryset, "rewrite") else queryset


def by_owner(queryset: models.QuerySet, owner: str, value: str, *order: str) -> models.QuerySet:
    """(owner, value) pairs sorted by owner first: the database then reads them through
    the index on the owner's key, as the chunk's `owner IN (...)` wants. Sorted by
    `order` alone, SQLite walks the index that sort matches instead, every link of
    every row, once per chunk, and a large export slows down quadratically."""
    return as_stored(queryset).order_by(owner, *order).values_list(owner, value)


def listed_column(name: str, description: str, **kwargs) -> Column:
    """A many-valued column filled by the dataset's `Listed` relation of the same name."""
    return Column(name, attrgetter(name), description, many=True, **kwargs)


def public_key_column(model: type[models.Model], field_name: str) -> Column:
    """A foreign key column that names the related record only when the public may see
    it, else stays empty: a key to a draft would leak it, and break the data package's
    foreign keys. The dataset's queryset must select_related the field."""

    def get(row):
        related = getattr(row, field_name)
        return related.pk if related is not None and related.is_published else None

    return dataclasses.replace(field_column(model, field_name), get=get, field="", nullable=True)


DEPRECATED = Column(
    "deprecated",
    attrgetter("is_deprecated"),
    gettext_lazy(
        "true when every citation of this step is deprecated: a claim editors reject, "
        "kept and shown but never counted in the status."
    ),
    type="boolean",
    field="is_deprecated",  # annotated by the steps' default manager
)
