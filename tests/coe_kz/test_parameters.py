"""The parameter gate (coe_kz.params): a list's page, its CSV twin, its API endpoint and
its feed give the same answer to the same query string; tracking parameters are ignored
everywhere; any other parameter an address does not take is a 400 naming it."""

import html
import re

import pytest
from django.core.management import CommandError, call_command

from bodies.models import Body, BodyStanding, BodyStandingCitation
from coe_kz.models import Source
from events.models import Event, EventCitation, Person, PersonCitation
from treaties.models import Treaty, TreatyStep, TreatyStepCitation

TRACKING = "utm_source=newsletter&utm_medium=email&utm_campaign=june&fbclid=Iw4R&gclid=Cj0&mc_cid=7&mc_eid=9"


def published(model, **fields):
    return model.objects.create(publication="published", **fields)


@pytest.fixture
def one_of_each(db):
    """One published record in every list, each step and record cited."""
    source = published(Source, key="report-2018", title="Report of 2018", language="en")
    treaty = published(Treaty, number=141, title="Convention on Laundering", kind="convention")
    step = published(TreatyStep, treaty=treaty, status="party", date="2015", consent="accession")
    published(TreatyStepCitation, record=step, source=source, quote="Party to No. 141.")
    greco = published(Body, slug="greco", name="Group of States against Corruption", kind="partial_agreement")
    standing = published(BodyStanding, body=greco, status="member", date="2020")
    published(BodyStandingCitation, record=standing, source=source, quote="A member of GRECO.")
    person = published(Person, slug="roman-vassilenko", name="Roman Vassilenko")
    published(PersonCitation, record=person, source=source, quote="Roman Vassilenko")
    event = published(Event, date="2013-07", title="Kazakhstan applies to join GRECO", kind="application")
    published(EventCitation, record=event, source=source, quote="Application filed in July 2013.")
    return {"treaty": treaty, "body": greco, "person": person, "event": event, "source": source}


# Each list: its page, and the datasets its CSV and API endpoint serve; events also a feed.
LISTS = {
    "treaties": "/treaties/",
    "bodies": "/bodies/",
    "events": "/events/",
    "people": "/people/",
    "sources": "/sources/",
    "status": "/status/",
}
TAKES = {
    "treaties": "status, as_of, kind, q",
    "bodies": "kind, status, as_of, q",
    "events": "year, kind, treaty, body, person, q",
    "people": "q",
    "sources": "q, language, key",
    "status": "as_of",
}
# A value each list refuses, and the start of what it says.
BAD_VALUES = {
    "treaties": ("status=bogus", "status: “bogus” is not one of: none, interested,"),
    "bodies": ("kind=club", "kind: “club” is not one of: partial_agreement,"),
    "events": ("kind=party", "kind: “party” is not one of: cooperation, meeting,"),
    "people": ("q=" + "x" * 201, "q: Ensure this value has at most 200 characters (it has 201)."),
    "sources": ("language=klingonese", "language: Ensure this value has at most 8 characters"),
    "status": ("as_of=2015-02-30", "as_of: “2015-02-30” is not a calendar day"),
}


def addresses(name: str) -> list[str]:
    """Where one list is served: page, CSV, API endpoint, and the feed for events."""
    found = [LISTS[name], f"/export/{name}.csv", f"/api/{name}/"]
    return found + ["/events/feed/"] if name == "events" else found


def refusal(client, url: str) -> str:
    """The 400 a URL answers, as text: the problems of the 400 page, a CSV's one line, or
    the API's JSON detail. Each channel keeps its own format."""
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code)
    content_type = response["Content-Type"]
    if url.startswith("/api/"):
        assert content_type == "application/json"
        return response.json()["detail"]
    if re.match(r"/export/.+\.(csv|zip)", url):
        assert content_type == "text/plain; charset=utf-8"
        text = response.content.decode()
        assert text.count("\n") == 1, "one line"
        return text.strip()
    assert content_type.startswith("text/html")
    page = response.content.decode()
    assert "That request cannot be answered" in page
    problems = re.search(r'<ul class="problems">(.*?)</ul>', page, re.S)[1]
    return " ".join(html.unescape(problem) for problem in re.findall(r"<li>(.*?)</li>", problems))


def refusals(client, name: str, query: str) -> dict[str, str]:
    return {url: refusal(client, f"{url}?{query}") for url in addresses(name)}


@pytest.mark.parametrize("name", list(LISTS))
def test_an_unknown_parameter_is_the_same_400_on_page_csv_api_and_feed(client, one_of_each, name):
    expected = f"Unknown parameter “kynd”; this dataset takes: {TAKES[name]}."
    assert refusals(client, name, "kynd=visit") == dict.fromkeys(addresses(name), expected)


@pytest.mark.parametrize("name", list(LISTS))
def test_a_bad_value_is_the_same_400_on_page_csv_api_and_feed(client, one_of_each, name):
    query, start = BAD_VALUES[name]
    answers = refusals(client, name, query)
    assert len(set(answers.values())) == 1, answers
    assert next(iter(answers.values())).startswith(start)


@pytest.mark.parametrize("name", ["treaties", "bodies", "status"])
def test_a_day_that_is_no_day_is_refused_in_the_same_words_by_every_list_that_takes_one(
    client, one_of_each, name
):
    expected = "as_of: “2015-02-30” is not a calendar day; use YYYY-MM-DD, for example 2015-06-30."
    assert refusals(client, name, "as_of=2015-02-30") == dict.fromkeys(addresses(name), expected)


@pytest.mark.parametrize("name", list(LISTS))
@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("abc", "page: “abc” is not a page number; use a whole number from 1."),
        ("-1", "page: “-1” is not a page number; use a whole number from 1."),
        ("²", "page: “²” is not a page number; use a whole number from 1."),
        ("2.0", "page: “2.0” is not a page number; use a whole number from 1."),
    ],
)
def test_a_page_that_is_not_a_whole_number_is_the_same_400_everywhere(
    client, one_of_each, name, page, message
):
    assert refusals(client, name, f"page={page}") == dict.fromkeys(addresses(name), message)


@pytest.mark.parametrize("name", list(LISTS))
def test_a_page_number_of_thousands_of_digits_is_the_same_400_everywhere(client, one_of_each, name):
    # int() refuses past 4,300 digits: the gate must answer before it is asked.
    page = "9" * 5000
    message = f"page: “{page}” is not a page number; use a whole number from 1."
    assert refusals(client, name, f"page={page}") == dict.fromkeys(addresses(name), message)


@pytest.mark.parametrize("name", list(LISTS))
def test_page_0_is_refused_everywhere(client, one_of_each, name):
    # A paginated list counts its pages; a CSV or feed, which hold every page, cannot say.
    for url, message in refusals(client, name, "page=0").items():
        assert message.startswith("page: there is no page 0;"), url


@pytest.mark.parametrize("name", list(LISTS))
def test_a_page_number_is_taken_everywhere_and_narrows_no_csv(client, one_of_each, name):
    for url in addresses(name):
        assert client.get(f"{url}?page=1").status_code == 200, url
    csv = client.get(f"/export/{name}.csv?page=1")
    assert b"".join(csv.streaming_content) == b"".join(client.get(f"/export/{name}.csv").streaming_content)


def csv_bytes(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content)
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("name", list(LISTS))
def test_tracking_parameters_are_ignored_on_page_csv_api_and_feed(client, one_of_each, name):
    for url in addresses(name):
        response = client.get(f"{url}?{TRACKING}")
        assert response.status_code == 200, (url, response.content[:300])
    assert csv_bytes(client, f"/export/{name}.csv?{TRACKING}") == csv_bytes(client, f"/export/{name}.csv")
    with_tracking = client.get(f"/api/{name}/?{TRACKING}").json()
    assert with_tracking["results"] == client.get(f"/api/{name}/").json()["results"]
    assert with_tracking["count"] == (2 if name == "status" else 1)


def csv_link(page: str) -> str:
    return html.unescape(re.search(r'href="(/export/[a-z_]+\.csv[^"]*)"', page)[1])


# A filter each list's page takes, so the link has something to carry.
FILTERS = {
    "treaties": "status=party",
    "bodies": "kind=partial_agreement",
    "events": "year=2013",
    "people": "q=Vassilenko",
    "sources": "language=en",
    "status": "as_of=2016-01-01",
}


@pytest.mark.parametrize("name", list(LISTS))
def test_the_csv_link_of_a_page_with_tracking_carries_only_its_filters(client, one_of_each, name):
    page = client.get(f"{LISTS[name]}?{FILTERS[name]}&page=1&{TRACKING}")
    assert page.status_code == 200
    link = csv_link(page.content.decode())
    assert link == f"/export/{name}.csv?{FILTERS[name]}"
    assert csv_bytes(client, link) == csv_bytes(client, f"/export/{name}.csv?{FILTERS[name]}")


def test_the_api_links_to_other_pages_carry_no_tracking(client, one_of_each):
    published(Event, date="2014", title="Kazakhstan visits", kind="visit")
    second = client.get(f"/api/events/?page_size=1&{TRACKING}").json()["next"]
    assert second == "http://testserver/api/events/?page=2&page_size=1"
    first = client.get(f"/api/events/?page=2&page_size=1&{TRACKING}").json()["previous"]
    assert first == "http://testserver/api/events/?page_size=1"


def test_the_feed_link_of_the_event_list_carries_only_its_filters(client, one_of_each):
    page = client.get(f"/events/?year=2013&page=1&{TRACKING}").content.decode()
    link = html.unescape(re.search(r'href="(/events/feed/[^"]*)">Follow', page)[1])
    assert link == "/events/feed/?year=2013"
    feed = client.get(link)
    assert feed.status_code == 200
    assert "Kazakhstan applies to join GRECO" in feed.content.decode()


def test_pagination_links_carry_no_tracking(client, one_of_each):
    Source.objects.bulk_create(
        Source(key=f"s{n:02}", title=f"Source {n}", publication="published") for n in range(60)
    )
    page = client.get(f"/sources/?{TRACKING}").content.decode()
    assert 'href="?page=2" rel="next"' in page
    assert "utm_" not in page and "fbclid" not in page


def test_the_issues_three_examples(client, one_of_each):
    # A misspelt filter no longer shows every event while the CSV refuses it.
    assert client.get("/events/?kynd=visit").status_code == 400
    assert client.get("/export/events.csv?kynd=visit").status_code == 400
    # A page number that is no number is refused by the CSV as by the page.
    assert client.get("/treaties/?page=abc").status_code == 400
    assert client.get("/export/treaties.csv?page=abc").status_code == 400
    # A link shared from a newsletter shows, and so does its CSV.
    page = client.get("/events/?year=2013&utm_source=newsletter")
    assert page.status_code == 200
    assert client.get(csv_link(page.content.decode())).status_code == 200


def test_the_export_command_answers_as_the_csv_endpoint_does(client, one_of_each):
    message = refusal(client, "/export/events.csv?kynd=visit")
    with pytest.raises(CommandError) as refused:
        call_command("export", "events", "--filter", "kynd=visit")
    assert str(refused.value) == message


def test_several_unknown_parameters_are_all_named(client, one_of_each):
    expected = "Unknown parameters “colour”, “size”; this dataset takes: q."
    assert refusals(client, "people", "colour=red&size=9") == dict.fromkeys(addresses("people"), expected)


# --- the site's other pages ----------------------------------------------------------------

# Each page, what it takes (as the refusal words it), and a query it takes.
OTHER_PAGES = [
    ("/", "this page takes no parameters", ""),
    ("/about/", "this page takes no parameters", ""),
    ("/export/", "this page takes no parameters", ""),
    ("/search/", "this page takes: q", "q=GRECO"),
    ("/changes/", "this page takes: page", "page=1"),
    ("/changes/feed/", "this page takes: page", "page=1"),
    ("/treaties/141/", "this page takes: preview", "preview=1"),
    ("/bodies/greco/", "this page takes: preview", "preview=1"),
    ("/people/roman-vassilenko/", "this page takes: page, preview", "page=1&preview=1"),
    ("/sources/report-2018/", "this page takes: page, preview", "page=1&preview=1"),
    ("/treaties/141/history/", "this page takes: page", "page=1"),
    ("/bodies/greco/history/", "this page takes: page", "page=1"),
    ("/people/roman-vassilenko/history/", "this page takes: page", "page=1"),
    ("/sources/report-2018/history/", "this page takes: page", "page=1"),
]


@pytest.mark.parametrize(("url", "takes", "query"), OTHER_PAGES)
def test_every_other_page_ignores_tracking_and_refuses_what_it_does_not_take(
    client, one_of_each, url, takes, query
):
    assert client.get(f"{url}?{query}&{TRACKING}").status_code == 200
    assert refusal(client, f"{url}?{query}&colour=red") == f"Unknown parameter “colour”; {takes}."


def test_an_event_page_and_its_history_take_preview_and_page(client, one_of_each):
    event = one_of_each["event"].get_absolute_url()
    assert client.get(f"{event}?preview=1&{TRACKING}").status_code == 200
    assert refusal(client, f"{event}?page=1") == "Unknown parameter “page”; this page takes: preview."
    assert client.get(f"{event}history/?page=1&{TRACKING}").status_code == 200


def test_the_data_package_ignores_tracking_and_refuses_other_parameters(client, one_of_each):
    assert client.get(f"/export/coe-kz.zip?{TRACKING}").status_code == 200
    assert refusal(client, "/export/coe-kz.zip?kind=visit") == (
        "Unknown parameter “kind”; this data package takes: lang."
    )


def test_search_links_to_lists_carry_only_the_search(client, one_of_each):
    for n in range(11):  # more than the search page shows, so it links to the list
        published(Source, key=f"greco-{n}", title=f"GRECO report {n}")
    page = client.get(f"/search/?q=GRECO&{TRACKING}").content.decode()
    assert 'href="/sources/?q=GRECO"' in page
    assert "utm_" not in page
