"""The site's own pages: home, status on a day, search, about, sources, robots, sitemap.
(The filter that puts EDTF dates into words is tested with the dates, in
tests/coe_kz/test_dates.py.)"""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import escape

from bodies.models import STANDING_DEFINITIONS
from coe_kz.models import Source
from coe_kz.site.datasets import DATASETS
from coe_kz.site.sitemaps import RECORDS_PER_FILE
from events.models import Event
from tests.helpers import cite, generate, get_csv, make_events, published, rows, sitemap_addresses, text
from treaties.models import TREATY_STATUS_DEFINITIONS, TreatyStepCitation


def test_home_gives_todays_standing_in_numbers(client, site_data):
    page = text(client.get("/").content.decode())
    assert "1 treaty Kazakhstan is party to" in page
    assert "0 invitations to accede" in page
    assert "2 memberships" in page
    assert "1 observer seat" in page
    assert "0 applications" in page
    assert 'href="/treaties/?status=party"' in client.get("/").content.decode()


def test_home_timeline_draws_uncertain_stretches_and_has_a_table(client, site_data):
    html = client.get("/").content.decode()
    picture = html.split('<div class="timeline-picture"', 1)[1].split('<ul class="legend"', 1)[0]
    lanes = {
        text(lane.split("</span>", 1)[0]): lane for lane in picture.split('<span class="lane-name">')[1:]
    }
    assert list(lanes) == [
        "ETS No. 141 Convention on Laundering",
        "CETS No. 198 Warsaw",
        "CETS No. 208 Protocol amending 127",
        "Efficiency of Justice (CEPEJ)",
        "Group of States against Corruption (GRECO)",
        "Venice Commission",
    ]
    # 141: party some day between December 2013 and September 2018, then certainly. The
    # uncertain days are a quiet band with no label; the bar of the status in force has one.
    laundering = lanes["ETS No. 141 Convention on Laundering"]
    assert re.findall(r'<rect class="(maybe[^"]*)"', laundering) == ["maybe maybe-party"]
    assert (
        "<title>Perhaps Party already, some day from 19 Dec 2013 to 19 Sep 2018: "
        "no source gives the exact date.</title>"
    ) in laundering
    assert re.findall(r'<text class="bar-label[^"]*"[^>]*>(.*?)</text>', laundering) == ["Party"]
    # Labels name statuses only, never a guess: no "No step, maybe Party", no "?".
    labels = re.findall(r'<text class="bar-label[^"]*"[^>]*>(.*?)</text>', picture)
    assert set(labels) <= {"Party", "Signed", "Interested", "Applicant", "Member", "Observer", "Invited"}
    # GRECO: an applicant, perhaps already a member from 2018, a member since October 2023.
    greco = lanes["Group of States against Corruption (GRECO)"]
    assert 'fill="url(#pat-applicant)"' in greco and 'fill="url(#pat-member)"' in greco
    assert 'class="maybe maybe-member"' in greco
    table = text(html.split("<summary>The timeline as a table</summary>", 1)[1].split("</table>", 1)[0])
    # Certain from the last day the step can mean, as on the status page.
    assert "19 December 2013 19 September 2018 No step Uncertain" in table
    since = "since some day between 19 December 2013 and 20 September 2018"
    assert f"20 September 2018 today Party {since}" in table
    # The rejected claim that Kazakhstan is party to 198 is drawn nowhere.
    warsaw = table.split("CETS No. 198", 1)[1].split("CETS No. 208", 1)[0]
    assert "Interested" in warsaw and "Party" not in warsaw
    # Interest "on or before 7 October 2023" may date from before the picture's first day.
    assert warsaw.startswith(" Warsaw before 1 January 2012 6 October 2023 No step Uncertain")


def test_home_lists_latest_events_and_the_sources(client, site_data):
    page = text(client.get("/").content.decode())
    latest = page.split("Latest events", 1)[1]
    assert latest.index("Deputy minister visits Strasbourg") < latest.index(
        "Kazakhstan accedes to Convention 141"
    )
    assert "Report of 2018" in page and "News of 2023" in page
    # Dates read in words; the EDTF codes are in the titles, not the reading line.
    html = client.get("/").content.decode()
    assert "on or before 7 October 2023 · Visit" in page and "Agency · 7 October 2023 " in page
    assert 'title="EDTF: ../2023-10-07"' in html and '<code class="edtf"' not in html


def test_home_latest_events_are_the_event_lists_order_reversed(client, site_data):
    published(Event, date="1997", title="Kazakhstan applies for guest status at PACE", kind="application")
    published(Event, date="2007/..", title="Venice Commission cooperation begins", kind="meeting")
    latest = text(client.get("/").content.decode()).split("Latest events", 1)[1]
    assert latest.index("Kazakhstan applies to join GRECO") < latest.index(
        "Venice Commission cooperation begins"
    )
    assert latest.index("Venice Commission cooperation begins") < latest.index("guest status at PACE")


def test_status_on_a_day_marks_uncertain_answers(client, site_data):
    html = client.get("/status/?as_of=2015-06-30").content.decode()
    assert "<h1>Kazakhstan's standing on 30 June 2015</h1>" in html
    treaties = rows(html)
    assert treaties[0].startswith("ETS No. 141 Convention on Laundering No step Uncertain")
    assert (
        "Uncertain: a step that may already have happened by this day "
        "(its exact date is not known) would make it Party." in treaties[0]
    )
    assert treaties[2].startswith("CETS No. 208 Protocol amending 127 No step Uncertain")
    page = text(html)
    assert "Group of States against Corruption (GRECO) Applicant since July 2013" in page
    assert "3 answers uncertain on this day" in page


def test_status_folds_the_records_with_no_standing_on_the_day(client, site_data):
    html = client.get("/status/?as_of=2013-01-01").content.decode()
    # Only the Venice Commission had a standing; GRECO and CEPEJ come folded beneath it.
    bodies = html.split("<h2>Bodies and partial agreements</h2>", 1)[1]
    assert [row.split(" Member")[0] for row in rows(bodies)] == ["Venice Commission"]
    folded = bodies.split('<details class="folded">', 1)[1].split("</details>", 1)[0]
    assert "<summary>2 bodies in which Kazakhstan has no standing on this day</summary>" in folded
    assert 'href="/bodies/greco/"' in folded and 'href="/bodies/cepej/"' in folded
    # Treaties whose step may already have come are not folded: that answer is uncertain.
    treaties = html.split("<h2>Treaties</h2>", 1)[1].split("<h2>", 1)[0]
    assert [row.split(" No step")[0] for row in rows(treaties)] == ["CETS No. 198 Warsaw"]
    assert "2 treaties with no step by this day" in treaties
    assert "3 treaties and 3 bodies" in text(html)


def test_status_steps_to_the_previous_and_next_dated_change(client, site_data):
    html = client.get("/status/?as_of=2015-06-30").content.decode()
    assert '<a href="?as_of=2015-01-01" rel="prev">← Previous change: 1 January 2015</a>' in html
    # The signature dated 2015 is certain from 31 December 2015, the last day it can mean.
    assert '<a href="?as_of=2015-12-31" rel="next">Next change: 31 December 2015 →</a>' in html
    on_the_day = text(client.get("/status/?as_of=2015-12-31").content.decode())
    assert "CETS No. 208 Protocol amending 127 Signed" in on_the_day
    assert 'href="/export/status.csv?as_of=2015-06-30"' in html
    assert 'value="2015-06-30"' in html
    first = client.get("/status/?as_of=2000-01-01").content.decode()
    assert "No earlier change" in first and "?as_of=2012-03-01" in first


def test_status_defaults_to_today_and_its_csv_names_the_day(client, site_data):
    from django.utils import timezone

    today = timezone.localdate()
    html = client.get("/status/").content.decode()
    assert f'href="/export/status.csv?as_of={today.isoformat()}"' in html
    assert "Member since March 2012" in text(html)


def test_search_finds_a_person_under_another_spelling(client, site_data):
    page = text(client.get("/search/?q=Ferrati").content.decode())
    assert "People (1) Mustafa Ferati Head of division Also spelt: Mustafa Ferrati" in page
    assert "Events (1) Deputy minister visits Strasbourg" in page
    # The source that quotes that spelling is found too.
    assert "Sources (1) News of 2023" in page and "Quoted: “Mustafa Ferrati expressed readiness" in page
    assert "3 results for “Ferrati”" in page


def test_search_covers_treaties_bodies_and_sources(client, site_data):
    assert "Treaties (1) Convention on Laundering" in text(client.get("/search/?q=141").content.decode())
    assert "Bodies (1) Group of States" in text(client.get("/search/?q=greco").content.decode())
    assert "Sources (1) Report of 2018" in text(client.get("/search/?q=report").content.decode())
    empty = text(client.get("/search/").content.decode())
    assert "results for" not in empty


def test_search_shows_only_the_kinds_of_record_it_found(client, site_data):
    page = text(client.get("/search/?q=greco").content.decode())
    assert "Bodies (1) Group of States" in page and "Events (1) Kazakhstan applies to join GRECO" in page
    assert "Treaties" not in page.split("Search Words", 1)[1] and "(0)" not in page and "None." not in page
    nothing = text(client.get("/search/?q=zanzibar").content.decode())
    assert "Nothing found for “zanzibar”." in nothing and "(0)" not in nothing


def test_search_and_the_source_list_find_a_source_by_the_words_of_its_quotes(client, site_data):
    page = text(client.get("/search/?q=ACCEDED to convention").content.decode())
    assert (
        "Sources (1) Report of 2018 Ministry · 20 September 2018 "
        "Quoted: “Kazakhstan has acceded to Convention No. 141.”"
    ) in page
    assert [
        row.split(" Ministry")[0] for row in rows(client.get("/sources/?q=acceded").content.decode())
    ] == ["Report of 2018"]
    _, _, csv_rows = get_csv(client, "/export/sources.csv?q=acceded")
    assert [row["key"] for row in csv_rows] == ["report-2018"]
    # A quote the public cannot see finds nothing.
    draft = cite(
        TreatyStepCitation, site_data["treaties"][0].steps.get(), site_data["sources"][1], "Zanzibar."
    )
    draft.publication = "draft"
    draft.save()
    assert "Nothing found" in text(client.get("/search/?q=zanzibar").content.decode())


@pytest.mark.parametrize("q", ["Bjorn", "BJÖRN", "björn", "bjorn berge"])
def test_search_ignores_case_and_accents_in_names(client, spellings, q):
    page = text(client.get("/search/", {"q": q}).content.decode())
    assert "People (1) Björn Berge Deputy Secretary General" in page
    assert "Events (1) Deputy minister visits Strasbourg" in page  # Berge took part


def test_search_finds_a_name_the_sources_spell_without_its_accent(client, spellings):
    page = text(client.get("/search/", {"q": "Xuclà"}).content.decode())
    assert "People (1) J. Xucla Head of the PACE mission Also spelt: J.Xucla" in page
    assert "1 result for “Xuclà”" in page


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("ETS 141", "Convention on Laundering"),
        ("No. 141", "Convention on Laundering"),
        ("CETS No. 141", "Convention on Laundering"),
        ("ets no 141", "Convention on Laundering"),
        ("CETS 198", "Warsaw"),
        ("CETS No. 198", "Warsaw"),
        ("CETS n° 198", "Warsaw"),
        ("№ 198", "Warsaw"),
    ],
)
def test_search_finds_a_treaty_by_its_usual_label(client, site_data, q, found):
    assert f"Treaties (1) {found}" in text(client.get("/search/", {"q": q}).content.decode())


def test_search_takes_no_other_number_for_a_treaty_label(client, site_data):
    page = text(client.get("/search/", {"q": "ETS No. 14"}).content.decode())
    assert "Nothing found for “ETS No. 14”" in page


def test_search_ignores_accents_in_the_curated_data_loaded_from_fixtures(client, curated):
    # loaddata saves raw rows: the search column must be filled for them too.
    assert "Björn Berge" in text(client.get("/search/", {"q": "Bjorn"}).content.decode())
    assert "J. Xucla" in text(client.get("/search/", {"q": "Xuclà"}).content.decode())
    assert "People (1) Björn Berge" in text(client.get("/search/", {"q": "BJÖRN"}).content.decode())


def test_about_takes_each_status_definition_from_the_models(client, db):
    html = client.get("/about/").content.decode()
    for code, definition in [*TREATY_STATUS_DEFINITIONS.items(), *STANDING_DEFINITIONS.items()]:
        assert f"<code>{code}</code>" in html
        assert escape(definition) in html
    assert 'id="cite"' in html and 'id="licence"' in html


def test_about_lists_every_dataset_the_export_page_offers(client, db):
    html = client.get("/about/").content.decode()
    data = html.split('<h2 id="data">', 1)[1].split("<h2", 1)[0]
    assert f"There are {len(DATASETS)} datasets:" in text(data)
    for name, dataset in DATASETS.items():
        assert f'<a href="/export/{name}.csv"><code>{name}</code></a>: {dataset.title}' in data
    export = client.get("/export/").content.decode()
    assert all(f'href="/export/{name}.csv"' in export for name in DATASETS)


def test_about_explains_dates_to_readers_before_their_codes(client, db):
    html = client.get("/about/").content.decode()
    dates = text(html.split('<h3 id="dates">', 1)[1].split("<h2", 1)[0])
    assert dates.startswith("Dates Sources seldom give every date to the day")
    assert "“On or before 7 October 2023” means that a source published that day reports" in dates
    # What an editor types (YYYY-MM, A/B...) is not what a reader is told.
    assert "Use an EDTF date" not in dates and "YYYY" not in dates
    assert "on or before 7 October 2023 ../2023-10-07" in dates  # words first, then the code
    assert dates.index("For researchers") > dates.index("date unknown XXXX")


def test_about_says_what_publishing_and_live_changes_do(client, db):
    page = text(client.get("/about/").content.decode())
    assert "A new record is a draft, not shown here, until a publisher publishes it" in page
    assert (
        "An editor can also change a record that is already published: the change appears at once, "
        "and the editor must give a reason for it, which is shown with the change on the recent "
        "changes page."
    ) in page
    assert "a publisher checks each one before it appears here" not in page


def test_about_cites_the_address_the_reader_used(client, db):
    html = client.get("/about/", HTTP_HOST="localhost:8080").content.decode()
    assert "http://localhost:8080/about/, accessed" in html
    assert "<code>http://localhost:8080/status/?as_of=" in html
    assert "127.0.0.1:8000" not in html


def test_about_cites_the_canonical_address_when_the_deploy_sets_one(client, db, settings):
    settings.SITE_URL, settings.SITE_URL_FROM_ENVIRONMENT = "https://coe-kz.example.org", True
    html = client.get("/about/", HTTP_HOST="localhost:8080").content.decode()
    assert "https://coe-kz.example.org/about/, accessed" in html
    assert "localhost:8080" not in html


def test_sources_list_counts_citations_from_every_kind_of_record(client, site_data):
    assert rows(client.get("/sources/").content.decode()) == [
        "News of 2023 Agency 7 October 2023 en 5",
        "Report of 2018 Ministry 20 September 2018 en 7",
    ]


def test_sources_are_listed_newest_first_then_by_title_with_undated_ones_last(client, site_data):
    published(Source, key="a-undated", title="An undated note")
    published(Source, key="z-2018", title="Another text of 2018", published="2018-09-20")
    published(Source, key="b-2020", title="Text of 2020", published="2020")
    order = ["News of 2023", "Text of 2020", "Another text of 2018", "Report of 2018", "An undated note"]
    html = client.get("/sources/").content.decode()
    assert re.findall(r'<th scope="row"><a href="/sources/[^"]+/">(.*?)</a>', html) == order
    _, _, csv_rows = get_csv(client, "/export/sources.csv")
    assert [row["title"] for row in csv_rows] == order
    # The first filter is the friendly one: words, not a key.
    assert html.index('name="q"') < html.index('name="language"') < html.index('name="key"')


def test_a_source_without_a_text_lists_every_citation_drawn_from_it(client, site_data):
    html = client.get("/sources/report-2018/").content.decode()
    page = text(html).split("Citations drawn from it", 1)[1]
    assert "7 citations, grouped by what they support." in page
    assert page.index("Treaty steps") < page.index("Standings in bodies") < page.index("Events")
    assert "Why editors reject it: True in 2018 only; superseded by the 2023 report." in page
    assert "for Convention on Laundering : Party, between 19 December 2013 and 20 September 2018" in page
    assert 'href="/treaties/141/"' in html and 'href="/bodies/greco/"' in html


def test_a_source_with_a_text_is_read_with_its_quoted_passages_marked(client, site_data):
    html = client.get("/sources/news-2023/").content.decode()
    reader = html.split("<h2>The text</h2>", 1)[1]
    # Paragraph by paragraph, each with its permalink.
    for number in range(1, 5):
        assert f'id="p{number}"' in reader and f'href="#p{number}"' in reader
    # Each quoted passage is marked once, followed by the records it supports.
    assert "<mark>Roman Vassilenko visited the headquarters.</mark>" in reader
    ferrati = reader.split("<mark>Mustafa Ferrati expressed readiness to assist.</mark>", 1)[1]
    assert ferrati.split("</span>", 1)[0].startswith(
        ' <span class="cited-for" lang="en">[cited for <a href="/people/mustafa-ferati/">Mustafa Ferati</a>'
    )
    rejected = reader.split("It joined the convention on proceeds", 1)[1].split("</p>", 1)[0]
    assert text(rejected).startswith(
        "as well as terrorism financing. [cited for CETS No. 198: Party (deprecated)"
    )
    assert 'href="/treaties/198/"' in reader and 'href="/bodies/greco/"' in reader
    assert reader.count("It joined the convention on proceeds") == 1
    # The headline is neither cited nor set aside: shown, as the whole text may be, unmarked.
    assert "<p>News of 2023</p>" in reader
    assert 'Set aside <span lang="en">“Photographs: the agency.”</span>:</strong> A credit line.' in reader
    assert "/export/passages.csv?key=news-2023" in reader


def test_a_source_whose_text_may_not_be_shown_shows_only_the_paragraphs_quoted_from(client, site_data):
    Source.objects.filter(pk="news-2023").update(full_text_public=False)
    reader = text(client.get("/sources/news-2023/").content.decode()).split("The text", 1)[1]
    assert "News of 2023" not in reader and "Photographs" not in reader
    assert reader.count("Not shown: of this text, only the paragraphs quoted from are shown.") == 2
    assert "Set aside: A credit line." in reader  # why, without the words
    assert "Roman Vassilenko visited the headquarters." in reader


def test_source_page_paginates_its_citations(client, db):
    keys = generate(events=80, treaties=2, bodies=2, people=3)
    first = text(client.get(f"/sources/{keys['source'].pk}/").content.decode())
    second = text(client.get(f"/sources/{keys['source'].pk}/?page=2").content.decode())
    assert "page 1 of 2" in first and "page 2 of 2" in second
    assert "Treaty steps" in first and "Treaty steps" not in second
    assert "Event 79 took place." in second


def test_robots_and_sitemap(client, site_data):
    robots = client.get("/robots.txt")
    assert robots["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /admin/" in robots.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    sitemap = sitemap_addresses(client)
    visit = site_data["events"][1]
    for path in (
        "/",
        "/about/",
        "/treaties/141/",
        "/bodies/greco/",
        f"/events/{visit.pk}/",
        "/people/mustafa-ferati/",
        "/sources/report-2018/",
        "/changes/",
    ):
        assert f"http://testserver{path}" in sitemap


def test_the_sitemap_splits_many_records_into_files_of_at_most_two_thousand(client, db):
    """No file of the sitemap lists every record: /sitemap.xml names the files, and a
    section of more records than fit one file is split into pages."""
    # Each record has an address in each language: one more record than the file holds.
    make_events(RECORDS_PER_FILE // len(settings.LANGUAGES) + 1)
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-events.xml</loc>" in index
    assert "<loc>http://testserver/sitemap-events.xml?p=2</loc>" in index
    assert "/events/" not in index.replace("/sitemap-events.xml", "")
    first = client.get("/sitemap-events.xml").content.decode().count("<url>")
    second = client.get("/sitemap-events.xml?p=2").content.decode().count("<url>")
    assert (first, second) == (RECORDS_PER_FILE, 1)
    addresses = sitemap_addresses(client)
    assert len(set(addresses)) == len(addresses)
    assert client.get("/sitemap-events.xml?p=3").status_code == 404
    assert client.get("/sitemap-drafts.xml").status_code == 404


def test_favicon_ico_leads_to_the_sites_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.svg")
    assert finders.find("img/favicon.svg")  # the icon the pages name, served by whitenoise
