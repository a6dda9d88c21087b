"""The treaty list and a treaty's page, as a reader sees them."""

import re

import pytest

from tests.helpers import get_csv, rows, text


def test_list_shows_each_treaty_with_its_status_today(client, site_data):
    html = client.get("/treaties/").content.decode()
    listed = rows(html)
    assert len(listed) == 3
    assert listed[0].startswith(
        "ETS No. 141 Convention on Laundering Convention Party since some day between 19 December 2013"
    )
    # The rejected "party" claim on 198 does not count: Kazakhstan is only interested.
    assert "CETS No. 198 Warsaw" in listed[1] and "Interested" in listed[1] and "Party" not in listed[1]
    assert "Signed since 2015" in listed[2]


def test_list_filters_by_status_today_and_kind(client, site_data):
    party = rows(client.get("/treaties/?status=party").content.decode())
    assert [row.split(" Convention")[0] for row in party] == ["ETS No. 141"]
    protocols = rows(client.get("/treaties/?kind=protocol").content.decode())
    assert len(protocols) == 1 and protocols[0].startswith("CETS No. 208")
    assert "No treaty matches these filters" in client.get("/treaties/?status=denounced").content.decode()


def test_list_filters_by_status_on_any_day(client, site_data):
    # Protocol 208 was signed in 2015: certainly by its last day, perhaps not by mid-year.
    html = client.get("/treaties/?status=signed&as_of=2016-01-01").content.decode()
    assert [row.split(" Protocol")[0] for row in rows(html)] == ["CETS No. 208"]
    assert "Status on 1 January 2016" in html and "with its status on 1 January 2016" in text(html)
    assert 'href="/export/treaties.csv?status=signed&amp;as_of=2016-01-01"' in html
    # On a day the signature may or may not have come, the list leaves 208 out, and says so.
    mid_year = text(client.get("/treaties/?status=signed&as_of=2015-06-30").content.decode())
    assert "No treaty matches these filters" in mid_year
    assert (
        "Not listed, though perhaps also Signed on 30 June 2015: a step that would make them so may "
        "already have happened by then, but its exact date is not known. CETS No. 208 Protocol amending 127"
    ) in mid_year
    # Without a status filter the column gives each answer on that day, uncertain ones marked.
    on_the_day = rows(client.get("/treaties/?as_of=2015-06-30").content.decode())
    assert on_the_day[0].startswith("ETS No. 141 Convention on Laundering Convention No step Uncertain")


def test_the_list_its_csv_and_its_api_answer_as_of_alike(client, site_data):
    query = "status=party&as_of=2019-01-01"
    listed = [row.split(" ")[2] for row in rows(client.get(f"/treaties/?{query}").content.decode())]
    _, _, csv_rows = get_csv(client, f"/export/treaties.csv?{query}")
    api = client.get(f"/api/treaties/?{query}").json()["results"]
    assert listed == [row["number"] for row in csv_rows] == [str(row["number"]) for row in api] == ["141"]
    # The steps' CSV takes the treaty list's filters, the day too.
    _, _, steps = get_csv(client, f"/export/treaty_steps.csv?{query}")
    assert {row["treaty"] for row in steps} == {"141"}
    assert get_csv(client, "/export/treaty_steps.csv?status=party&as_of=2014-01-01")[2] == []


def test_list_links_to_its_csv_twin_with_the_same_filters(client, site_data):
    html = client.get("/treaties/?kind=convention&status=party&page=1").content.decode()
    assert 'href="/export/treaties.csv?kind=convention&amp;status=party"' in html
    assert 'href="/export/treaties.csv"' in client.get("/treaties/").content.decode()


def test_list_search_matches_number_and_title(client, site_data):
    assert len(rows(client.get("/treaties/?q=141").content.decode())) == 1
    assert rows(client.get("/treaties/?q=warsaw").content.decode())[0].startswith("CETS No. 198")


@pytest.mark.parametrize(
    ("q", "label"),
    [
        ("ETS 141", "ETS No. 141"),
        ("ETS No. 141", "ETS No. 141"),
        ("No. 141", "ETS No. 141"),
        ("CETS No. 141", "ETS No. 141"),
        ("CETS 198", "CETS No. 198"),
        ("CETS No. 198", "CETS No. 198"),
        ("cets#198", "CETS No. 198"),
    ],
)
def test_list_search_matches_a_treaty_by_its_usual_label(client, site_data, q, label):
    listed = rows(client.get("/treaties/", {"q": q}).content.decode())
    assert len(listed) == 1 and listed[0].startswith(label)


def test_list_search_matches_titles_whatever_the_case_and_accents(client, site_data):
    assert rows(client.get("/treaties/", {"q": "WARSAW"}).content.decode())[0].startswith("CETS No. 198")
    assert rows(client.get("/treaties/", {"q": "Wársaw"}).content.decode())[0].startswith("CETS No. 198")


def test_list_is_paginated(client, db):
    from treaties.models import Treaty

    Treaty.objects.bulk_create(
        Treaty(number=n, title=f"Treaty {n}", publication="published") for n in range(1, 61)
    )
    first = client.get("/treaties/").content.decode()
    assert len(rows(first)) == 50
    assert "page 1 of 2" in first and 'href="?page=2"' in first
    assert len(rows(client.get("/treaties/?page=2").content.decode())) == 10


def test_detail_shows_steps_with_quotes_sources_and_ranks(client, site_data):
    html = client.get("/treaties/141/").content.decode()
    assert "<h1>Convention on Laundering</h1>" in html
    assert "Kazakhstan has acceded to Convention No. 141." in html
    assert "preferred" in html and "Names the convention by its number." in html
    assert 'href="/sources/report-2018/"' in html and "paragraph 19" in html
    assert "Accession" in html
    # The step's date in words; its EDTF code is for researchers, in the title, not the line.
    heading = re.search(r'<h3><span class="status st-party">Party</span> (.*?)</h3>', html)[1]
    assert heading == (
        '<span class="date" title="EDTF: 2013-12-19/2018-09-20">'
        "between 19 December 2013 and 20 September 2018</span>"
    )
    assert '<code class="edtf"' not in html
    assert "https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&amp;treatynum=141" in html
    assert "Kazakhstan accedes to Convention 141" in html  # a related event


def test_detail_shows_a_rejected_claim_with_its_reason(client, site_data):
    html = client.get("/treaties/198/").content.decode()
    assert 'class="step rejected"' in html
    assert "Rejected claim" in html
    assert "The title is that of 198, but the convention joined is 141." in html
    # What the editors concluded, and why, beside the quote: no empty "what the sources say".
    rejected = html.split('class="step rejected"', 1)[1]
    assert "the editors concluded that the sources making this claim are mistaken" in text(rejected)
    assert "The claim, and why the editors reject it" in rejected
    assert "No source supports this claim" not in html and "What the sources say" not in rejected
    # Today's status ignores it.
    assert re.search(r'Kazakhstan today</dt>\s*<dd>\s*<span class="status st-interested', html)


def test_detail_gives_the_treaty_facts_with_their_codes_and_no_stray_space(client, site_data):
    treaty = site_data["treaties"][0]
    treaty.opened, treaty.opened_place, treaty.in_force = "1990-11-08", "Strasbourg", "1993-09-01"
    treaty.save()
    html = client.get("/treaties/141/").content.decode()

    def fact(name):  # as a reader sees it: tags gone, no space added where there was none
        return re.sub(r"<[^>]+>", "", re.search(rf"<dt>{name}</dt><dd>(.*?)</dd>", html)[1])

    # The facts are the record's data: each date in words, then its code.
    assert fact("Opened for signature") == "8 November 1990 1990-11-08, Strasbourg"
    assert fact(r"In force \(generally\)") == "1 September 1993 1993-09-01"


def test_detail_of_an_unknown_treaty_is_404(client, site_data):
    assert client.get("/treaties/5/").status_code == 404
    assert client.get("/treaties/abc/").status_code == 404
