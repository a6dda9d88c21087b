"""CSV export machinery: column specs, cell formatting, formula neutralising, streaming.

Knows nothing about the apps. A dataset (coe_kz/datasets.py) is a list of `Column`s and
an iterable of rows; `stream_csv` turns them into UTF-8 bytes in constant memory.

Conventions (DESIGN.md, "Exports"): a header row of stable snake_case names in a fixed
order, EDTF dates as stored, ISO days for date bounds, `true`/`false` for booleans,
multi-values joined with `;`, and text cells a spreadsheet would run as a formula
neutralised with a leading apostrophe (OWASP's advice for CSV injection).
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coe_kz.dates import EDTFField

BOM = "\ufeff"
MULTI_SEPARATOR = ";"
# A cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Bytes gathered before a chunk goes to the client: large enough that the WSGI server
# is not called per row, small enough that memory stays flat.
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Column:
    """One CSV column: its header, how to read it from a row, and what it means.

    `text` columns hold free text and are neutralised; codes, keys, numbers and dates
    never start a formula and are written as they are (a negative number stays one).
    `type` is a Frictionless Table Schema type; `format` a Table Schema format, or
    "edtf" for an EDTF date string (which Table Schema knows only as a string). A
    `many` column holds a list of values of that type, joined with `;` in the cell.
    `field` names the model field (its attname) a column reads as it is stored, so a
    dataset can fetch it with `values_list` instead of loading model instances.
    `nullable`: a row may have no value here (None: an empty cell, null in JSON);
    `blank`: the value may be an empty string (a code left unset is one).
    """

    name: str
    get: Callable[[Any], Any]
    description: str
    text: bool = False
    type: str = "string"
    format: str = "default"
    codes: tuple[str, ...] = ()
    many: bool = False
    field: str = ""
    nullable: bool = False
    blank: bool = False


def field_description(field: models.Field, meaning: str | None = None) -> str:
    """A field's meaning, as the data dictionary gives it (/export/, datapackage.json, the
    API): `meaning` or the field's help_text (a foreign key without one: its target's),
    plus its codes. Lazy, marked for translation: /export/ reads it in the page's
    language, the files in English. A field with no meaning to give is refused."""
    target = field.target_field if field.is_relation else field
    meaning = meaning or field.help_text or (field.is_relation and target.help_text)
    if not meaning:
        raise ValueError(f"{field.model.__name__}.{field.name}: give the column a description.")
    if not field.choices:
        return meaning
    codes = format_lazy(_("Codes: {codes}."), codes=", ".join(str(value) for value, _label in field.choices))
    return format_lazy("{} {}", meaning, codes)


def _schema_type(field: models.Field) -> tuple[str, str]:
    if isinstance(field, models.BooleanField):
        return "boolean", "default"
    if isinstance(field, models.IntegerField | models.AutoField):
        return "integer", "default"
    if isinstance(field, models.DateField):
        return "date", "default"
    if isinstance(field, EDTFField):
        return "string", "edtf"
    if isinstance(field, models.URLField):
        return "string", "uri"
    return "string", "default"


def field_column(
    model: type[models.Model],
    field_name: str,
    *,
    name: str | None = None,
    description: str | None = None,
) -> Column:
    """A column read straight from a model field, described by the field itself.

    A foreign key gives the related record's key (its `<name>_id` value), never an
    object; free text (CharField, TextField without choices) is neutralised.
    """
    field = model._meta.get_field(field_name)
    target = field.target_field if field.is_relation else field
    schema_type, schema_format = _schema_type(target)
    is_text = (
        isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not isinstance(field, EDTFField | models.SlugField | models.URLField)
        and not field.is_relation
    )
    return Column(
        name=name or field_name,
        get=attrgetter(field.attname),
        description=field_description(field, description),
        text=is_text,
        type=schema_type,
        format=schema_format,
        codes=tuple(str(value) for value, _ in field.choices or ()),
        field=field.attname,
        nullable=field.null,
        blank=field.blank and not field.null,
    )


def format_cell(value: Any) -> str:
    """A Python value as CSV text: empty for None, ISO days, true/false, `;`-joined lists."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return MULTI_SEPARATOR.join(format_cell(item) for item in value)
    return str(value)


def _neutralised(value: Any) -> str:
    """The cell's text, with a leading apostrophe if a spreadsheet would run it as a formula."""
    text = value if value.__class__ is str else format_cell(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _day(value: datetime.date | None) -> str:
    return "" if value is None else value.isoformat()


def _keys(values: list) -> str:
    # Keys (numbers, slugs, codes) are never None, booleans or days: str() is their text.
    return MULTI_SEPARATOR.join(map(str, values))


def cell_formatter(column: Column) -> Callable[[Any], str] | None:
    """How a column's value becomes its cell text, or None when csv.writer's own
    conversion already gives format_cell's text: it writes None as empty, a string as it
    is and a number or a day with str(), which for a date is its ISO form. Skipping a
    Python call per such cell is most of the cost of writing a large export."""
    if column.text:
        return _neutralised
    if column.many:
        return _keys if column.type in ("string", "integer") and not column.text else format_cell
    if column.type == "date":
        return _day  # a datetime's str() is not ISO
    if column.type == "boolean":
        return format_cell
    return None


def row_maker(columns: list[Column]) -> Callable[[Any], list]:
    """A function from a row to its cells, as csv.writer should write them."""
    getters = [column.get for column in columns]
    formatted = [(i, f) for i, f in enumerate(map(cell_formatter, columns)) if f is not None]

    def cells(row: Any) -> list:
        values = [get(row) for get in getters]
        for i, formatter in formatted:
            values[i] = formatter(values[i])
        return values

    return cells


def column_formatter(column: Column) -> Callable[[Sequence], Sequence] | None:
    """cell_formatter for a whole column of a chunk of rows at once, giving the same
    cells: the common cell (text that starts no formula, a day) costs no Python call."""
    cell = cell_formatter(column)
    if cell is None:
        return None
    if cell is _neutralised:
        return _neutralised_column
    if cell is _keys:
        return _keys_column
    if cell is _day:
        return _days_column
    return lambda values: list(map(cell, values))


def _neutralised_column(values: Sequence) -> list:
    return [
        value if value.__class__ is str and not value.startswith(FORMULA_TRIGGERS) else _neutralised(value)
        for value in values
    ]


def _keys_column(values: Sequence) -> list:
    try:  # keys that are text (slugs, codes): joined without a Python call per cell
        return list(map(MULTI_SEPARATOR.join, values))
    except TypeError:  # numbers
        return [MULTI_SEPARATOR.join(map(str, keys)) for keys in values]


def _days_column(values: Sequence) -> Sequence:
    # csv.writer writes None as an empty cell and a date (not a datetime) with str(),
    # which is its ISO day: as _day would.
    if set(map(type, values)) <= {datetime.date, type(None)}:
        return values
    return list(map(_day, values))


def _writer(columns: list[Column], bom: bool) -> tuple[io.StringIO, Any]:
    """A buffer and a csv.writer on it, with the byte order mark and the header written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write(BOM)
    writer.writerow([column.name for column in columns])
    return buffer, writer


def _take(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def stream_csv(columns: list[Column], rows: Iterable[Any], *, bom: bool = False) -> Iterator[bytes]:
    """The CSV as UTF-8 byte chunks: the header first, then rows, CHUNK_BYTES at a time.

    Rows are pulled one by one from `rows` (a queryset iterator, say), so memory holds
    one chunk of output and whatever `rows` itself buffers, however many rows there are.
    """
    buffer, writer = _writer(columns, bom)
    cells = row_maker(columns)
    for row in rows:
        writer.writerow(cells(row))
        if buffer.tell() >= CHUNK_BYTES:
            yield _take(buffer)
    yield _take(buffer)


def stream_csv_columns(
    columns: list[Column], chunks: Iterable[list[Sequence]], *, bom: bool = False
) -> Iterator[bytes]:
    """The bytes stream_csv writes, from rows read a chunk at a time as columns: each
    item of `chunks` holds one sequence of values per column of `columns`, in order.

    Each column is formatted at once (column_formatter) and the chunk's rows written in
    one call: a large export then makes a few Python calls per chunk and column, where
    stream_csv makes several per row. Memory holds one chunk and its output.
    """
    buffer, writer = _writer(columns, bom)
    formatters = [column_formatter(column) for column in columns]
    for chunk in chunks:
        cells = [values if f is None else f(values) for f, values in zip(formatters, chunk, strict=True)]
        writer.writerows(zip(*cells, strict=True))
        if buffer.tell() >= CHUNK_BYTES:
            yield _take(buffer)
    yield _take(buffer)


class _Sink(io.RawIOBase):
    """An unseekable file that keeps what is written until `take()` hands it on."""

    def __init__(self):
        super().__init__()
        self._parts: list[bytes] = []

    def writable(self):
        return True

    def write(self, data):
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def stream_zip(members: Iterable[tuple[str, Iterable[bytes]]]) -> Iterator[bytes]:
    """A zip archive of (name, byte chunks) members, as byte chunks, in constant memory.

    zipfile writes to an unseekable file by putting each member's sizes after its data,
    so no member is held whole and nothing is written to disk.
    """
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in members:
            # force_zip64: the size is unknown until the member is written.
            with archive.open(name, mode="w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
                    yield sink.take()
    yield sink.take()
