"""Write a dataset's CSV, byte for byte what /export/<dataset>.csv serves; or a release's
files, byte for byte what /releases/<version>/ serves.

django-import-export has an `export` command too; the settings do not install it as an app
(coe_kz/settings/base.py), so this is the only `export` whatever the order of INSTALLED_APPS.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from coe_kz.datasets import AS_OF_PARAM, BOM_PARAM
from coe_kz.models import RELEASE_ARCHIVE, Release
from coe_kz.params import LANG, BadParameters
from coe_kz.site.datasets import DATASETS
from coe_kz.site.releases import data_path


class Command(BaseCommand):
    help = (
        "Export a dataset as CSV, the same bytes as /export/<dataset>.csv with the same "
        "parameters. Filters are the list page's URL parameters, given as --filter key=value; "
        "--lang is the URL's lang (the language of the text columns). "
        "With --release VERSION: that release's CSV of the dataset, or without a dataset its "
        "zip (every file of the release), the same bytes as /releases/VERSION/."
    )

    def add_arguments(self, parser):
        parser.add_argument("dataset", nargs="?", choices=list(DATASETS), help="Which dataset.")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="A filter parameter of the dataset's list page, for example kind=visit; repeatable.",
        )
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="For status: the day (default today).")
        parser.add_argument(
            "--bom", action="store_true", help="Start with a UTF-8 byte order mark (for Excel)."
        )
        parser.add_argument(
            "--lang",
            metavar="LANGUAGE",
            help="The language of the translated text columns: en (the default), kk or ru. "
            "Column names, codes and rows are the same in every language.",
        )
        parser.add_argument(
            "--release",
            metavar="VERSION",
            help="A release's files (2026.1, say) instead of the current data.",
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, *args, dataset, filter, as_of, bom, lang, release, output, **options):
        if release is not None:
            if filter or as_of is not None or bom or lang is not None:
                raise CommandError(
                    "A release's files are as they were cut: --filter, --as-of, --bom and --lang "
                    "do not apply."
                )
            chunks = release_chunks(release, dataset)
        elif dataset is None:
            raise CommandError("Name a dataset, or a release with --release.")
        else:
            chunks = current_chunks(dataset, filter, as_of, bom, lang)
        if output:
            with open(output, "wb") as file:
                file.writelines(chunks)
        else:
            sys.stdout.buffer.writelines(chunks)
            sys.stdout.buffer.flush()


def current_chunks(dataset: str, filter: list[str], as_of: str | None, bom: bool, lang: str | None):
    """The dataset's CSV for the query string these options make, read as over HTTP."""
    query = QueryDict(mutable=True)
    for item in filter:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise CommandError(f"--filter “{item}” is not KEY=VALUE.")
        query.appendlist(key, value)
    if as_of is not None:
        query[AS_OF_PARAM] = as_of
    if bom:
        query[BOM_PARAM] = "1"
    if lang is not None:
        query[LANG] = lang
    try:
        return DATASETS[dataset].prepare(query).chunks()
    except BadParameters as error:
        raise CommandError(str(error)) from None


def release_chunks(version: str, dataset: str | None):
    """The stored bytes of a release's dataset, or of its zip when no dataset is named."""
    release = Release.objects.version(version).first()
    if release is None:
        raise CommandError(f"No release {version}.")
    name = data_path(dataset) if dataset else RELEASE_ARCHIVE
    file = release.files.defer("content").filter(name=name).first()
    if file is None:
        raise CommandError(f"Release {version} holds no {dataset} dataset.")
    return file.chunks()
