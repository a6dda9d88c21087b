"""The CSV endpoints and the /export/ page. Every dataset comes from coe_kz.site.datasets."""

import hashlib
import json

from django.http import HttpResponseBadRequest, HttpResponseNotFound, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, quote_etag

from coe_kz.cache import not_page_cached
from coe_kz.csvexport import stream_zip
from coe_kz.datasets import data_version
from coe_kz.listing import taking
from coe_kz.models import Release
from coe_kz.params import LANG, BadParameters, gate
from coe_kz.site.address import site_address
from coe_kz.site.datasets import DATASETS, PACKAGE_NAME, package_descriptor
from coe_kz.site.releases import DESCRIPTOR, README, current_facts, data_path, render_readme


def plain(response_class, message: str):
    # CSV clients (scripts, spreadsheets) read a one-line reason better than a page.
    return response_class(f"{message}\n", content_type="text/plain; charset=utf-8")


def _download(request, chunks, *, content_type, filename, etag, last_modified):
    """A streamed attachment, or a 304 when the client already holds this version.
    `chunks` is a lazy iterator: nothing is read from the database for a 304."""
    etag = quote_etag(etag)
    last_modified = int(last_modified.timestamp()) if last_modified else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return response


@not_page_cached  # validated by its own ETag, streamed
def dataset_csv(request, dataset):
    """One dataset as CSV, narrowed by its list page's filters, streamed row by row.

    Bad parameters get a 400 with the reason as plain text. ETag and Last-Modified come
    from the parameters and the latest edit in the history tables, so a client that
    already has this exact file gets a 304 without the rows being read.
    """
    if dataset not in DATASETS:
        return plain(
            HttpResponseNotFound, f"No dataset “{dataset}”; the datasets are: {', '.join(DATASETS)}."
        )
    try:
        export = DATASETS[dataset].prepare(request.GET)
    except BadParameters as error:
        return plain(HttpResponseBadRequest, str(error))
    version = data_version()
    return _download(
        request,
        export.chunks(),
        content_type="text/csv; charset=utf-8",
        filename=export.filename,
        etag=export.etag(version),
        last_modified=export.last_modified(version),
    )


@taking()
def index(request):
    """Each dataset with its row count, its columns' definitions and its links."""
    datasets = [
        {
            "dataset": dataset,
            "count": dataset.count(),
            "parameters": dataset.parameters(),
            "url": reverse("export:csv", args=[dataset.name]),
        }
        for dataset in DATASETS.values()
    ]
    return render(request, "export/index.html", {"datasets": datasets})


def _package_members(exports, homepage: str, version, latest: Release | None):
    descriptor = package_descriptor(homepage) | current_facts(homepage, version=version, latest=latest)
    yield DESCRIPTOR, [json.dumps(descriptor, indent=2).encode()]
    yield README, [render_readme(homepage, latest=latest)]
    for export in exports:
        yield data_path(export.dataset.name), export.chunks()


@not_page_cached  # validated by its own ETag, streamed
def data_package(request):
    """Every dataset in one zip: datapackage.json (Frictionless), README.md, data/*.csv.
    The current data, not a release: its datapackage.json names the data version and the
    latest release (coe_kz.site.releases.current_facts)."""
    try:
        # Each file's translated text columns in one language (`lang`), English by default.
        query = gate(request.GET, [LANG], what="data package")
        exports = [dataset.prepare(query) for dataset in DATASETS.values()]
    except BadParameters as error:
        return plain(HttpResponseBadRequest, str(error))
    version = data_version()
    homepage = site_address(request)
    latest = Release.objects.latest_first().first()
    # Status is as of today, so the archive changes daily even when the data does not;
    # and it names the latest release, so it changes with each release too.
    parts = [homepage, latest.version if latest else "", *(e.etag(version) for e in exports)]
    return _download(
        request,
        stream_zip(_package_members(exports, homepage, version, latest)),
        content_type="application/zip",
        filename=f"{PACKAGE_NAME}-{timezone.localdate().isoformat()}.zip",
        etag=hashlib.sha256("".join(parts).encode()).hexdigest()[:32],
        last_modified=max(
            filter(None, [latest and latest.created, *(e.last_modified(version) for e in exports)]),
            default=None,
        ),
    )
