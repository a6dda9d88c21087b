"""Pages computed once per version of what the public sees (coe_kz/cache.py): served from
the cache until a public change, answered with a 304 to a client that holds them, never
stored or served for staff, a form, a cookie, a preview or anything but GET and HEAD; and
ETags that an edit of a draft leaves alone."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from coe_kz.cache import page_digest, public_data_changed, public_version
from coe_kz.models import Publication
from coe_kz.publication import delete, publish, save_edit, unpublish
from coe_kz.site.releases import cut_release
from events.models import Event, EventCitation
from tests.coe_kz import cache_urls
from tests.helpers import logged_in, staff_user

PUBLIC = "public, max-age=0, s-maxage=60"


def queries(client, url: str, **headers):
    """(response, queries it took)."""
    with CaptureQueriesContext(connection) as done:
        response = client.get(url, headers=headers)
    return response, len(done)


@pytest.fixture
def publisher_user(db, django_user_model):
    return staff_user(django_user_model, "pablo", "Publisher")


@pytest.fixture
def draft_event(world):
    """A draft event citing the world's source, as an editor leaves it for a publisher."""
    event = Event.objects.create(date="2024-05-02", title="Draft visit to Astana", kind="visit")
    EventCitation.objects.create(
        record=event, source=world["source"], quote="Roman Vassilenko", publication=Publication.DRAFT
    )
    return event


# --- served once per version -------------------------------------------------------------


def test_a_public_page_is_computed_once_then_served_from_the_cache(client, world):
    first, computed = queries(client, "/treaties/141/")
    again, served = queries(client, "/treaties/141/")
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert computed > 3 and served == 1, "only the public version is read"
    assert first["Cache-Control"] == again["Cache-Control"] == PUBLIC
    assert first["ETag"] == again["ETag"]
    assert "Cookie" in first["Vary"]
    assert first["Last-Modified"]


def test_each_address_and_query_is_its_own_page(client, world):
    assert "Vassilenko visits" in client.get("/events/").content.decode()
    other, took = queries(client, "/events/?kind=signature")
    assert took > 1
    assert "Vassilenko visits" not in other.content.decode()


def test_a_publication_is_served_at_once_and_a_draft_edit_changes_nothing(
    client, world, draft_event, publisher_user, django_user_model
):
    """Issue 11, item 6: the pages' and the exports' ETags change when published data
    does, and only then."""
    addresses = ["/events/", "/", "/export/events.csv", "/export/coe-kz.zip"]
    before = {address: client.get(address)["ETag"] for address in addresses}
    assert "Draft visit" not in client.get("/events/").content.decode()
    # An editor edits the draft: nothing public changes, nor does any ETag.
    editor = staff_user(django_user_model, "edith", "Editor")
    draft_event.title = "Draft visit to Astana, corrected"
    save_edit(draft_event, user=editor, reason="Typo", created=False)
    assert {address: client.get(address)["ETag"] for address in addresses} == before
    assert client.get("/events/", headers={"if-none-match": before["/events/"]}).status_code == 304
    assert (
        client.get("/export/events.csv", headers={"if-none-match": before["/export/events.csv"]}).status_code
        == 304
    )
    # A publisher publishes it: every ETag changes, and the page shows it at once.
    publish([draft_event], user=publisher_user, with_parts=True)
    after = {address: client.get(address)["ETag"] for address in addresses}
    assert all(after[address] != before[address] for address in addresses), after
    assert "Draft visit to Astana, corrected" in client.get("/events/").content.decode()
    assert client.get("/events/", headers={"if-none-match": before["/events/"]}).status_code == 200
    csv = b"".join(client.get("/export/events.csv").streaming_content).decode()
    assert "Draft visit to Astana, corrected" in csv


def test_a_client_holding_the_page_gets_a_304_until_it_changes(client, world, publisher_user):
    page = client.get("/people/")
    held = client.get("/people/", headers={"if-none-match": page["ETag"]})
    assert held.status_code == 304
    assert held["ETag"] == page["ETag"] and held["Cache-Control"] == PUBLIC
    since = client.get("/people/", headers={"if-modified-since": page["Last-Modified"]})
    assert since.status_code == 304
    unpublish([world["event"]], user=publisher_user)
    changed = client.get("/people/", headers={"if-none-match": page["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != page["ETag"]


def test_head_is_answered_from_the_cache_without_a_body(client, world):
    page = client.get("/bodies/")
    with CaptureQueriesContext(connection) as done:
        head = client.head("/bodies/")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == page["ETag"] and len(done) == 1


# --- what changes the version -------------------------------------------------------------


def test_the_version_changes_with_what_the_public_sees_and_only_then(world, draft_event, publisher_user):
    def token():
        return public_version().token

    start = token()
    draft_event.title = "Draft visit, again"
    save_edit(draft_event, user=publisher_user, reason="Draft edit", created=False)
    delete([Event.objects.create(date="2024", title="Another draft", kind="visit")], user=publisher_user)
    assert token() == start, "drafts written, edited and deleted: nothing public changed"
    event = world["event"]
    event.title = "Vassilenko visits the Council of Europe in Strasbourg"
    save_edit(event, user=publisher_user, reason="Place named", created=False)
    edited = token()
    assert edited != start
    unpublish([event], user=publisher_user)
    unpublished = token()
    assert unpublished != edited, "a record leaving the site is a public change"
    event.refresh_from_db()
    event.summary = "Edited while off the site."
    save_edit(event, user=publisher_user, reason="Draft edit", created=False)
    assert token() == unpublished


def test_a_release_changes_the_pages_but_not_the_data_version(curated, publisher_user):
    before = public_version()
    cut_release(notes="A release.", user=publisher_user, homepage="https://coe-kz.example.org")
    after = public_version()
    assert after.token != before.token and after.changed > before.changed
    assert after.data_changed == before.data_changed


# --- never stored, never served -----------------------------------------------------------


def test_staff_never_get_a_stored_page_and_store_none(client, world, publisher_user):
    staff = logged_in(publisher_user)
    # Staff first: their answer is not stored, so the public's first visit computes the page.
    own, _ = queries(staff, "/events/")
    assert own["Cache-Control"] == "private, no-cache" and not own.has_header("ETag")
    _, took = queries(client, "/events/")
    assert took > 1
    # Written behind the services' back, so the version does not change: the public is
    # served the stored page, staff see the data as it is.
    Event.objects.filter(pk=world["event"].pk).update(title="Renamed behind the services' back")
    assert "Renamed" not in client.get("/events/").content.decode()
    assert "Renamed" in staff.get("/events/").content.decode()


def test_a_staff_preview_of_a_draft_is_never_kept(client, draft_event, publisher_user):
    staff = logged_in(publisher_user)
    address = f"{draft_event.get_absolute_url()}?preview=1"
    preview = staff.get(address)
    assert preview.status_code == 200 and "Draft visit to Astana" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert client.get(address).status_code == 404


@pytest.fixture
def guarded(db, settings):
    """The pages of tests/coe_kz/cache_urls.py, with a public version to key them on."""
    settings.ROOT_URLCONF = "tests.coe_kz.cache_urls"
    cache_urls.COMPUTED.clear()
    public_data_changed()
    return cache_urls.COMPUTED


def test_a_plain_page_is_stored(client, guarded):
    assert client.get("/plain/").content == client.get("/plain/").content == b"computed 1 times"
    assert guarded["plain"] == 1


@pytest.mark.parametrize(
    "address, name",
    [
        ("/form/", "form"),  # a form's CSRF token
        ("/cookie/", "cookie"),  # Set-Cookie
        ("/message/", "message"),  # messages, which set a cookie
        ("/session/", "session"),  # a session written to
        ("/no-store/", "no_store"),  # a view that says how it may be cached (a preview)
    ],
)
def test_a_page_that_is_someones_own_is_never_stored(client, guarded, address, name):
    first = client.get(address)
    client.cookies.clear()  # the next reader is someone else
    second = client.get(address)
    assert guarded[name] == 2, "computed for each reader"
    for response in (first, second):
        assert response.status_code == 200
        assert "public" not in response.get("Cache-Control", "")
        assert not response.has_header("ETag")


def test_the_admin_login_form_is_never_stored(client, db):
    public_data_changed()
    first = client.get("/admin/login/")
    client.cookies.clear()
    second = client.get("/admin/login/")
    tokens = [r.content.decode().split('name="csrfmiddlewaretoken" value="')[1][:64] for r in (first, second)]
    assert tokens[0] != tokens[1]
    assert "public" not in second.get("Cache-Control", "")


WITHOUT_METHODS = [m for m in settings.MIDDLEWARE if m != "coe_kz.middleware.MethodsMiddleware"]


@override_settings(MIDDLEWARE=WITHOUT_METHODS)
def test_only_get_and_head_are_stored_or_served(client, guarded):
    # Without the methods middleware's 405s, a POST reaches the page cache.
    assert client.post("/plain/").content == b"computed 1 times"
    assert client.get("/plain/").content == b"computed 2 times", "a POST's answer is not stored"
    assert client.post("/plain/").content == b"computed 3 times", "nor is a POST answered from the cache"
    assert client.get("/plain/").content == b"computed 2 times"


def test_a_request_carrying_a_session_is_neither_served_nor_stored(client, guarded):
    client.cookies[settings.SESSION_COOKIE_NAME] = "someone"
    assert client.get("/plain/").content == b"computed 1 times"
    assert client.get("/plain/").content == b"computed 2 times"
    client.cookies.clear()
    assert client.get("/plain/").content == b"computed 3 times"


# --- languages ----------------------------------------------------------------------------


LANGUAGES = [("en-gb", "English"), ("kk", "Kazakh"), ("ru", "Russian")]
WITH_LOCALE = [
    *settings.MIDDLEWARE[
        : settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
    ],
    "django.middleware.locale.LocaleMiddleware",
    *settings.MIDDLEWARE[
        settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1 :
    ],
]


@override_settings(MIDDLEWARE=WITH_LOCALE, LANGUAGES=LANGUAGES)
def test_each_language_is_its_own_page(client, world):
    # A page's language is its address's (/kk/...), whatever the browser asks for.
    kazakh, _ = queries(client, "/kk/treaties/141/", accept_language="en")
    english, took = queries(client, "/treaties/141/", accept_language="kk")
    assert took > 1, "the English page is not the Kazakh one from the cache"
    assert (kazakh["Content-Language"], english["Content-Language"]) == ("kk", "en")
    assert kazakh["ETag"] != english["ETag"]
    again, took = queries(client, "/kk/treaties/141/")
    assert took == 1 and again["ETag"] == kazakh["ETag"]


def test_the_key_names_the_language(rf, world):
    request = rf.get("/treaties/141/")
    version = public_version()
    keys = set()
    for language in ("en-gb", "kk", "ru"):
        with translation.override(language):
            keys.add(page_digest(request, version))
    assert len(keys) == 3
