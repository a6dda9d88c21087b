"""The event list, an event's permalink, the Atom feed, and the people pages."""

import xml.etree.ElementTree as ET
from html import unescape

import pytest

from events.models import Event, Participation, Person
from tests.helpers import published, text

ATOM = "{http://www.w3.org/2005/Atom}"


def year_headings(html: str) -> list[str]:
    return [part.split("</h2>")[0].split(">")[-1] for part in html.split('<h2 class="year-heading"')[1:]]


def test_list_groups_events_by_year_with_undated_ones_last(client, site_data):
    html = client.get("/events/").content.decode()
    assert year_headings(html) == ["2013", "2023", "Date unknown"]
    page = text(html)
    # 2013 holds the July application and the accession dated between 2013 and 2018, in that order.
    assert page.index("Kazakhstan applies to join GRECO") < page.index("Kazakhstan accedes to Convention 141")
    # Dates in words; their EDTF codes only in the titles, for researchers.
    assert "on or before 7 October 2023 · Visit" in page
    assert "A meeting no source dates date unknown · Meeting" in page
    assert 'title="EDTF: XXXX">date unknown</span>' in html and '<code class="edtf"' not in html


def test_list_filters_by_year_kind_treaty_body_and_person(client, site_data):
    def titles(query):
        page = text(client.get("/events/" + query).content.decode())
        return [
            t
            for t in ("applies to join GRECO", "visits Strasbourg", "accedes to", "no source dates")
            if t in page
        ]

    assert titles("?year=2013") == ["applies to join GRECO", "accedes to"]
    assert titles("?year=2023") == ["visits Strasbourg"]
    assert titles("?kind=meeting") == ["no source dates"]
    assert titles("?treaty=141") == ["accedes to"]
    assert titles("?body=greco") == ["applies to join GRECO"]
    assert titles("?person=mustafa-ferati") == ["visits Strasbourg"]
    assert titles("?year=2013&kind=visit") == []


def test_list_filters_take_a_key_and_name_the_chosen_record_without_listing_every_record(client, site_data):
    """A treaty, body or person is given by its key (a record's page links to its events
    this way); the list names the record found, and no drop-down lists every record."""
    html = client.get("/events/?treaty=141&person=mustafa-ferati").content.decode()
    assert '<input type="text" name="treaty" value="141"' in html
    assert '<input type="text" name="person" value="mustafa-ferati"' in html
    assert '<span class="chosen">Mustafa Ferati</span>' in html
    assert "Convention on Laundering</span>" in html
    assert '<input type="text" name="body"' in html and 'name="body" value=' not in html
    assert "Group of States against Corruption" not in text(html)  # no body is listed
    assert [name for name in ("treaty", "body", "person") if f'<select name="{name}"' in html] == []


def test_list_search_finds_an_event_by_a_participants_other_spelling(client, site_data):
    page = text(client.get("/events/?q=Ferrati").content.decode())
    assert "Deputy minister visits Strasbourg" in page
    assert "1 event matches these filters" in page


def test_list_links_to_csv_twin_and_feed_with_the_same_filters(client, site_data):
    html = client.get("/events/?year=2013&kind=application&page=1").content.decode()
    assert 'href="/export/events.csv?year=2013&amp;kind=application"' in html
    assert 'href="/events/feed/?year=2013&amp;kind=application"' in html


def test_event_permalink_shows_people_roles_links_and_sources(client, site_data):
    visit = site_data["events"][1]
    html = client.get(f"/events/{visit.pk}/").content.decode()
    assert "<h1>Deputy minister visits Strasbourg</h1>" in html
    page = text(html)
    assert "Roman Vassilenko Deputy Minister of Foreign Affairs" in page
    assert "Roman Vassilenko visited the headquarters." in page
    assert f"http://testserver/events/{visit.pk}/" in page
    assert 'href="/treaties/198/"' in html
    # The kicker reads the date in words; the facts, the event's data, give its code too.
    assert "Visit · on or before 7 October 2023 Deputy minister" in page
    assert "Date on or before 7 October 2023 ../2023-10-07 Place Strasbourg" in page


def test_unknown_event_is_404(client, site_data):
    assert client.get("/events/424242/").status_code == 404


def test_feed_is_atom_with_the_latest_events_first(client, site_data):
    response = client.get("/events/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles[0] == "on or before 7 October 2023: Deputy minister visits Strasbourg"
    assert titles[-1] == "date unknown: A meeting no source dates"
    filtered = ET.fromstring(client.get("/events/feed/?body=greco").content)
    assert [e.find(f"{ATOM}title").text for e in filtered.findall(f"{ATOM}entry")] == [
        "July 2013: Kazakhstan applies to join GRECO"
    ]


def test_feed_summaries_are_escaped_html_that_runs_no_script(client, site_data):
    summary = 'Talks on <script>alert("x")</script> & "trust".'
    published(Event, date="2024-01-15", title="A <b>bold</b> visit", kind="visit", summary=summary)
    feed = ET.fromstring(client.get("/events/feed/").content)
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "15 January 2024: A <b>bold</b> visit"  # Atom text
    html = entry.find(f"{ATOM}summary")
    assert html.get("type") == "html"
    # What a feed reader renders: the HTML, once the XML is read, has no element in it
    # and reads as the editor's text.
    assert "<" not in html.text
    assert unescape(html.text) == summary


def test_feed_is_the_event_lists_order_reversed_with_undated_events_last(client, site_data):
    published(Event, date="1997", title="Kazakhstan applies for guest status at PACE", kind="application")
    published(Event, date="2007/..", title="Venice Commission cooperation begins", kind="meeting")
    feed = ET.fromstring(client.get("/events/feed/").content)
    assert [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")] == [
        "on or before 7 October 2023: Deputy minister visits Strasbourg",
        "between 19 December 2013 and 20 September 2018: Kazakhstan accedes to Convention 141",
        "July 2013: Kazakhstan applies to join GRECO",
        "on or after 2007: Venice Commission cooperation begins",
        "1997: Kazakhstan applies for guest status at PACE",
        "date unknown: A meeting no source dates",
    ]
    # The same events the list shows, in the opposite order but for the undated one.
    page = text(client.get("/events/").content.decode())
    assert (
        page.index("applies for guest status at PACE")
        < page.index("Venice Commission cooperation begins")
        < page.index("Kazakhstan applies to join GRECO")
    )


def test_people_list_shows_other_spellings_and_event_counts(client, site_data):
    page = text(client.get("/people/").content.decode())
    assert "Mustafa Ferati Head of division · 1 event Also spelt: Mustafa Ferrati" in page
    assert "2 people." in page
    assert text(client.get("/people/?q=Ferrati").content.decode()).count("Also spelt") == 1


@pytest.mark.parametrize("q", ["Bjorn", "BJÖRN", "björn"])
def test_people_list_and_api_find_a_name_whatever_its_case_and_accents(client, spellings, q):
    page = text(client.get("/people/", {"q": q}).content.decode())
    assert "1 person matches these filters." in page
    assert "Björn Berge Deputy Secretary General · 1 event" in page
    assert [row["name"] for row in client.get("/api/people/", {"q": q}).json()["results"]] == ["Björn Berge"]


def test_people_list_finds_a_name_the_sources_spell_without_its_accent(client, spellings):
    page = text(client.get("/people/", {"q": "Xuclà"}).content.decode())
    assert "1 person matches these filters." in page
    assert "J. Xucla Head of the PACE mission · 0 events Also spelt: J.Xucla" in page


def test_event_list_finds_an_event_by_a_participants_name_without_its_accent(client, spellings):
    page = text(client.get("/events/", {"q": "Bjorn"}).content.decode())
    assert "1 event matches these filters." in page
    assert "Deputy minister visits Strasbourg" in page


def test_person_page_shows_roles_events_and_sources(client, site_data):
    page = text(client.get("/people/mustafa-ferati/").content.decode())
    assert "Other names and spellings Mustafa Ferrati (Spelling in the 2023 text.)" in page
    assert "Head of division 1 2023" in page  # role, number of events, years
    assert "Deputy minister visits Strasbourg on or before 7 October 2023" in page
    assert "Mustafa Ferrati expressed readiness to assist." in page


def test_person_page_lists_events_in_the_event_lists_order(client, site_data):
    ferati = Person.objects.get(pk="mustafa-ferati")
    for date, title in (("2018", "A meeting in 2018"), ("../2015-06-30", "A meeting by mid-2015")):
        event = published(Event, date=date, title=title, kind="meeting")
        Participation.objects.create(
            publication="published", event=event, person=ferati, role="Head of division"
        )
    page = text(client.get("/people/mustafa-ferati/").content.decode())
    events = text(client.get("/events/").content.decode())
    titles = ("A meeting by mid-2015", "A meeting in 2018", "Deputy minister visits Strasbourg")
    assert [page.index(t) for t in titles] == sorted(page.index(t) for t in titles)
    assert [events.index(t) for t in titles] == sorted(events.index(t) for t in titles)


def test_unknown_person_is_404(client, site_data):
    assert client.get("/people/nobody-at-all/").status_code == 404


def test_list_page_naming_over_a_thousand_people_renders(client, db):
    # Prefetching `participations__person` once failed here on SQLite: Django names each
    # person in one OR term, and 1,250 of them exceed SQLite's expression depth limit.
    from events.models import Event, Participation, Person

    events = Event.objects.bulk_create(
        Event(date="2020", title=f"Crowded event {i}", kind="meeting", publication="published")
        for i in range(50)
    )
    people = Person.objects.bulk_create(
        Person(slug=f"crowd-{i}", name=f"Crowd member {i}", publication="published") for i in range(1250)
    )
    Participation.objects.bulk_create(
        Participation(publication="published", event=events[i // 25], person=person, role="Delegate")
        for i, person in enumerate(people)
    )
    response = client.get("/events/")
    assert response.status_code == 200
    page = text(response.content.decode())
    assert "Crowd member 0 " in page and "Crowd member 1249" in page
