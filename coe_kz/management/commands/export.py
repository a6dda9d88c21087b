"""Write a dataset's CSV, byte for byte what /export/<dataset>.csv serves.

django-import-export has an `export` command too; the settings do not install it as an app
(coe_kz/settings/base.py), so this is the only `export` whatever the order of INSTALLED_APPS.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from coe_kz.datasets import AS_OF_PARAM, BOM_PARAM
from coe_kz.params import BadParameters
from coe_kz.site.datasets import DATASETS


class Command(BaseCommand):
    help = (
        "Export a dataset as CSV, the same bytes as /export/<dataset>.csv with the same "
        "parameters. Filters are the list page's URL parameters, given as --filter key=value."
    )

    def add_arguments(self, parser):
        parser.add_argument("dataset", choices=list(DATASETS), help="Which dataset.")
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
            "-o", "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, *args, dataset, filter, as_of, bom, output, **options):
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
        try:
            export = DATASETS[dataset].prepare(query)
        except BadParameters as error:
            raise CommandError(str(error)) from None
        if output:
            with open(output, "wb") as file:
                file.writelines(export.chunks())
        else:
            sys.stdout.buffer.writelines(export.chunks())
            sys.stdout.buffer.flush()
