"""The body list and a body's page, as a reader sees them."""

import re

from bodies.models import Body
from tests.helpers import published, rows, text


def test_list_shows_standing_today_and_marks_partial_agreements(client, site_data):
    listed = rows(client.get("/bodies/").content.decode())
    assert listed == [
        "Efficiency of Justice (CEPEJ) Commission Observer since 2018",
        "Group of States against Corruption (GRECO) Partial agreement Member since some day between "
        "20 September 2018 and 7 October 2023",
        "Venice Commission Enlarged partial agreement Member since March 2012",
    ]


def test_list_filters_by_kind_and_standing_today(client, site_data):
    members = rows(client.get("/bodies/?status=member").content.decode())
    assert [row.split(" (")[0].split(" Enlarged")[0] for row in members] == [
        "Group of States against Corruption",
        "Venice Commission",
    ]
    partial = rows(client.get("/bodies/?kind=partial_agreement").content.decode())
    assert len(partial) == 1 and partial[0].startswith("Group of States against Corruption")
    html = client.get("/bodies/?kind=commission&status=observer").content.decode()
    assert 'href="/export/bodies.csv?kind=commission&amp;status=observer"' in html


def test_list_filters_by_standing_on_any_day(client, site_data):
    observers = rows(client.get("/bodies/?status=observer&as_of=2019-01-01").content.decode())
    assert [row.split(" Commission")[0] for row in observers] == ["Efficiency of Justice (CEPEJ)"]
    assert (
        "No body matches these filters"
        in client.get("/bodies/?status=observer&as_of=2017-06-30").content.decode()
    )
    # GRECO became a member on a day between September 2018 and October 2023.
    html = client.get("/bodies/?status=member&as_of=2020-01-01").content.decode()
    assert [row.split(" Enlarged")[0] for row in rows(html)] == ["Venice Commission"]
    assert "perhaps also Member on 1 January 2020" in text(html)
    assert 'href="/bodies/greco/">Group of States against Corruption (GRECO)</a>' in html
    api = client.get("/api/bodies/?status=applicant&as_of=2015-06-30").json()["results"]
    assert [row["slug"] for row in api] == ["greco"]


def test_list_folds_the_bodies_with_no_standing_under_the_others(client, site_data):
    published(Body, slug="edqm", name="European Directorate for the Quality of Medicines", acronym="EDQM")
    html = client.get("/bodies/").content.decode()
    assert [row.split(" (")[0].split(" Enlarged")[0] for row in rows(html)] == [
        "Efficiency of Justice",
        "Group of States against Corruption",
        "Venice Commission",
    ]
    folded = html.split('<details class="folded">', 1)[1].split("</details>", 1)[0]
    assert "<summary>One body in which Kazakhstan has no standing on this day</summary>" in folded
    assert "European Directorate for the Quality of Medicines (EDQM)" in folded
    assert "4 bodies." in text(html)
    # Asked for, bodies with no standing are the list itself.
    asked = client.get("/bodies/?status=none").content.decode()
    assert rows(asked)[0].startswith("European Directorate") and '<details class="folded"' not in asked


def test_detail_sets_disagreeing_sources_side_by_side(client, site_data):
    html = client.get("/bodies/greco/").content.decode()
    assert "<h1>Group of States against Corruption</h1>" in html
    assert "This is a partial agreement" in html
    disputed = re.search(r'<div class="evidence disputed">(.*?)</div>\s*</div>', html, re.S)[1]
    supporting, disagreeing = disputed.split("Disagreeing claims (deprecated)")
    assert "Kazakhstan has become a full member of GRECO." in supporting
    assert "Kazakhstan currently participates only in one of them." in disagreeing
    assert "True in 2018 only; superseded by the 2023 report." in disagreeing
    # A disagreement is not a rejected step: the step keeps a supporting source.
    assert "Rejected claim" not in html
    assert "Kazakhstan applies to join GRECO" in html  # a related event


def test_detail_of_an_unknown_body_is_404(client, site_data):
    assert client.get("/bodies/no-such-body/").status_code == 404


def test_the_venice_commissions_page_sets_its_presidents_1998_against_his_first_activity_of_2007(
    client, curated
):
    page = text(client.get("/bodies/venice-commission/").content.decode()).replace("&#x27;", "'")
    steps = page.split("Kazakhstan's standing, step by step", 1)[1]
    rejected, counted = steps.split("Cooperation 2007", 1)
    assert rejected.startswith(" Cooperation 1998 Rejected claim")
    disagreeing = rejected.split("The claim, and why the editors reject it", 1)[1]
    assert (
        "“Gianni Buquicchio said the council has a long-standing cooperation with Kazakhstan since 1998.”"
        in (disagreeing)
    )
    assert "the same speaker's account that the Commission's first activity with Kazakhstan came in 2007" in (
        disagreeing
    )
    assert (
        "“The first activity we had with Kazakhstan was an opinion on the legislation concerning" in counted
    )
    assert "Why editors prefer it: The speaker names the Commission's first activity" in counted
    assert page.index("Cooperation 2007") < page.index("Member March 2012")
