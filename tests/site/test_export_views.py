"""The CSV exports, as a researcher downloads them: headers, rows, filters, errors."""

import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from bodies.models import Body, BodyStanding, BodyStandingCitation
from coe_kz.csvexport import stream_csv
from coe_kz.models import PublicVersion, Source
from coe_kz.site.datasets import DATASETS
from coe_kz.site.standing import standing_on
from events.models import Event, EventCitation, Participation, Person, PersonCitation
from tests.helpers import get_csv, make_events, published
from tests.worlds import QUOTE_GRECO, QUOTE_VISIT
from treaties.models import Treaty, TreatyStep, TreatyStepCitation

# --- status.csv ----------------------------------------------------------------------


def test_status_csv_columns_and_a_row_as_of_a_day(client, world):
    response, header, rows = get_csv(client, "/export/status.csv?as_of=2013-01-01")
    assert header == ["kind", "key", "name", "status", "since", "certain", "possible", "as_of"]
    by_key = {row["key"]: row for row in rows}
    assert by_key["141"] == {
        "kind": "treaty",
        "key": "141",
        "name": "ETS No. 141 Convention on Laundering",
        "status": "signed",
        "since": "2012-03",
        "certain": "true",
        "possible": "",
        "as_of": "2013-01-01",
    }
    assert (by_key["greco"]["kind"], by_key["greco"]["status"], by_key["greco"]["since"]) == (
        "body",
        "none",
        "",
    )
    assert response["Content-Disposition"] == 'attachment; filename="coe-kz-status-as-of-2013-01-01.csv"'


def test_status_csv_marks_a_straddling_step_uncertain(client, world):
    _, _, rows = get_csv(client, "/export/status.csv?as_of=2020-06-30")
    greco = next(row for row in rows if row["key"] == "greco")
    assert (greco["status"], greco["since"], greco["certain"], greco["possible"]) == (
        "applicant",
        "2013-07",
        "false",
        "member",
    )


def test_status_csv_says_what_standing_on_says_for_every_record(client, world):
    day = datetime.date(2015, 1, 1)
    _, _, rows = get_csv(client, f"/export/status.csv?as_of={day}")
    expected = [
        (r.kind, r.key, r.answer.status, r.answer.since, "true" if r.answer.certain else "false")
        for r in standing_on(day)
    ]
    assert [(r["kind"], r["key"], r["status"], r["since"], r["certain"]) for r in rows] == expected


def test_status_csv_defaults_to_today(client, world):
    _, _, rows = get_csv(client, "/export/status.csv")
    assert {row["as_of"] for row in rows} == {timezone.localdate().isoformat()}
    assert next(row for row in rows if row["key"] == "141")["status"] == "party"


@pytest.mark.parametrize("day", ["2015-13-45", "2015-02-30", "yesterday", "30/06/2015"])
def test_status_csv_refuses_a_day_that_is_not_one(client, world, day):
    response = client.get("/export/status.csv", {"as_of": day})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    message = response.content.decode()
    assert message.count("\n") == 1
    assert f"as_of: “{day}” is not a calendar day; use YYYY-MM-DD" in message


# --- events.csv, people.csv -----------------------------------------------------------


def test_events_csv_columns_and_row(client, world):
    _, header, rows = get_csv(client, "/export/events.csv")
    assert header == [
        "id",
        "date",
        "date_earliest",
        "date_latest",
        "title",
        "kind",
        "location",
        "treaties",
        "bodies",
        "people",
        "summary",
    ]
    assert rows == [
        {
            "id": str(world["event"].pk),
            "date": "../2023-10-07",
            "date_earliest": "",
            "date_latest": "2023-10-07",
            "title": "Vassilenko visits the Council of Europe",
            "kind": "visit",
            "location": "Strasbourg",
            "treaties": "141",
            "bodies": "greco",
            "people": "roman-vassilenko",
            "summary": "",
        }
    ]


def test_events_csv_joins_many_values_with_semicolons(client, world):
    event = world["event"]
    event.treaties.add(published(Treaty, number=18, title="European Cultural Convention"))
    event.bodies.add(published(Body, slug="venice-commission", name="Venice Commission"))
    Participation.objects.create(
        publication="published", event=event, person=published(Person, slug="bjorn-berge", name="Björn Berge")
    )
    _, _, rows = get_csv(client, "/export/events.csv")
    # Treaties by number, bodies and people in their lists' order.
    assert (rows[0]["treaties"], rows[0]["bodies"], rows[0]["people"]) == (
        "18;141",
        "greco;venice-commission",
        "roman-vassilenko;bjorn-berge",
    )


def test_people_csv_columns_and_row(client, world):
    _, header, rows = get_csv(client, "/export/people.csv")
    assert header == ["slug", "name", "other_names", "description"]
    assert rows == [
        {
            "slug": "roman-vassilenko",
            "name": "Roman Vassilenko",
            "other_names": "R. Vassilenko;Roman Vasilenko",
            "description": "Deputy Minister",
        }
    ]


# --- citations.csv -------------------------------------------------------------------


def test_citations_csv_has_one_row_per_citation_of_every_kind(client, world):
    _, header, rows = get_csv(client, "/export/citations.csv")
    assert header == [
        "record_type",
        "record_key",
        "record_label",
        "source",
        "quote",
        "rank",
        "rank_reason",
        "paragraph",
        "note",
    ]
    signed = TreatyStep.objects.get(status="signed")
    applicant = BodyStanding.objects.get(status="applicant")
    assert [(r["record_type"], r["record_key"], r["record_label"]) for r in rows] == [
        ("treaty_step", str(signed.pk), "ETS No. 141: Signed (2012-03)"),
        (
            "body_standing",
            str(applicant.pk),
            "Group of States against Corruption (GRECO): Applicant (2013-07)",
        ),
        ("event", str(world["event"].pk), "../2023-10-07 Vassilenko visits the Council of Europe"),
        ("person", "roman-vassilenko", "Roman Vassilenko"),
    ]
    greco = rows[1]
    assert greco == {
        **greco,
        "source": "mfa-2023-10-07",
        "quote": QUOTE_GRECO,
        "rank": "preferred",
        "rank_reason": "Dated to the month.",
        "paragraph": "",
    }
    assert (rows[2]["paragraph"], rows[2]["note"], rows[2]["quote"]) == ("2", "The visit.", QUOTE_VISIT)


def test_citations_csv_is_narrowed_by_the_sources_filter(client, world):
    other = published(Source, key="regional-office-article", title="Regional office", language="ru")
    published(EventCitation, record=world["event"], source=other, quote="A meeting was held recently")
    _, _, rows = get_csv(client, "/export/citations.csv?language=ru")
    assert [(r["record_type"], r["source"]) for r in rows] == [("event", "regional-office-article")]


# --- neutralising --------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_cells_a_spreadsheet_would_run_are_neutralised(client, world, start):
    Event.objects.filter(pk=world["event"].pk).update(
        title=f"{start}HYPERLINK(1)", summary=f"{start}2+3", location="Astana"
    )
    _, _, rows = get_csv(client, "/export/events.csv")
    assert (rows[0]["title"], rows[0]["summary"], rows[0]["location"]) == (
        f"'{start}HYPERLINK(1)",
        f"'{start}2+3",
        "Astana",
    )


def test_neutralising_touches_text_but_leaves_keys_alone(client, world):
    # A slug may start with a hyphen; as a key it must stay joinable, so it is left as is.
    published(Person, slug="-dash", name="-Dash", description="+1 on the record")
    _, _, people = get_csv(client, "/export/people.csv")
    dash = next(row for row in people if row["slug"] == "-dash")
    assert (dash["name"], dash["description"]) == ("'-Dash", "'+1 on the record")
    TreatyStepCitation.objects.update(quote="-the quote", note="@note")
    _, _, citations = get_csv(client, "/export/citations.csv")
    assert (citations[0]["quote"], citations[0]["note"], citations[0]["source"]) == (
        "'-the quote",
        "'@note",
        "mfa-2023-10-07",
    )


# --- every dataset, filters, errors ----------------------------------------------------


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_streams_its_declared_header(client, world, name):
    response, header, rows = get_csv(client, f"/export/{name}.csv")
    assert header == [column.name for column in DATASETS[name].columns]
    assert rows, f"{name}.csv has no rows"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="coe-kz-{name}-')


def test_a_filtered_file_is_named_by_its_filters(client, world):
    today = timezone.localdate().isoformat()
    name = client.get("/export/events.csv?year=2023&kind=visit")["Content-Disposition"]
    assert name == f'attachment; filename="coe-kz-events-kind-visit-year-2023-{today}.csv"'
    name = client.get("/export/treaties.csv?status=party&as_of=2015-06-30")["Content-Disposition"]
    assert name == f'attachment; filename="coe-kz-treaties-as_of-2015-06-30-status-party-{today}.csv"'
    assert client.get("/export/events.csv")["Content-Disposition"] == (
        f'attachment; filename="coe-kz-events-{today}.csv"'
    )
    # Words in any script name the file too, as the HTTP header allows them.
    name = client.get("/export/people.csv?q=Василенко")["Content-Disposition"]
    assert name == f"attachment; filename*=utf-8''{quote(f'coe-kz-people-q-василенко-{today}.csv')}"
    # A long search is cut short in the name.
    name = client.get("/export/events.csv", {"q": "word " * 30})["Content-Disposition"]
    assert len(name) < 120 and name.endswith(f'-{today}.csv"')


def test_treaty_steps_and_participations_follow_their_list_pages_filters(client, world):
    published(Treaty, number=18, title="European Cultural Convention")
    published(TreatyStep, treaty_id=18, status="party", date="2010-02-27")
    _, _, steps = get_csv(client, "/export/treaty_steps.csv?q=Laundering")
    assert {row["treaty"] for row in steps} == {"141"}
    _, _, none = get_csv(client, "/export/participations.csv?kind=meeting")
    assert none == []
    _, _, visits = get_csv(client, "/export/participations.csv?kind=visit")
    assert [(row["person"], row["role"]) for row in visits] == [
        ("roman-vassilenko", "Deputy Minister of Foreign Affairs")
    ]


def test_events_csv_holds_only_the_filtered_events(client, world):
    published(Event, date="2004", title="PACE cooperation agreement", kind="signature")
    _, _, visits = get_csv(client, "/export/events.csv?kind=visit")
    assert [row["title"] for row in visits] == ["Vassilenko visits the Council of Europe"]
    _, _, by_year = get_csv(client, "/export/events.csv?year=2004")
    assert [row["title"] for row in by_year] == ["PACE cooperation agreement"]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "/export/events.csv?kind=party",
            "kind: “party” is not one of: cooperation, meeting, visit, signature, accession,",
        ),
        ("/export/events.csv?year=soon", "year: Enter a whole number."),
        ("/export/events.csv?colour=red", "Unknown parameter “colour”; this dataset takes: year, kind,"),
        (
            "/export/treaties.csv?status=member",
            "status: “member” is not one of: none, interested, invited, signed, party, denounced.",
        ),
        ("/export/people.csv?bom=yes", "bom: “yes” is not allowed; use bom=1 or leave it out."),
        ("/export/people.csv?as_of=2015-06-30", "Unknown parameter “as_of”"),
    ],
)
def test_bad_parameters_get_400_with_the_reason(client, world, url, reason):
    response = client.get(url)
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_a_list_pages_page_number_does_not_narrow_the_csv(client, world):
    _, _, rows = get_csv(client, "/export/events.csv?page=2")
    assert len(rows) == 1


def test_unknown_dataset_is_404_naming_the_real_ones(client, db):
    response = client.get("/export/votes.csv")
    assert response.status_code == 404
    assert "No dataset “votes”" in response.content.decode()
    assert "events" in response.content.decode()


def test_bom_option_starts_the_file_with_a_byte_order_mark(client, world):
    plain = b"".join(client.get("/export/people.csv").streaming_content)
    with_bom = b"".join(client.get("/export/people.csv?bom=1").streaming_content)
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert with_bom == b"\xef\xbb\xbf" + plain


def test_etag_gives_304_until_the_data_or_the_query_changes(client, world):
    first = client.get("/export/events.csv")
    etag = first["ETag"]
    assert first["Last-Modified"]
    assert client.get("/export/events.csv", headers={"if-none-match": etag}).status_code == 304
    assert client.get("/export/events.csv?kind=visit", headers={"if-none-match": etag}).status_code == 200
    event = world["event"]
    event.title = "Vassilenko visits Strasbourg"
    event.save()  # writes a history row, as every edit does
    changed = client.get("/export/events.csv", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert b"Vassilenko visits Strasbourg" in b"".join(changed.streaming_content)


def test_last_modified_is_the_latest_public_change_or_for_todays_status_the_start_of_today(client, world):
    last_week = timezone.now() - datetime.timedelta(days=7)
    # The published data last changed last week (coe_kz.cache keeps when).
    assert PublicVersion.objects.filter(pk=1).update(changed=last_week, data_changed=last_week) == 1
    assert client.get("/export/events.csv")["Last-Modified"] == http_date(last_week.timestamp())
    assert client.get("/export/status.csv?as_of=2015-01-01")["Last-Modified"] == http_date(
        last_week.timestamp()
    )
    midnight = datetime.datetime.combine(timezone.localdate(), datetime.time(), tzinfo=datetime.UTC)
    today = client.get("/export/status.csv")
    assert today["Last-Modified"] == http_date(midnight.timestamp())
    # A client holding last week's status gets today's, not a 304.
    since_last_week = http_date(last_week.timestamp() + 1)
    assert client.get("/export/status.csv", headers={"if-modified-since": since_last_week}).status_code == 200
    assert client.get("/export/events.csv", headers={"if-modified-since": since_last_week}).status_code == 304


# --- constant queries and streaming ----------------------------------------------------


def count_queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        rows = b"".join(response.streaming_content).count(b"\r\n") - 1
    return len(queries), rows


@pytest.mark.parametrize("name", ["events", "people", "participations", "citations"])
def test_query_count_does_not_grow_with_the_rows(client, db, name):
    make_events(10)
    small, small_rows = count_queries(client, f"/export/{name}.csv")
    make_events(490, start=10)
    large, large_rows = count_queries(client, f"/export/{name}.csv")
    assert large == small
    assert large_rows == small_rows * 50


def test_events_csv_query_count_is_pinned(client, db, django_assert_num_queries):
    make_events(500)
    # The data version, the events, then one query each for treaties, bodies and
    # participations; plus the request's savepoint pair.
    with django_assert_num_queries(7):
        response = client.get("/export/events.csv")
        body = b"".join(response.streaming_content)
    assert body.count(b"\r\n") == 501
    assert b"Event 499,meeting,,185,cepej,p499," in body


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
@pytest.mark.parametrize("name", [name for name, d in DATASETS.items() if getattr(d, "records", False)])
def test_a_file_written_a_column_at_a_time_has_the_bytes_of_its_rows_written_one_by_one(
    client, world, name, lang
):
    """Datasets read as records are written a chunk and a column at a time
    (csvexport.stream_csv_columns), their relations read by queries compiled once per
    file (datasets.Listed.reader); the bytes are those of each row's cells as the API's
    records give them, written row by row, in every language: formula-like text, empty
    cells, days, lists of one value and of several."""
    event = Event.objects.published().order_by("pk").first()
    event.title, event.location, event.summary = "=1+1", "-Strasbourg", '@once\r\nand\ttabs, "quoted"'
    event.title_ru, event.summary_kk = "Визит в Страсбург", "=Қысқаша"
    event.save()
    second = published(Person, slug="b-second", name="B. Second", name_kk="Б. Екінші")
    Participation.objects.create(publication="published", event=event, person=second, role="Adviser")
    dataset = DATASETS[name]
    export = dataset.prepare(QueryDict(f"lang={lang}"))
    rows = list(export.selection.iterator())
    assert rows, name
    expected = b"".join(stream_csv(dataset.columns, rows))
    response = client.get(f"/export/{name}.csv?lang={lang}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == expected
    if name == "events":
        assert b"'-Strasbourg,141,greco,roman-vassilenko;b-second," in expected
        title = {"en": "'=1+1", "kk": "'=1+1", "ru": "Визит в Страсбург"}[lang]
        assert f",{title},".encode() in expected
        # The summary in Kazakh; in English and Russian (none), the English one.
        summary = "'=Қысқаша" if lang == "kk" else "'@once\r\nand\ttabs"
        assert summary.encode() in expected
    if name == "people":
        assert ("Б. Екінші".encode() in expected) == (lang == "kk")
        assert b"R. Vassilenko;Roman Vasilenko" in expected


def test_events_csv_streams_chunks_naming_thousands_of_people(client, db):
    # A chunk of rows naming over 1,000 people once broke on SQLite (see datasets.py).
    make_events(2500)
    _, _, rows = get_csv(client, "/export/events.csv")
    assert len(rows) == 2500
    assert len({row["people"] for row in rows}) == 2500


# --- the curated data ------------------------------------------------------------------


def test_curated_status_on_30_june_2015_shows_greco_applicant_certain(client, curated):
    _, _, rows = get_csv(client, "/export/status.csv?as_of=2015-06-30")
    greco = next(row for row in rows if row["kind"] == "body" and row["key"] == "greco")
    assert (greco["status"], greco["since"], greco["certain"]) == ("applicant", "2013-07", "true")


def test_curated_citations_quote_cells_are_the_stored_quotes(client, curated):
    _, _, rows = get_csv(client, "/export/citations.csv")
    stored = [
        c.quote
        for model in (TreatyStepCitation, BodyStandingCitation, EventCitation, PersonCitation)
        for c in model.objects.all()
    ]
    assert len(rows) == len(stored)
    assert sorted(row["quote"].removeprefix("'") for row in rows) == sorted(stored)


def test_a_source_page_links_to_a_csv_of_exactly_its_citations(client, curated):
    page = client.get("/sources/mfa-2023-10-07/").content.decode()
    assert 'href="/export/citations.csv?key=mfa-2023-10-07">Download its citations as CSV<' in page
    _, _, rows = get_csv(client, "/export/citations.csv?key=mfa-2023-10-07")
    drawn = sum(
        model.objects.published().filter(source="mfa-2023-10-07").count()
        for model in (TreatyStepCitation, BodyStandingCitation, EventCitation, PersonCitation)
    )
    assert drawn > 0 and len(rows) == drawn
    assert {row["source"] for row in rows} == {"mfa-2023-10-07"}
    # The key is matched whole, not as a part of other keys.
    assert get_csv(client, "/export/citations.csv?key=mfa-2023")[2] == []


# --- the /export/ page -------------------------------------------------------------------


def test_export_page_lists_each_dataset_with_count_columns_and_links(client, world):
    response = client.get("/export/")
    assert response.status_code == 200
    page = response.content.decode()
    for name in DATASETS:
        assert f'href="/export/{name}.csv"' in page
        assert f'href="/export/{name}.csv?bom=1"' in page
    assert '<a href="#events">Events</a> (1 row)' in page
    assert '<a href="#people">People</a> (1 row)' in page
    assert 'href="/export/coe-kz.zip"' in page
    # Column meanings come from the models' help_text (escaped as HTML), not retyped.
    help_text = str(Treaty._meta.get_field("number").help_text).replace("'", "&#x27;")
    assert help_text in page
    assert '<th scope="row"><code>other_names</code></th>' in page
    # Filter parameters are described by the list pages' FilterSets.
    assert "<dt><code>year</code></dt>" in page


def test_export_page_query_count_does_not_grow(client, db, django_assert_max_num_queries):
    make_events(10)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/export/").status_code == 200
    make_events(200, start=10)
    with django_assert_max_num_queries(len(small)):
        assert client.get("/export/").status_code == 200
