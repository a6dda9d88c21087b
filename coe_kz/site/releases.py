"""Releases: cutting one, and what changed since the one before.

A release (coe_kz.models.Release) is every dataset of the registry as it stands at the
cut, as CSV, with its data package (datapackage.json: version, creation time, licence,
each file's SHA-256, size and row count) and README, the zip of those, and the list of
what changed since the previous release, each stored as a ReleaseFile: the same bytes
forever, kept in the database and so in its backups. The core stores releases; building
one needs the registry of datasets, so it is here, in the composing layer.

What changed: each dataset's rows in the two releases are matched by the dataset's
primary key. Citations have none, so a citation is known by the claim it makes: the
record it supports, its source and its quote (CITATION_IDENTITY). Editing a quote
therefore reads as one citation removed and another added; rows with the same identity
(a quote cited twice for one record) are matched in file order. A dataset without
either is matched on whole rows.
"""

import contextlib
import csv
import datetime
import io
import json
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date

from coe_kz.csvexport import Column, stream_csv, stream_zip
from coe_kz.datasets import data_version
from coe_kz.languages import ORIGINAL
from coe_kz.models import RELEASE_ARCHIVE, Release, ReleaseFile
from coe_kz.publication import Refused
from coe_kz.site.datasets import CITATIONS, DATASETS, PACKAGE_TITLE, STATUS, package_descriptor

CUT_PERMISSION = "coe_kz.cut_release"
DESCRIPTOR = "datapackage.json"
README = "README.md"
CHANGES = "changes.csv"
CITATION_IDENTITY = ("record_type", "record_key", "source", "quote")
# Left out of the comparison: the status dataset is given as of each release's own day.
NOT_COMPARED = {STATUS.name: ("as_of",)}
# The column that names a row to a reader, where a dataset has one (steps have none).
LABEL_COLUMNS = ("title", "name", "record_label")


def data_path(dataset: str) -> str:
    """Where a dataset's CSV stands in a release, as in the current data package."""
    return f"data/{dataset}.csv"


def dataset_of(path: str) -> str:
    return path.removeprefix("data/").removesuffix(".csv")


def citation(release: Release, homepage: str) -> str:
    """How to cite a release: the site, the package's title, the version, its day, its address."""
    day = format_date(timezone.localtime(release.created), "j F Y")
    return (
        f"{settings.SITE_NAME}, “{PACKAGE_TITLE}”, data release {release.version}, {day}, "
        f"{homepage}{release.get_absolute_url()}"
    )


# --- Cutting a release ---------------------------------------------------------------------


@contextlib.contextmanager
def snapshot():
    """One transaction in which every read sees the data as it stood at the first, so
    that a publication during the cut cannot leave one file naming a record another
    lacks. PostgreSQL needs REPEATABLE READ for that, set only where this transaction is
    the outermost (the admin's cut view and the command make it so); SQLite's
    transactions already read one snapshot."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def cut_release(*, notes: str, user=None, homepage: str) -> Release:
    """Cut the next release from the data as it stands: every dataset of the registry,
    its data package, README and zip, and what changed since the previous release, all
    stored for good. `user` must hold the cut permission (the Publisher role); from the
    command line there is none. `homepage` is the site's address the files name.

    Every CSV is held in memory while the release is written (a release is a few rows
    in the database); serving it later reads it in chunks (ReleaseFile.chunks)."""
    notes = notes.strip()
    if user is not None and not user.has_perm(CUT_PERMISSION):
        raise Refused("You may not cut releases: publishers do.")
    if not notes:
        raise Refused("Give the release notes: what the release holds or is for.")
    with snapshot():
        return _cut(notes=notes, user=user, homepage=homepage)


def _cut(*, notes: str, user, homepage: str) -> Release:
    created = timezone.now().replace(microsecond=0)
    previous = Release.objects.latest_first().first()
    year, number = Release.objects.next_version(timezone.localdate(created))
    release = Release(
        year=year, number=number, created=created, data_version=data_version(), notes=notes, created_by=user
    )
    try:
        with transaction.atomic():
            release.save()
    except IntegrityError:
        # Two cuts at once took the same version; the first one stands.
        raise Refused("Another release was cut at the same moment; cut this one again.") from None
    csvs = {data_path(d.name): b"".join(d.prepare(QueryDict()).chunks()) for d in DATASETS.values()}
    counts = {path: count_rows(content) for path, content in csvs.items()}
    members = {
        DESCRIPTOR: release_descriptor(release, homepage, csvs, counts),
        README: render_readme(homepage, release=release),
        **csvs,
    }
    changes = compare_with(previous, csvs)
    counts[CHANGES] = len(changes)
    files = {
        RELEASE_ARCHIVE: b"".join(stream_zip((name, [content]) for name, content in members.items())),
        **members,
        CHANGES: b"".join(changes_csv(changes)),
    }
    for name, content in files.items():
        ReleaseFile(release=release, name=name, content=content, rows=counts.get(name)).save()
    return release


def count_rows(content: bytes) -> int:
    """Rows of a CSV file, its header not counted (a quoted cell may span lines)."""
    return sum(1 for _ in csv.reader(io.StringIO(content.decode("utf-8")))) - 1


def release_descriptor(
    release: Release, homepage: str, csvs: dict[str, bytes], counts: dict[str, int]
) -> bytes:
    """The release's datapackage.json: the current package's, with the release's version,
    creation time and citation, and each file's SHA-256, size and row count (which
    `frictionless validate` checks)."""
    descriptor = package_descriptor(homepage, created=release.created)
    descriptor |= {
        "version": release.version,
        "release": {
            "version": release.version,
            "created": release.created.isoformat(),
            "path": f"{homepage}{release.get_absolute_url()}",
            "notes": release.notes,
        },
        "dataVersion": release.data_version.isoformat() if release.data_version else None,
        "citation": citation(release, homepage),
    }
    for resource in descriptor["resources"]:
        content = csvs[resource["path"]]
        resource |= {
            "bytes": len(content),
            "hash": f"sha256:{ReleaseFile.digest(content)}",
            "rows": counts[resource["path"]],
        }
    return json.dumps(descriptor, indent=2, ensure_ascii=False).encode()


def render_readme(homepage: str, *, release: Release | None = None, latest: Release | None = None) -> bytes:
    """The README of a release, or (with `latest`, the latest release) of the current data:
    in English, with the data package's dictionary (package_descriptor)."""
    context = {
        "datasets": DATASETS.values(),
        "homepage": homepage,
        "today": timezone.localdate(),
        "site_name": settings.SITE_NAME,
        "release": release,
        "latest": latest,
        "citation": citation(release, homepage) if release else "",
    }
    with translation.override(ORIGINAL):
        return render_to_string("export/README.md", context).encode()


# --- What the current data package says ----------------------------------------------------


def current_facts(homepage: str, *, version: datetime.datetime | None, latest: Release | None) -> dict:
    """What the current data package's datapackage.json adds: that it is no release, the
    data version it was built from (coe_kz.datasets.data_version), and the latest release,
    to cite instead."""
    return {
        "release": None,
        "dataVersion": version.isoformat() if version else None,
        "latestRelease": latest
        and {
            "version": latest.version,
            "created": latest.created.isoformat(),
            "path": f"{homepage}{latest.get_absolute_url()}",
        },
    }


# --- What changed --------------------------------------------------------------------------

ADDED, CHANGED, REMOVED = "added", "changed", "removed"
COLUMN_ADDED, COLUMN_REMOVED = "column_added", "column_removed"


@dataclass(frozen=True)
class Change:
    """One record added, changed or removed, or one column added or removed, in a dataset."""

    dataset: str
    change: str
    key: str
    label: str
    fields: tuple[str, ...] = ()


CHANGE_COLUMNS = [
    Column("dataset", lambda c: c.dataset, "The dataset, as its file data/<dataset>.csv is named."),
    Column(
        "change",
        lambda c: c.change,
        "added, changed or removed (a record); column_added or column_removed (a column of the dataset).",
        codes=(ADDED, CHANGED, REMOVED, COLUMN_ADDED, COLUMN_REMOVED),
    ),
    Column(
        "key",
        lambda c: c.key,
        "The record's key in its dataset (several columns as column=value pairs); empty for a column.",
        text=True,
    ),
    Column("label", lambda c: c.label, "The record as the dataset names it, where it does.", text=True),
    Column(
        "fields",
        lambda c: c.fields,
        "For a changed record, the columns whose values changed; for a column, its name.",
        many=True,
    ),
]


def changes_csv(changes: list[Change]):
    return stream_csv(CHANGE_COLUMNS, changes)


def read_changes(content: bytes) -> list[Change]:
    """A release's changes.csv, read back."""
    reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
    return [
        Change(
            row["dataset"],
            row["change"],
            row["key"],
            row["label"],
            tuple(filter(None, row["fields"].split(";"))),
        )
        for row in reader
    ]


def compare_with(previous: Release | None, csvs: dict[str, bytes]) -> list[Change]:
    """What changed between the `previous` release's CSVs and `csvs` (path to bytes),
    dataset by dataset: none for the first release."""
    if previous is None:
        return []
    before = {
        file.name: bytes(file.content)
        for file in previous.files.filter(name__startswith="data/", name__endswith=".csv")
    }
    paths = list(csvs) + [path for path in before if path not in csvs]
    return [
        change for path in paths for change in compare(dataset_of(path), before.get(path), csvs.get(path))
    ]


def _table(content: bytes | None) -> tuple[list[str], list[dict]]:
    if content is None:
        return [], []
    reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
    return list(reader.fieldnames or []), list(reader)


def identity(dataset: str, columns: list[str]) -> tuple[str, ...]:
    """The columns that say which record a row of `dataset` is (see the module's doc)."""
    known = DATASETS.get(dataset)
    key = (known.primary_key if known else ()) or (CITATION_IDENTITY if dataset == CITATIONS.name else ())
    return tuple(key) if key and set(key) <= set(columns) else tuple(columns)


def _keyed(rows: list[dict], key: tuple[str, ...]) -> dict[tuple, dict]:
    # Rows with the same key are told apart by their order among themselves.
    seen = Counter()
    keyed = {}
    for row in rows:
        values = tuple(row[column] for column in key)
        keyed[values, seen[values]] = row
        seen[values] += 1
    return keyed


def _key_text(key: tuple[str, ...], values: tuple[str, ...]) -> str:
    if len(key) == 1:
        return values[0]
    return "; ".join(f"{column}={value}" for column, value in zip(key, values, strict=True))


def _label(row: dict) -> str:
    return next((row[column] for column in LABEL_COLUMNS if column in row), "")


def compare(dataset: str, old: bytes | None, new: bytes | None) -> list[Change]:
    """The changes from one CSV of `dataset` to another (None: the dataset is not there):
    columns added and removed, then records added and changed, in the new file's order,
    then records removed, in the old file's order."""
    old_columns, old_rows = _table(old)
    new_columns, new_rows = _table(new)
    changes = []
    if old is not None and new is not None:
        changes += [Change(dataset, COLUMN_ADDED, "", "", (c,)) for c in new_columns if c not in old_columns]
        changes += [
            Change(dataset, COLUMN_REMOVED, "", "", (c,)) for c in old_columns if c not in new_columns
        ]
        columns = [c for c in new_columns if c in old_columns]
    else:
        columns = new_columns or old_columns
    key = identity(dataset, columns)
    compared = [c for c in columns if c not in key and c not in NOT_COMPARED.get(dataset, ())]
    before, after = _keyed(old_rows, key), _keyed(new_rows, key)
    for (values, n), row in after.items():
        previous = before.get((values, n))
        if previous is None:
            changes.append(Change(dataset, ADDED, _key_text(key, values), _label(row)))
        elif fields := tuple(c for c in compared if row[c] != previous[c]):
            changes.append(Change(dataset, CHANGED, _key_text(key, values), _label(row), fields))
    for (values, n), row in before.items():
        if (values, n) not in after:
            changes.append(Change(dataset, REMOVED, _key_text(key, values), _label(row)))
    return changes
