"""Releases, as a researcher cites them and a publisher cuts them: the same bytes forever,
a data package frictionless accepts, what changed between two releases, addresses that
answer 404 for what is not there, the feed, and who may cut one."""

import csv
import datetime
import html
import importlib
import io
import json
import zipfile
from xml.etree import ElementTree as ET

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.template.defaultfilters import filesizeformat
from frictionless import validate

from coe_kz import publication
from coe_kz.datasets import data_version
from coe_kz.models import Immutable, Release, ReleaseFile, Source
from coe_kz.publication import Refused
from coe_kz.site.datasets import DATASETS
from coe_kz.site.releases import compare, cut_release
from events.models import Event
from tests.helpers import logged_in, sitemap_addresses, staff_user, text, url
from tests.site.test_pages import structure

HOMEPAGE = "https://coe-kz.example.org"
GUARDS = importlib.import_module("coe_kz.migrations.0006_releases")


def download(client, address: str) -> bytes:
    response = client.get(address)
    assert response.status_code == 200, (address, response.content[:300])
    assert response.streaming
    return b"".join(response.streaming_content)


def release_files(client, version: str) -> dict[str, bytes]:
    """Every file a release serves: its zip, each dataset's CSV, its change list."""
    files = {"coe-kz.zip": download(client, f"/releases/{version}/coe-kz.zip")}
    files["changes.csv"] = download(client, f"/releases/{version}/changes.csv")
    for name in DATASETS:
        files[f"{name}.csv"] = download(client, f"/releases/{version}/{name}.csv")
    return files


def read_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


@pytest.fixture
def publisher(django_user_model):
    return staff_user(django_user_model, "publisher", "Publisher")


@pytest.fixture
def editor(django_user_model):
    return staff_user(django_user_model, "editor", "Editor")


@pytest.fixture
def first(curated, publisher) -> Release:
    """Release 1 of the curated data."""
    return cut_release(notes="The curated data as first published.", user=publisher, homepage=HOMEPAGE)


# --- The test: cut, edit and publish, cut again ------------------------------------


def test_a_release_keeps_its_bytes_while_the_next_one_records_what_changed(client, first, publisher):
    version = first.version
    before = release_files(client, version)

    event = Event.objects.published().order_by("pk").first()
    event.title = "A corrected title"
    publication.save_edit(event, user=publisher, reason="The title as the source gives it.", created=False)
    source = Source.objects.create(key="new-source", title="A new source")
    publication.publish([source], user=publisher)

    second = cut_release(notes="A title corrected, a source added.", user=publisher, homepage=HOMEPAGE)

    assert second.version != version
    assert release_files(client, version) == before, "release 1 gives the same bytes"
    after = release_files(client, second.version)
    assert after["events.csv"] != before["events.csv"]
    assert after["sources.csv"] != before["sources.csv"]
    assert after["coe-kz.zip"] != before["coe-kz.zip"]
    assert after["treaties.csv"] == before["treaties.csv"], "what did not change is the same bytes"

    changes = read_csv(after["changes.csv"])
    assert {
        "dataset": "events",
        "change": "changed",
        "key": str(event.pk),
        "label": "A corrected title",
        "fields": "title",
    } in changes
    assert {
        "dataset": "sources",
        "change": "added",
        "key": "new-source",
        "label": "A new source",
        "fields": "",
    } in (changes)
    # The citations name the event too, so its label there changed with it.
    assert {change["dataset"] for change in changes} <= {"events", "sources", "citations", "participations"}

    page = text(client.get(f"/releases/{second.version}/").content.decode())
    assert f"What changed since release {version}" in page
    assert f"Changed : A corrected title Key {event.pk} · fields changed: title" in page


def test_each_release_file_is_the_zips_own_member(client, first):
    files = release_files(client, first.version)
    archive = zipfile.ZipFile(io.BytesIO(files["coe-kz.zip"]))
    for name in DATASETS:
        assert archive.read(f"data/{name}.csv") == files[f"{name}.csv"], name
    assert set(archive.namelist()) == {"datapackage.json", "README.md", *(f"data/{n}.csv" for n in DATASETS)}


def test_the_first_release_compares_with_nothing(client, first):
    assert read_csv(download(client, f"/releases/{first.version}/changes.csv")) == []
    assert "This is the first release" in client.get(f"/releases/{first.version}/").content.decode()


# --- The data package --------------------------------------------------------------------


@pytest.fixture
def unpacked(client, first, tmp_path):
    zipfile.ZipFile(io.BytesIO(download(client, f"/releases/{first.version}/coe-kz.zip"))).extractall(
        tmp_path
    )
    return tmp_path


def test_the_release_zip_validates_with_frictionless(unpacked):
    report = validate(unpacked / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {task.name for task in report.tasks} == set(DATASETS)


def test_the_release_package_names_its_version_licence_and_each_files_hash(unpacked, first):
    descriptor = json.loads((unpacked / "datapackage.json").read_text())
    assert descriptor["version"] == first.version
    assert descriptor["created"] == first.created.isoformat()
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["release"]["path"] == f"{HOMEPAGE}/releases/{first.version}/"
    assert descriptor["citation"].startswith(
        f"coe-kz, “Kazakhstan and the Council of Europe”, data release {first.version}"
    )
    stored = {file.name: file for file in first.files.all()}
    for resource in descriptor["resources"]:
        file = stored[resource["path"]]
        assert resource["hash"] == f"sha256:{file.sha256}"
        assert resource["bytes"] == file.size == len((unpacked / resource["path"]).read_bytes())
        assert resource["rows"] == file.rows == len(read_csv(bytes(file.content)))
    readme = (unpacked / "README.md").read_text()
    assert f"data release {first.version}" in readme
    assert "backed up with it" in readme
    assert "CC BY 4.0" in readme


def test_validation_catches_a_file_that_is_not_the_one_released(unpacked):
    # Proves the hashes and counts are checked, so the passing test above means something.
    path = unpacked / "data" / "sources.csv"
    path.write_bytes(path.read_bytes().replace(b"Foreign", b"Foreing", 1))
    report = validate(unpacked / "datapackage.json")
    assert not report.valid
    assert "hash-count" in {error[0] for error in report.flatten(["type"])}


# --- The current data package is no release ------------------------------------------------


def current_descriptor(client) -> dict:
    archive = zipfile.ZipFile(io.BytesIO(download(client, "/export/coe-kz.zip")))
    return json.loads(archive.read("datapackage.json"))


def test_the_current_package_says_it_is_no_release_and_names_the_latest(client, curated, publisher):
    descriptor = current_descriptor(client)
    assert descriptor["release"] is None
    assert descriptor["dataVersion"] == data_version().isoformat()
    assert descriptor["latestRelease"] is None
    etag = client.get("/export/coe-kz.zip")["ETag"]

    release = cut_release(notes="First.", user=publisher, homepage=HOMEPAGE)
    descriptor = current_descriptor(client)
    assert descriptor["latestRelease"]["version"] == release.version
    assert descriptor["latestRelease"]["path"] == f"http://testserver/releases/{release.version}/"
    assert client.get("/export/coe-kz.zip")["ETag"] != etag, "a new release is a new package"
    readme = zipfile.ZipFile(io.BytesIO(download(client, "/export/coe-kz.zip"))).read("README.md").decode()
    assert "This is the current data, not a release" in readme


# --- Serving the same bytes forever ----------------------------------------------------------


def test_a_release_file_is_cached_for_good_and_revalidated_by_its_hash(
    client, first, django_assert_num_queries
):
    address = f"/releases/{first.version}/events.csv"
    response = client.get(address)
    stored = first.files.get(name="data/events.csv")
    assert response["ETag"] == f'"{stored.sha256}"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Length"] == str(stored.size)
    assert response["Content-Disposition"] == f'attachment; filename="coe-kz-{first.version}-events.csv"'
    assert b"".join(response.streaming_content) == bytes(stored.content)
    with django_assert_num_queries(4):  # the release, the file (its bytes unread), the savepoint pair
        again = client.get(address, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


def test_a_large_file_is_read_in_parts(first, monkeypatch):
    monkeypatch.setattr("coe_kz.models.READ_BYTES", 1000)
    stored = first.files.get(name="coe-kz.zip")
    parts = list(stored.chunks())
    assert len(parts) == -(-stored.size // 1000) > 1
    assert b"".join(parts) == bytes(stored.content)


# --- Addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["/releases/2026.9/", "/releases/1999.1/"])
def test_an_unknown_release_is_a_404_page(client, first, address):
    response = client.get(address)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
    assert f"No release {address.split('/')[2]}." in response.content.decode()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("/releases/2026.9/coe-kz.zip", "No release 2026.9; the releases are listed at /releases/."),
        ("/releases/2026.9/events.csv", "No release 2026.9; the releases are listed at /releases/."),
        ("/releases/2026.9/changes.csv", "No release 2026.9; the releases are listed at /releases/."),
        (
            "/releases/{version}/votes.csv",
            "Release {version} holds no such file; its datasets are: treaties,",
        ),
    ],
)
def test_an_unknown_release_file_is_a_404_in_one_line(client, first, address, message):
    response = client.get(address.format(version=first.version))
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith(message.format(version=first.version))


@pytest.mark.parametrize(
    "address", ["/releases/latest/", "/releases/2026.01/", "/releases/26.1/", "/releases/2026.0/"]
)
def test_an_address_that_is_no_version_is_a_404(client, first, address):
    assert client.get(address).status_code == 404


def test_no_dataset_takes_the_change_lists_address():
    assert "changes" not in DATASETS


TRACKING = "utm_source=newsletter&fbclid=Iw4R"


@pytest.mark.parametrize(
    ("address", "what"),
    [("/releases/", "page"), ("/releases/{version}/", "page"), ("/releases/feed/", "feed")],
)
def test_release_pages_pass_the_parameter_gate(client, first, address, what):
    address = address.format(version=first.version)
    assert client.get(f"{address}?{TRACKING}").status_code == 200
    refused = client.get(f"{address}?colour=red")
    assert refused.status_code == 400
    message = f"Unknown parameter “colour”; this {what} takes no parameters."
    assert message in html.unescape(refused.content.decode())


def test_release_files_pass_the_parameter_gate(client, first):
    address = f"/releases/{first.version}/coe-kz.zip"
    assert download(client, f"{address}?{TRACKING}") == download(client, address)
    refused = client.get(f"{address}?colour=red")
    assert refused.status_code == 400
    assert refused.content.decode() == "Unknown parameter “colour”; this file takes no parameters.\n"


# --- Pages -----------------------------------------------------------------------------------


def test_the_list_shows_each_release_with_its_day_notes_size_and_citation(client, first, publisher):
    second = cut_release(notes="The second one.", user=publisher, homepage=HOMEPAGE)
    page = client.get("/releases/").content.decode()
    assert page.index(f"Release {second.version}") < page.index(f"Release {first.version}"), "newest first"
    assert "The curated data as first published." in page
    assert first.created.strftime("%-d %B %Y") in page
    size = filesizeformat(first.files.get(name="coe-kz.zip").size)
    assert f"coe-kz-{first.version}.zip</a> ({size})" in page
    assert (
        f"coe-kz, “Kazakhstan and the Council of Europe”, data release {first.version}, "
        f"{first.created.strftime('%-d %B %Y')}, http://testserver/releases/{first.version}/"
    ) in page.replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert 'href="/releases/feed/"' in page


def test_the_releases_are_linked_from_the_footer_and_the_sitemap(client, db):
    assert 'href="/releases/">Citable releases</a>' in client.get("/").content.decode()
    assert "http://testserver/releases/" in sitemap_addresses(client)


def test_the_release_page_lists_its_files_with_rows_and_hashes(client, first):
    page = client.get(f"/releases/{first.version}/").content.decode()
    events = first.files.get(name="data/events.csv")
    assert f'href="/releases/{first.version}/events.csv"' in page
    assert events.sha256 in page
    assert f'href="/releases/{first.version}/coe-kz.zip"' in page


@pytest.mark.parametrize("address", ["/releases/", "/releases/{version}/"])
def test_release_pages_are_accessible_in_structure(client, first, publisher, address):
    cut_release(notes="Another.", user=publisher, homepage=HOMEPAGE)  # so the page has changes to list
    response = client.get(address.format(version=first.version))
    page = structure(response.content.decode())
    assert response.status_code == 200
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1
    assert page.scripts == 0 and page.external == []
    assert "style=" not in response.content.decode(), "no inline styles (the CSP forbids them)"


def test_release_pages_take_a_constant_number_of_queries(
    client, curated, publisher, django_assert_num_queries
):
    for count in (1, 3):
        while Release.objects.count() < count:
            cut_release(notes=f"Release {count}.", user=publisher, homepage=HOMEPAGE)
        latest = Release.objects.latest_first().first()
        # The public version (the page cache's key; a cut is a new one, so the pages are
        # made again), savepoint, the releases with their sizes, release.
        with django_assert_num_queries(4):
            assert client.get("/releases/").status_code == 200
        with django_assert_num_queries(8):  # + the release, its files, its changes, previous, next
            assert client.get(f"/releases/{latest.version}/").status_code == 200


# --- The feed --------------------------------------------------------------------------------


def test_the_feed_lists_releases_newest_first(client, first, publisher):
    second = cut_release(notes="Second & last.", user=publisher, homepage=HOMEPAGE)
    response = client.get("/releases/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert feed.index(f"<title>Release {second.version}</title>") < feed.index(
        f"<title>Release {first.version}</title>"
    )
    assert f'href="http://testserver/releases/{second.version}/"' in feed
    assert "Second &amp;amp; last." in feed or "Second &amp; last." in feed


def test_the_feed_gives_notes_as_escaped_html_that_runs_no_script(client, curated, publisher):
    notes = 'Fixes <script>alert("x")</script> & more.'
    cut_release(notes=notes, user=publisher, homepage=HOMEPAGE)
    feed = ET.fromstring(client.get("/releases/feed/").content)
    summary = feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert summary.get("type") == "html"
    # What a feed reader renders: HTML with no element in it, reading as the notes.
    assert "<" not in summary.text
    assert html.unescape(summary.text) == notes


# --- Who may cut one -------------------------------------------------------------------------


def test_an_editor_cannot_cut_a_release(curated, editor):
    client = logged_in(editor)
    assert client.get(url(Release, "add")).status_code == 403
    assert client.post(url(Release, "add"), {"notes": "Mine."}).status_code == 403
    assert client.get(url(Release, "changelist")).status_code == 403
    with pytest.raises(Refused, match="You may not cut releases"):
        cut_release(notes="Mine.", user=editor, homepage=HOMEPAGE)
    assert not Release.objects.exists()


def test_a_publisher_cuts_a_release_in_the_admin(curated, publisher):
    client = logged_in(publisher)
    form = client.get(url(Release, "add"))
    year = datetime.date.today().year
    assert f"Cut release {year}.1" in form.content.decode()
    assert "it is the first release" in form.content.decode()
    response = client.post(url(Release, "add"), {"notes": "  "})
    assert response.status_code == 200
    assert not Release.objects.exists()
    response = client.post(url(Release, "add"), {"notes": "Cut in the admin."})
    release = Release.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(release, "change", release.pk)
    assert (release.version, release.notes, release.created_by) == (
        f"{year}.1",
        "Cut in the admin.",
        publisher,
    )
    listed = client.get(url(Release, "changelist"))
    assert listed.status_code == 200
    assert f"{year}.1" in listed.content.decode() and "Cut in the admin." in listed.content.decode()
    assert client.get(url(release, "history", release.pk)).status_code == 200
    page = client.get(response["Location"]).content.decode()
    assert "data/events.csv" in page and release.files.get(name="data/events.csv").sha256 in page
    assert "Save" not in page and "Delete" not in page, "a release is shown, never changed"


def test_the_admin_cuts_outside_the_requests_transaction():
    """The cut opens its own outermost transaction, so PostgreSQL can read one snapshot."""
    from django.urls import resolve

    assert resolve(url(Release, "add")).func._non_atomic_requests == {"default"}


# --- Immutable -------------------------------------------------------------------------------


def test_a_release_refuses_changes_and_deletion(first):
    with pytest.raises(Immutable):
        first.save()
    with pytest.raises(Immutable):
        first.delete()
    with pytest.raises(Immutable):
        Release.objects.update(notes="Rewritten.")
    with pytest.raises(Immutable):
        ReleaseFile.objects.filter(release=first).delete()
    stored = first.files.first()
    stored.content = b"other bytes"
    with pytest.raises(Immutable):
        stored.save()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE coe_kz_release SET notes = 'Rewritten.'",
        "DELETE FROM coe_kz_releasefile",
        "UPDATE coe_kz_releasefile SET sha256 = 'x'",
    ],
)
def test_the_database_refuses_changes_to_a_release_too(first, statement):
    with (
        pytest.raises(IntegrityError, match="Releases are immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert Release.objects.get().notes == first.notes


def test_verify_finds_a_release_file_altered_behind_the_guards(first, capsys):
    call_command("verify")
    assert "The data keeps every rule" in capsys.readouterr().out
    # A repair by hand that lifts the database's guard (rolled back with the test).
    with connection.cursor() as cursor:
        for statement in GUARDS.lifting_guards(connection.vendor):
            cursor.execute(statement)
        cursor.execute(
            "UPDATE coe_kz_releasefile SET sha256 = %s WHERE name = %s", ["0" * 64, "data/events.csv"]
        )
    with pytest.raises(CommandError, match="1 breach"):
        call_command("verify")
    assert (
        f"Release {first.version}”: its file data/events.csv is no longer the one released"
        in capsys.readouterr().out
    )


# --- Versions --------------------------------------------------------------------------------


def release(year: int, number: int) -> Release:
    moment = datetime.datetime(year, 6, 1, tzinfo=datetime.UTC)
    return Release.objects.create(year=year, number=number, created=moment, notes="A release.")


def test_versions_count_up_within_a_year_and_start_again_at_1(db):
    assert Release.objects.next_version(datetime.date(2026, 3, 1)) == (2026, 1)
    for number in range(1, 11):
        release(2026, number)
    assert Release.objects.next_version(datetime.date(2026, 12, 31)) == (2026, 11)
    assert Release.objects.next_version(datetime.date(2027, 1, 1)) == (2027, 1)
    release(2027, 1)
    assert [r.version for r in Release.objects.latest_first()][:3] == ["2027.1", "2026.10", "2026.9"]


def test_two_releases_cannot_share_a_version(db):
    release(2026, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        release(2026, 1)


def test_a_cut_that_meets_another_at_the_same_version_is_refused(first, publisher, monkeypatch):
    # As when two publishers cut at once: the second takes the number the first just took.
    monkeypatch.setattr(type(Release.objects), "next_version", lambda self, today: (first.year, first.number))
    with pytest.raises(Refused, match="Another release was cut at the same moment"):
        cut_release(notes="At the same moment.", user=publisher, homepage=HOMEPAGE)
    assert list(Release.objects.all()) == [first]
    assert ReleaseFile.objects.count() == first.files.count()


# --- What changed, in detail -----------------------------------------------------------------


def rows(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def test_records_are_matched_by_a_composite_key():
    old = rows("event,person,role", "1,ana,guest", "1,bo,host", "2,ana,guest")
    new = rows("event,person,role", "1,ana,speaker", "1,bo,host", "3,cy,")
    changes = [(c.change, c.key, c.fields) for c in compare("participations", old, new)]
    assert changes == [
        ("changed", "event=1; person=ana", ("role",)),
        ("added", "event=3; person=cy", ()),
        ("removed", "event=2; person=ana", ()),
    ]


def test_a_citation_is_known_by_its_record_source_and_quote():
    header = "record_type,record_key,record_label,source,quote,rank,rank_reason,paragraph,note"
    old = rows(
        header, "event,1,A visit,mfa,He visited.,normal,,2,", "event,1,A visit,mfa,He left.,normal,,3,"
    )
    new = rows(
        header, "event,1,A trip,mfa,He visited.,normal,,4,", "event,1,A trip,mfa,He departed.,normal,,3,"
    )
    changes = [(c.change, c.label, c.fields) for c in compare("citations", old, new)]
    assert changes == [
        ("changed", "A trip", ("record_label", "paragraph")),
        ("added", "A trip", ()),
        ("removed", "A visit", ()),
    ]


def test_columns_and_datasets_that_come_and_go():
    old = rows("slug,name", "greco,GRECO")
    new = rows("slug,name,note", "greco,GRECO,A note")
    changes = [(c.change, c.fields) for c in compare("bodies", old, new)]
    assert changes == [("column_added", ("note",))], "rows are compared on the columns both have"
    assert [c.change for c in compare("passages", None, rows("id,text", "1,A", "2,B"))] == ["added", "added"]
    assert [c.change for c in compare("passages", rows("id,text", "1,A"), None)] == ["removed"]


def test_status_is_compared_without_its_day():
    old = rows(
        "kind,key,name,status,since,certain,possible,as_of", "body,greco,GRECO,member,2020,true,,2026-01-01"
    )
    new = rows(
        "kind,key,name,status,since,certain,possible,as_of", "body,greco,GRECO,member,2020,true,,2026-06-01"
    )
    assert compare("status", old, new) == []


# --- The commands ----------------------------------------------------------------------------


def test_the_release_command_cuts_one(client, curated, capsys, settings):
    settings.SITE_URL = HOMEPAGE
    call_command("release", "--notes", "From the command line.")
    release = Release.objects.get()
    assert (
        capsys.readouterr().out.strip()
        == f"Release {release.version} is cut: {HOMEPAGE}/releases/{release.version}/"
    )
    assert release.created_by is None
    descriptor = json.loads(bytes(release.files.get(name="datapackage.json").content))
    assert descriptor["homepage"] == HOMEPAGE
    with pytest.raises(CommandError, match="Give the release notes"):
        call_command("release", "--notes", " ")


def test_the_export_command_writes_a_releases_files(client, first, tmp_path):
    archive, events = tmp_path / "release.zip", tmp_path / "events.csv"
    call_command("export", "--release", first.version, "-o", str(archive))
    call_command("export", "--release", first.version, "events", "-o", str(events))
    assert archive.read_bytes() == download(client, f"/releases/{first.version}/coe-kz.zip")
    assert events.read_bytes() == download(client, f"/releases/{first.version}/events.csv")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--release", "2099.1"], "No release 2099.1."),
        (
            ["--release", "{version}", "events", "--filter", "kind=visit"],
            "A release's files are as they were cut",
        ),
        ([], "Name a dataset, or a release with --release."),
    ],
)
def test_the_export_command_refuses_what_it_cannot_write(first, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export", *[arg.format(version=first.version) for arg in args])
