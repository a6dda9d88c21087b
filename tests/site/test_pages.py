"""Properties every public page shares: query counts that do not grow with the data,
accessible structure, our own static files only, clear 400s and 404s in the site's style."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import escape

from coe_kz.models import SetAside, Source
from events.models import Event, EventCitation
from tests.helpers import contrast, generate, published

SMALL = {"events": 20, "treaties": 3, "bodies": 3, "people": 5}
LARGE = {"events": 2000, "treaties": 60, "bodies": 25, "people": 200}

# Queries per page, whatever the size of the data. Each count includes the SAVEPOINT and
# RELEASE that ATOMIC_REQUESTS wraps around every view; the public version's read (the
# page cache's key, coe_kz.cache) comes on top (READS_VERSION).
READS_VERSION = 1
QUERY_COUNTS = {
    "/": 8,  # standing (4), latest events, sources
    "/status/": 6,  # standing (4); the change days come from the same rows
    "/status/?as_of=2016-01-01": 6,
    "/treaties/": 5,  # count, page, steps
    "/treaties/?status=party&kind=convention": 7,  # + the status filter's records and steps
    "/treaties/{treaty}/": 8,
    "/bodies/": 5,
    "/bodies/?status=member": 7,
    "/bodies/{body}/": 8,
    # count, page, 3 prefetches (participations with their people); the treaty, body and
    # person filters take a key and list no choices
    "/events/": 7,
    "/events/?year=2016&kind=visit": 3,  # no events match: no prefetches
    "/events/?treaty={treaty}&person={person}": 9,  # + looking up the treaty and the person
    "/events/?q=Persson": 7,
    "/events/{event}/": 7,
    "/people/": 5,
    "/people/?q=Persson": 5,
    "/people/{person}/": 8,
    "/sources/": 4,
    "/sources/{source}/": 6,
    "/search/?q=Generated": 11,
    "/about/": 2,
    "/events/feed/": 3,
    "/sitemap.xml": 7,  # an index: a count per record section
    "/sitemap-events.xml": 4,  # a count, then one page of at most RECORDS_PER_FILE
    "/robots.txt": 2,
}


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "2000-events"])
def test_query_count_per_page_is_independent_of_data_size(client, db, django_assert_num_queries, size):
    keys = {name: record.pk for name, record in generate(**size).items()}
    assert Event.objects.count() == size["events"]
    for pattern, expected in QUERY_COUNTS.items():
        url = pattern.format(**keys)
        with django_assert_num_queries(expected + READS_VERSION, info=url):
            response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("paragraphs", [2, 60])
def test_a_source_read_as_a_text_takes_as_many_queries_however_long_and_cited(
    client, db, django_assert_num_queries, paragraphs
):
    """The reader reads the source, its citations of every kind (one UNION), its passages
    set aside and the treaties it describes, within ATOMIC_REQUESTS' SAVEPOINT and RELEASE
    (and the page cache reads the public version)."""
    sentences = [f"Kazakhstan did thing number {i}." for i in range(paragraphs)]
    source = published(Source, key="long-text", title="A long text", text="\n\n".join(sentences))
    events = Event.objects.bulk_create(
        Event(publication="published", date="2020", title=f"Thing {i}", kind="meeting")
        for i in range(paragraphs)
    )
    EventCitation.objects.bulk_create(
        EventCitation(publication="published", record=event, source=source, quote=quote)
        for event, quote in zip(events, sentences, strict=True)
    )
    published(SetAside, source=source, passage=sentences[0], reason="A test.")
    with django_assert_num_queries(6 + READS_VERSION):
        response = client.get("/sources/long-text/")
    assert response.content.decode().split('class="reader"', 1)[1].count("<mark>") == paragraphs


class PageStructure(HTMLParser):
    """What an accessibility check needs from a page: headings, landmarks, form fields,
    labels, links, scripts and the first focusable element."""

    FIELDS = {"input", "select", "textarea"}

    def __init__(self):
        super().__init__()
        self.headings, self.landmarks, self.fields, self.label_for = [], [], [], set()
        self.ids, self.scripts, self.external, self.first_link = set(), 0, [], None
        self.svgs, self.svg_titles, self._in_svg = 0, 0, 0
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "html":
            self.html_lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in {"header", "nav", "main", "footer"}:
            self.landmarks.append(tag)
        if tag in self.FIELDS and a.get("type") not in {"hidden", "submit"}:
            self.fields.append(a)
        if tag == "label" and "for" in a:
            self.label_for.add(a["for"])
        if tag == "a" and self.first_link is None:
            self.first_link = a
        if tag == "script":
            self.scripts += 1
        for attr in ("src", "href"):
            if tag in {"link", "script", "img"} and a.get(attr, "").startswith(("http:", "https:", "//")):
                self.external.append(a[attr])
        if tag == "svg" and a.get("role") == "img":
            self.svgs += 1
            self._in_svg = 1
        elif tag == "title" and self._in_svg:
            self.svg_titles += 1
            self._in_svg = 0


def structure(html: str) -> PageStructure:
    parser = PageStructure()
    parser.feed(html)
    return parser


PAGES = [
    "/",
    "/status/",
    "/status/?as_of=2015-06-30",
    "/treaties/",
    "/treaties/141/",
    "/treaties/198/",
    "/bodies/",
    "/bodies/greco/",
    "/events/",
    "/events/?year=2013",
    "/people/",
    "/people/mustafa-ferati/",
    "/sources/",
    "/sources/report-2018/",
    "/sources/news-2023/",
    "/search/",
    "/search/?q=Ferrati",
    "/about/",
    "/changes/",
    "/treaties/141/history/",
    "/treaties/?status=bogus",
    "/treaties/99999/",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_is_accessible_in_structure(client, site_data, url):
    response = client.get(url)
    assert response.status_code in {200, 400, 404}
    page = structure(response.content.decode())
    assert page.html_lang == "en"
    assert page.headings.count(1) == 1, "one h1"
    assert page.headings[0] == 1, "the h1 comes first"
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading order skips from h{before} to h{after}"
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in page.landmarks
    assert page.first_link["href"] == "#main" and "main" in page.ids, "a skip link to the main content"
    for field in page.fields:
        labelled = field.get("id") in page.label_for or "aria-label" in field or "aria-labelledby" in field
        assert labelled, f"unlabelled form field {field}"
    assert page.scripts == 0, "no JavaScript"
    assert page.external == [], "no CDN, no external fonts"
    assert page.svgs == page.svg_titles, "every picture has a text title"


def test_home_picture_has_a_text_alternative(client, site_data):
    html = client.get("/").content.decode()
    assert 'role="img" aria-labelledby="timeline-title timeline-desc"' in html
    assert "<summary>The timeline as a table</summary>" in html


def test_colours_in_the_stylesheet_pass_contrast():
    css = Path(finders.find("css/site.css")).read_text()
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6});", css))
    pairs = [
        (f"{family}-fg", f"{family}-bg") for family in ("green", "blue", "amber", "purple", "red", "grey")
    ]
    pairs += [
        (text, ground) for text in ("ink", "muted", "link", "link-visited") for ground in ("paper", "wash")
    ]
    pairs += [("head-ink", "head"), ("head-soft", "head"), ("focus-ink", "focus"), ("amber-fg", "paper")]
    # A source's quoted passages, and the reader's mark for a rejected reading.
    pairs += [("ink", "mark"), ("link", "mark"), ("red-fg", "paper")]
    # Timeline labels: light text on the solid green bars (Party, Member).
    pairs += [("paper", "green-fg")]
    for text, ground in pairs:
        assert contrast(colours[text], colours[ground]) >= 4.5, (text, ground)


def test_contrast_check_can_fail():
    assert contrast("#777777", "#ffffff") < 4.5


def test_stylesheet_is_our_own_static_file(client, site_data):
    html = client.get("/").content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)[1]
    assert href == static("css/site.css") == "/static/css/site.css"
    css = Path(finders.find("css/site.css")).read_text()
    assert "@import" not in css and "url(http" not in css
    assert ":focus-visible" in css, "visible keyboard focus"


BAD_PARAMETERS = [
    (
        "/treaties/?status=bogus",
        "status: “bogus” is not one of: none, interested, invited, signed, party, denounced.",
    ),
    ("/treaties/?kind=pact", "kind: “pact” is not one of: convention, protocol, agreement."),
    ("/treaties/?page=abc", "page: “abc” is not a page number"),
    ("/treaties/?page=²", "page: “²” is not a page number"),
    ("/treaties/?page=99", "page: there is no page 99; this list has 1 page."),
    ("/bodies/?status=king", "status: “king” is not one of: none, cooperation, applicant, observer, member,"),
    ("/bodies/?kind=club", "kind: “club” is not one of: partial_agreement, enlarged_partial_agreement,"),
    ("/events/?year=abc", "year: Enter a whole number."),
    ("/events/?year=20000", "year: Ensure this value is less than or equal to 9999."),
    ("/events/?kind=party", "kind: “party” is not one of: cooperation, meeting,"),
    ("/events/?treaty=99999", "treaty: “99999” is not the number of a treaty on this site."),
    ("/events/?person=nobody", "person: “nobody” is not the key of a person on this site."),
    ("/events/?page=0", "page: there is no page 0"),
    ("/events/feed/?year=abc", "year: Enter a whole number."),
    ("/people/?page=-1", "page: “-1” is not a page number"),
    ("/people/mustafa-ferati/?page=x", "page: “x” is not a page number"),
    ("/sources/?page=abc", "page: “abc” is not a page number"),
    ("/sources/report-2018/?page=9", "page: there is no page 9"),
    ("/status/?as_of=2015-13-45", "as_of: “2015-13-45” is not a calendar day; use YYYY-MM-DD"),
    ("/status/?as_of=yesterday", "as_of: “yesterday” is not a calendar day"),
    ("/search/?q=" + "x" * 201, "q: use at most 200 characters."),
]


@pytest.mark.parametrize(("url", "message"), BAD_PARAMETERS)
def test_bad_parameters_get_a_400_that_says_what_was_wrong(client, site_data, url, message):
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "That request cannot be answered" in html
    assert message.replace("“", "&ldquo;") in html or message in html


NOT_FOUND = [
    "/treaties/99999/",
    "/treaties/99999999999999999999999/",
    "/bodies/nope/",
    "/events/999999/",
    "/people/nobody/",
    "/sources/nothing/",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", NOT_FOUND)
def test_unknown_keys_get_a_404_in_the_site_style(client, site_data, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'aria-label="Main"' in html
    assert "Resolver404" not in html


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/treaties/99999/", "No treaty with the number 99999."),
        ("/treaties/99999/history/", "No treaty with the number 99999."),
        ("/bodies/nope/", "No body with the key “nope”."),
        ("/events/999999/", "No event with the number 999999."),
        ("/people/nobody/", "No person with the key “nobody”."),
        ("/sources/nothing/", "No source with the key “nothing”."),
    ],
)
def test_404_says_which_record_is_missing(client, site_data, url, message):
    html = client.get(url).content.decode()
    assert f'<p class="lead">{escape(message)}</p>' in html
    assert "matching the query" not in html


def test_404_marks_no_section_of_the_navigation_as_current(client, site_data):
    # The treaties section does not hold treaty 99999; the reader is nowhere in the site.
    html = client.get("/treaties/99999/").content.decode()
    assert 'aria-current="page"' not in html
    assert 'aria-current="page">Treaties</a>' in client.get("/treaties/").content.decode()


def test_500_page_renders_without_a_request_or_the_database():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert "/static/css/site.css" in html


def test_every_page_of_the_curated_data_renders(client, curated):
    from bodies.models import Body
    from coe_kz.models import Source
    from events.models import Person
    from treaties.models import Treaty

    records = [*Treaty.objects.all(), *Body.objects.all(), *Event.objects.all(), *Person.objects.all()]
    records += list(Source.objects.all())
    urls = ["/", "/status/", "/status/?as_of=2015-06-30", "/events/feed/", "/sitemap.xml"]
    urls += [
        "/treaties/",
        "/bodies/",
        "/events/",
        "/people/",
        "/sources/",
        "/search/?q=Kazakhstan",
        "/about/",
    ]
    urls.append("/changes/")
    for url in urls + [record.get_absolute_url() for record in records]:
        assert client.get(url).status_code == 200, url
    # Every record's edit history, linked from its page.
    for record in records:
        assert client.get(record.get_absolute_url() + "history/").status_code == 200, record
    assert len(records) > 20
