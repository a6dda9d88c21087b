"""/releases/: every release; one release's page with what changed since the one before;
its files, the same bytes forever; and the Atom feed of releases.

A release's files are served from the database as they were stored when it was cut
(coe_kz.site.releases), with their SHA-256 as ETag and a Cache-Control that lets any
cache keep them for good.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotFound, StreamingHttpResponse
from django.shortcuts import render
from django.urls import register_converter, reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import http_date, quote_etag

from coe_kz.cache import not_page_cached
from coe_kz.listing import taking
from coe_kz.models import RELEASE_ARCHIVE, VERSION_RE, Release
from coe_kz.params import BadParameters, gate
from coe_kz.site.address import site_address
from coe_kz.site.datasets import PACKAGE_NAME, PACKAGE_TITLE
from coe_kz.site.export_views import plain
from coe_kz.site.releases import (
    ADDED,
    CHANGED,
    CHANGES,
    COLUMN_ADDED,
    COLUMN_REMOVED,
    REMOVED,
    citation,
    data_path,
    dataset_of,
    read_changes,
)

# A year: what RFC 9111 caches take as "for good"; `immutable` spares even revalidation.
FOREVER = "public, max-age=31536000, immutable"
FEED_SIZE = 50
# Records listed per dataset on a release's page; changes.csv lists every one.
SHOWN_CHANGES = 100


class VersionConverter:
    """A release's version as written (2026.1): an address that is no version is no page."""

    regex = VERSION_RE

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(VersionConverter, "version")


def _release(version: str) -> Release:
    release = Release.objects.version(version).first()
    if release is None:
        raise Http404(f"No release {version}.")
    return release


@taking()
def release_list(request):
    """Every release, newest first, with its day, notes, size and how to cite it."""
    homepage = site_address(request)
    releases = [
        (release, citation(release, homepage)) for release in Release.objects.latest_first().with_size()
    ]
    return render(request, "coe_kz/release_list.html", {"releases": releases})


@taking()
def release_detail(request, version):
    """One release: its notes, how to cite it, its files, and what changed since the
    release before, dataset by dataset."""
    release = _release(version)
    files = {file.name: file for file in release.files.defer("content")}
    changes = read_changes(bytes(release.files.get(name=CHANGES).content))
    earlier = Q(year__lt=release.year) | Q(year=release.year, number__lt=release.number)
    previous = Release.objects.filter(earlier).latest_first().first()
    later = Q(year__gt=release.year) | Q(year=release.year, number__gt=release.number)
    following = Release.objects.filter(later).order_by("year", "number").first()
    datasets = [(dataset_of(name), file) for name, file in files.items() if name.startswith("data/")]
    return render(
        request,
        "coe_kz/release_detail.html",
        {
            "release": release,
            "citation": citation(release, site_address(request)),
            "archive": files[RELEASE_ARCHIVE],
            "datasets": datasets,
            "changes_file": files[CHANGES],
            "changes": _by_dataset(changes),
            "previous": previous,
            "following": following,
        },
    )


def _by_dataset(changes) -> list[dict]:
    """The change list grouped by dataset, in its order: the counts, the columns added
    and removed, and the first SHOWN_CHANGES records."""
    groups = {}
    for change in changes:
        group = groups.setdefault(
            change.dataset,
            {"dataset": change.dataset, ADDED: 0, CHANGED: 0, REMOVED: 0, "columns": [], "records": []},
        )
        if change.change in (COLUMN_ADDED, COLUMN_REMOVED):
            group["columns"].append(change)
            continue
        group[change.change] += 1
        if len(group["records"]) < SHOWN_CHANGES:
            group["records"].append(change)
    for group in groups.values():
        group["more"] = group[ADDED] + group[CHANGED] + group[REMOVED] - len(group["records"])
    return list(groups.values())


# --- Files --------------------------------------------------------------------------------


def _serve(request, version: str, name: str, *, filename: str, content_type: str):
    """A stored file of a release, streamed, or a 304 when the client holds it already.
    Bad parameters get a 400 and an unknown release or file a 404, as one line of text
    (as the current CSVs answer)."""
    try:
        gate(request.GET, what="file")
    except BadParameters as error:
        return plain(HttpResponseBadRequest, str(error))
    release = Release.objects.version(version).first()
    if release is None:
        listed = reverse("releases:list")
        return plain(HttpResponseNotFound, f"No release {version}; the releases are listed at {listed}.")
    file = release.files.defer("content").filter(name=name).first()
    if file is None:
        names = release.files.filter(name__startswith="data/").values_list("name", flat=True)
        datasets = ", ".join(dataset_of(name) for name in names)
        return plain(
            HttpResponseNotFound, f"Release {version} holds no such file; its datasets are: {datasets}."
        )
    response = StreamingHttpResponse(file.chunks(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(file.size)
    response["ETag"] = quote_etag(file.sha256)
    response["Last-Modified"] = http_date(release.created.timestamp())
    response["Cache-Control"] = FOREVER
    # A 304 keeps the headers above; the file's bytes are never read for it.
    conditional = get_conditional_response(
        request, etag=response["ETag"], last_modified=int(release.created.timestamp()), response=response
    )
    return conditional or response


@not_page_cached  # validated by its own ETag, streamed
def archive(request, version):
    """The release's zip: its datapackage.json, README.md and data/*.csv."""
    return _serve(
        request,
        version,
        RELEASE_ARCHIVE,
        filename=f"{PACKAGE_NAME}-{version}.zip",
        content_type="application/zip",
    )


@not_page_cached  # validated by its own ETag, streamed
def dataset_csv(request, version, dataset):
    """One dataset's CSV as the release holds it: the bytes its zip holds."""
    return _serve(
        request,
        version,
        data_path(dataset),
        filename=f"{PACKAGE_NAME}-{version}-{dataset}.csv",
        content_type="text/csv; charset=utf-8",
    )


@not_page_cached  # validated by its own ETag, streamed
def changes_csv(request, version):
    """What changed since the release before, one row per record (or column)."""
    return _serve(
        request,
        version,
        CHANGES,
        filename=f"{PACKAGE_NAME}-{version}-changes.csv",
        content_type="text/csv; charset=utf-8",
    )


# --- Feed ---------------------------------------------------------------------------------


class ReleaseFeed(Feed):
    """The latest releases, newest first: each with its notes, linking to its page."""

    feed_type = Atom1Feed
    title = f"{PACKAGE_TITLE}: data releases"
    subtitle = "Numbered snapshots of every dataset, each kept byte for byte, to cite."

    def get_object(self, request, *args, **kwargs):
        gate(request.GET, what="feed")

    def link(self):
        return reverse("releases:list")

    def items(self):
        return Release.objects.latest_first()[:FEED_SIZE]

    def item_title(self, release):
        return str(release)

    def item_description(self, release):
        # <summary type="html">: notes are escaped as HTML, as an event's summary is.
        return escape(release.notes)

    def item_pubdate(self, release):
        return release.created

    def item_updateddate(self, release):
        return release.created
