"""Drafts stay off the public site, its feed, sitemap, exports and API; staff preview them.

The world is site_data (tests/worlds.py) (all published) plus one draft of every kind,
each carrying a marker word ("Secret", "Hidden", "secret-") that no published record
uses, so a test can say "no trace of any draft here" by looking for the markers.
"""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import include, path

from bodies.models import Body, BodyStanding, BodyStandingCitation
from coe_kz import urls as site_urls
from coe_kz.models import Rank, Source
from coe_kz.records import preview_url
from coe_kz.site.datasets import DATASETS
from events.models import Event, EventCitation, Participation, Person, PersonCitation, PersonName
from tests.helpers import cite, published, rows, text
from tests.shared_data import shared
from treaties.models import Treaty, TreatyStep, TreatyStepCitation

# The site's URLs with the API mounted, as in tests/site/test_api.py.
urlpatterns = [path("api/", include("coe_kz.site.api_urls")), *site_urls.urlpatterns]
pytestmark = pytest.mark.urls(__name__)

MARKERS = ("Secret", "secret-", "Hidden", "hidden-", "Draft quote")
DRAFT = "draft"


def traces(content: str) -> list[str]:
    """The draft markers found in a page, a CSV or a JSON answer."""
    return [marker for marker in MARKERS if marker in content]


@shared(requires=("site_data",))
def drafts(site_data):
    """One draft of each kind, tied to published records wherever a leak could happen."""
    t141, t198, t208 = site_data["treaties"]
    greco = site_data["bodies"][0]
    vassilenko, ferati = site_data["people"]
    applies, visit, accession, undated = site_data["events"]
    report = site_data["sources"][0]

    # A draft treaty, with a published step and citation that must not show either, and a
    # published protocol that names it as the treaty it amends.
    treaty = Treaty.objects.create(number=999, title="Secret convention", short_title="Secret")
    secret_step = published(TreatyStep, treaty=treaty, status="signed", date="2020")
    cite(TreatyStepCitation, secret_step, report, "Secret quote about the draft convention.")
    t208.amends = treaty
    t208.save()
    # A draft step on a published treaty (it would end Kazakhstan's party status), and a
    # draft citation on a published step.
    denounced = TreatyStep.objects.create(treaty=t141, status="denounced", date="2021")
    cite(TreatyStepCitation, denounced, report, "Draft quote: Kazakhstan denounced it.")
    cite(
        TreatyStepCitation,
        t141.steps.get(status="party"),
        report,
        "Draft quote on accession.",
        publication=DRAFT,
    )

    body = Body.objects.create(slug="secret-body", name="Secret Committee", kind="committee")
    member = published(BodyStanding, body=body, status="member", date="2019")
    cite(BodyStandingCitation, member, report, "Secret quote about the committee.")

    person = Person.objects.create(slug="hidden-person", name="Hidden Person", description="Hidden role")
    PersonName.objects.create(publication="published", person=person, name="Hidden Persson")
    cite(PersonCitation, person, report, "Hidden Person was there.")
    Participation.objects.create(publication="published", event=visit, person=person, role="Hidden adviser")

    event = Event.objects.create(date="2022-05", title="Secret meeting in Astana", kind="meeting")
    event.treaties.add(t141)
    event.bodies.add(greco)
    Participation.objects.create(
        publication="published", event=event, person=vassilenko, role="Deputy Minister"
    )
    cite(EventCitation, event, report, "Secret quote about the meeting.")

    # A draft source, and a published citation drawing on it for a published standing.
    source = Source.objects.create(key="secret-memo", title="Secret memo")
    cite(BodyStandingCitation, greco.standings.get(status="applicant"), source, "Secret memo quote.")
    return {"treaty": treaty, "body": body, "person": person, "event": event, "source": source}


# --- the public sees no draft ----------------------------------------------------------

PUBLIC_PAGES = [
    "/",
    "/status/",
    "/status/?as_of=2022-01-01",
    "/treaties/",
    "/treaties/141/",
    "/treaties/208/",
    "/bodies/",
    "/bodies/greco/",
    "/events/",
    "/events/?year=2022",
    "/people/",
    "/people/roman-vassilenko/",
    "/sources/",
    "/sources/report-2018/",
    "/people/?q=Persson",
    "/events/feed/",
    "/sitemap.xml",
    *(f"/sitemap-{name}.xml" for name in ("pages", "treaties", "bodies", "events", "people", "sources")),
    "/export/",
    "/changes/",
    "/changes/feed/",
    "/treaties/141/history/",
    "/bodies/greco/history/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_no_public_page_shows_a_draft(client, drafts, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert traces(response.content.decode()) == []


@pytest.mark.parametrize("word", ["Secret", "secret", "Hidden", "Persson", "Astana"])
def test_search_finds_no_draft(client, drafts, word):
    page = text(client.get(f"/search/?q={word}").content.decode())
    assert f"Nothing found for “{word}”." in page
    assert "No event matches" in text(client.get(f"/events/?q={word}").content.decode())


def test_a_published_events_page_hides_its_draft_participant(client, drafts, site_data):
    visit = site_data["events"][1]
    page = text(client.get(f"/events/{visit.pk}/").content.decode())
    assert "Roman Vassilenko" in page and "Mustafa Ferati" in page
    assert traces(page) == []


def test_a_draft_step_or_citation_changes_no_status(client, drafts):
    listed = rows(client.get("/treaties/").content.decode())
    assert listed[0].startswith("ETS No. 141 Convention on Laundering Convention Party since")
    assert "1 treaty Kazakhstan is party to" in text(client.get("/").content.decode())
    treaty = text(client.get("/treaties/141/").content.decode())
    assert "Denounced" not in treaty
    greco = text(client.get("/bodies/greco/").content.decode())
    assert "Application was filed in July 2013." in greco  # its published citation stays


def test_counts_leave_drafts_out(client, drafts):
    people = text(client.get("/people/").content.decode())
    assert "Roman Vassilenko Deputy Minister of Foreign Affairs · 1 event" in people
    sources = rows(client.get("/sources/").content.decode())
    assert sources == [
        "News of 2023 Agency 7 October 2023 en 5",
        "Report of 2018 Ministry 20 September 2018 en 7",
    ]
    events = text(client.get("/treaties/141/").content.decode())
    assert "Kazakhstan accedes to Convention 141" in events


@pytest.mark.parametrize("kind", ["treaty", "body", "person", "event", "source"])
def test_a_drafts_page_and_history_are_404(client, drafts, kind):
    url = drafts[kind].get_absolute_url()
    for address in (url, url + "?preview=1", url + "history/"):
        response = client.get(address)
        assert response.status_code == 404, address
        assert "<h1>Page not found</h1>" in response.content.decode()
        assert traces(response.content.decode()) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/events/?treaty=999", "treaty: “999” is not the number of a treaty on this site."),
        ("/events/?body=secret-body", "body: “secret-body” is not the key of a body on this site."),
        ("/events/?person=hidden-person", "person: “hidden-person” is not the key of a person on this site."),
    ],
)
def test_a_draft_is_no_filter_choice(client, drafts, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert client.get(url.replace("/events/", "/export/events.csv")).status_code == 400


@pytest.mark.parametrize("name", list(DATASETS))
def test_no_csv_dataset_holds_a_draft(client, drafts, name):
    response = client.get(f"/export/{name}.csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert traces(content) == []
    assert "999" not in content  # not even as a key: the protocol's `amends` is empty


def test_csv_rows_leave_out_drafts_inside_published_records(client, drafts, site_data):
    steps = b"".join(client.get("/export/treaty_steps.csv?q=141").streaming_content).decode()
    assert "party" in steps and "denounced" not in steps
    visit = site_data["events"][1]
    events = b"".join(client.get("/export/events.csv").streaming_content).decode()
    row = next(line for line in events.splitlines() if line.startswith(f"{visit.pk},"))
    assert "roman-vassilenko;mustafa-ferati" in row
    status = b"".join(client.get("/export/status.csv?as_of=2022-06-01").streaming_content).decode()
    assert "treaty,141,ETS No. 141 Convention on Laundering,party," in status


def test_the_data_package_holds_no_draft(client, drafts):
    response = client.get("/export/coe-kz.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    for name in archive.namelist():
        assert traces(archive.read(name).decode()) == [], name


@pytest.mark.parametrize("name", list(DATASETS))
def test_no_api_endpoint_gives_a_draft(client, drafts, name):
    response = client.get(f"/api/{name}/?page_size=1000")
    assert response.status_code == 200
    assert traces(json.dumps(response.json())) == []


def test_the_api_refuses_a_draft_as_a_filter_value(client, drafts):
    response = client.get("/api/events/?treaty=999")
    assert response.status_code == 400
    assert "treaty: “999” is not the number of a treaty on this site." in response.json()["detail"]


# --- staff preview ---------------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    """A staff member of the Editor group, which may view every curated record."""
    user = django_user_model.objects.create_user("editor", password="pw-editor-1234", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


def test_staff_preview_a_draft_with_a_banner_and_its_drafts_inside(client, drafts, editor):
    client.force_login(editor)
    response = client.get("/treaties/999/?preview=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview — not published." in html
    assert "until then the public gets “Page not found” here" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    page = text(html)
    assert "Secret convention Draft" in page  # the record itself is marked
    assert "Secret quote about the draft convention." in page
    # Without ?preview=1 the editor sees the public site: a 404.
    assert client.get("/treaties/999/").status_code == 404


def test_preview_of_a_published_record_shows_its_draft_parts(client, drafts, editor):
    client.force_login(editor)
    page = text(client.get("/treaties/141/?preview=1").content.decode())
    assert "Denounced 2021 Draft" in page
    assert "Draft quote on accession." in page
    # Today's status as it will be once the draft step is published.
    assert "Kazakhstan today Denounced since 2021" in page
    assert "Secret meeting in Astana Draft" in page  # a related draft event


def test_preview_judges_a_rejected_claim_by_the_citations_it_shows(client, site_data, editor):
    report = site_data["sources"][0]
    step = TreatyStep.objects.create(treaty=site_data["treaties"][0], status="invited", date="2012")
    cite(
        TreatyStepCitation,
        step,
        report,
        "Invited, says nobody.",
        rank=Rank.DEPRECATED,
        rank_reason="No invitation is known.",
        publication=DRAFT,
    )
    client.force_login(editor)
    html = client.get("/treaties/141/?preview=1").content.decode()
    assert 'class="step rejected"' in html and "Rejected claim" in html


@pytest.mark.parametrize("kind", ["body", "person", "event", "source"])
def test_every_kind_of_record_has_a_preview(client, drafts, editor, kind):
    client.force_login(editor)
    response = client.get(preview_url(drafts[kind]))
    assert response.status_code == 200
    assert "Preview — not published." in response.content.decode()


def test_preview_of_an_event_shows_a_draft_participant(client, drafts, editor, site_data):
    client.force_login(editor)
    visit = site_data["events"][1]
    page = text(client.get(f"/events/{visit.pk}/?preview=1").content.decode())
    assert "Hidden Person Draft Hidden adviser" in page


def test_preview_of_a_source_lists_its_draft_citations_marked(client, drafts, editor):
    client.force_login(editor)
    page = text(client.get("/sources/report-2018/?preview=1").content.decode())
    assert "“Draft quote on accession.” normal Draft" in page
    assert "“Secret quote about the meeting.” normal Draft" in page  # a published citation, draft event
    assert "“Kazakhstan signed Protocol No. 208.” normal · " in page  # public: no mark
    assert "Draft quote" not in text(client.get("/sources/report-2018/").content.decode())


def test_preview_needs_staff_and_the_view_permission(client, drafts, django_user_model):
    url = "/treaties/999/?preview=1"
    assert client.get(url).status_code == 404  # anonymous
    visitor = django_user_model.objects.create_user("visitor", password="pw-visitor-1234")
    visitor.user_permissions.add(Permission.objects.get(codename="view_treaty"))
    client.force_login(visitor)
    assert client.get(url).status_code == 404  # not staff
    staff = django_user_model.objects.create_user("staff", password="pw-staff-1234", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 404  # staff, but may not view treaties
    staff.user_permissions.add(Permission.objects.get(codename="view_treaty"))
    client.force_login(staff)
    assert client.get(url).status_code == 200
    # The permission is the page's model's: viewing treaties does not open a body's preview.
    assert client.get("/bodies/secret-body/?preview=1").status_code == 404


def test_preview_url_names_the_page_each_row_is_shown_on(drafts, site_data):
    visit = site_data["events"][1]
    step = TreatyStep.objects.get(treaty_id=141, status="denounced")
    assert preview_url(drafts["treaty"]) == "/treaties/999/?preview=1"
    assert preview_url(step) == "/treaties/141/?preview=1"
    assert preview_url(step.citations.get()) == "/treaties/141/?preview=1"
    assert (
        preview_url(BodyStandingCitation.objects.get(quote="Secret memo quote."))
        == "/bodies/greco/?preview=1"
    )
    assert preview_url(Participation.objects.get(role="Hidden adviser")) == f"/events/{visit.pk}/?preview=1"
    assert preview_url(PersonName.objects.get(name="Hidden Persson")) == "/people/hidden-person/?preview=1"
    assert preview_url(drafts["source"]) == "/sources/secret-memo/?preview=1"


def test_public_pages_cost_no_query_for_the_preview(client, drafts, django_assert_num_queries):
    # ?preview=1 from the public looks at no session or user: the same queries as without it
    # (the page cache's read of the public version among them; another address, another page).
    with django_assert_num_queries(9):
        assert client.get("/treaties/141/").status_code == 200
    with django_assert_num_queries(9):
        assert client.get("/treaties/141/?preview=1").status_code == 200
