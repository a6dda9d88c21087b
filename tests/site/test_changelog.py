"""The public change log (/changes/) and each record's history page: what editors changed,
when and why, for published records only, and never who."""

import datetime
import html
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from bodies.models import Body, BodyStanding
from coe_kz.changes import tracked_models
from coe_kz.models import Source
from coe_kz.visibility import public
from events.models import Event, Participation, Person
from tests.helpers import generate, text
from treaties.models import Treaty, TreatyStep, TreatyStepCitation

EDITOR_NAME = "alice-editor"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        EDITOR_NAME, email="alice@example.org", first_name="Alice", last_name="Editorson"
    )


def edit(record, user, reason: str, **fields):
    """Change a record as the admin does: the editor and the reason go on the history row."""
    for name, value in fields.items():
        setattr(record, name, value)
    record._history_user = user
    record._change_reason = reason
    record.save()
    return record


def no_identity(html: str) -> bool:
    return not any(word in html for word in (EDITOR_NAME, "alice@example.org", "Alice", "Editorson"))


def test_change_log_shows_a_published_edit_with_its_fields_and_reason_but_no_editor(
    client,
    site_data,
    editor,
):
    treaty = site_data["treaties"][0]
    edit(treaty, editor, "Title as the Treaty Office gives it.", title="Convention on Money Laundering")
    html = client.get("/changes/").content.decode()
    assert no_identity(html)
    newest = text(html).split("changes.", 1)[1].strip()
    assert newest.startswith("ETS No. 141 Convention on Money Laundering"), (
        "the newest change comes first, named by the record's label"
    )
    first = newest.split("Reason:", 2)
    assert "· Changed: title" in first[0]
    assert first[1].strip().startswith("Title as the Treaty Office gives it.")
    assert '<a href="/treaties/141/">ETS No. 141 Convention on Money Laundering</a>' in html


def test_change_log_names_a_child_row_by_the_record_it_belongs_to(client, site_data, editor):
    citation = TreatyStepCitation.objects.get(record__treaty_id=141)
    edit(citation, editor, "Paragraph counted again.", paragraph=18)
    html = client.get("/changes/").content.decode()
    label = "citation on ETS No. 141 step: Party (between 19 December 2013 and 20 September 2018)"
    assert f'<a href="/treaties/141/">{label}</a>' in html
    assert "Changed: paragraph" in text(html)
    assert "Paragraph counted again." in html


def test_change_log_leaves_out_drafts_until_they_are_published(client, site_data, editor):
    draft = Treaty.objects.create(number=999, title="Secret convention")
    edit(draft, editor, "Secret reason", title="Secret convention, revised")
    step = TreatyStep.objects.create(treaty_id=141, status="denounced", date="2021")
    edit(step, editor, "Secret step reason", note="Not yet sure.")
    html = client.get("/changes/").content.decode()
    assert "Secret" not in html and "denounced" not in html.lower()
    edit(draft, editor, "Checked against the Treaty Office.", publication="published")
    page = text(client.get("/changes/").content.decode())
    # Now public, with its whole history, the draft-time edits included.
    assert "CETS No. 999 Secret convention, revised" in page
    assert "Changed: publication Reason: Checked against the Treaty Office." in page
    assert "Secret reason" in page
    assert "Secret step reason" not in page  # the step itself is still a draft


def test_change_log_shows_the_initial_import_as_one_entry(client, curated, editor):
    imported = sum(public(tracked.model.objects.all()).count() for tracked in tracked_models())
    html = client.get("/changes/").content.decode()
    page = text(html)
    assert "1 change." in page
    assert (
        f"{imported} records imported " in page
        and "· First version of each Reason: Initial import from the curated fixtures" in page
    )
    assert html.count('<p class="reason">') == 1
    # An edit since comes first, on its own; the import stays one entry, the last.
    edit(Treaty.objects.get(pk=141), editor, "Title checked.", note="Checked against the Treaty Office.")
    page = text(client.get("/changes/").content.decode())
    assert "2 changes." in page
    assert page.index("Changed: note Reason: Title checked.") < page.index(f"{imported} records imported")
    # The import's reason is the site's own words, so it reads in the page's language; an
    # editor's reads as written.
    page = text(client.get("/ru/changes/").content.decode())
    assert "Причина: Первоначальный импорт данных, подготовленных редакторами" in page
    assert "Причина: Title checked." in page
    page = text(client.get("/kk/changes/").content.decode())
    assert "Себебі: Редакторлар дайындаған деректердің алғашқы импорты" in page


def test_change_feed_gives_the_newest_changes_as_atom(client, site_data, editor):
    edit(site_data["treaties"][0], editor, "Title as the Treaty Office gives it.", title="Money Laundering")
    head = client.get("/changes/").content.decode().split("</head>", 1)[0]
    feed_link = 'type="application/atom+xml" title="Recent changes (Atom)" href="/changes/feed/"'
    assert f'<link rel="alternate" {feed_link}>' in head
    response = client.get("/changes/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    newest = entries[0]
    assert newest.findtext(f"{atom}title") == "ETS No. 141 Money Laundering: Changed"
    assert newest.findtext(f"{atom}summary") == (
        "Fields changed: title. Reason: Title as the Treaty Office gives it."
    )
    link = newest.find(f"{atom}link").get("href")
    assert link.startswith("http://testserver/treaties/141/#change-treaties.treaty-")
    assert newest.findtext(f"{atom}id") == link
    # Every entry has an id of its own, and none names an editor.
    assert len({entry.findtext(f"{atom}id") for entry in entries}) == len(entries)
    assert no_identity(response.content.decode())


def test_change_feed_gives_the_reason_as_escaped_html_that_runs_no_script(client, site_data, editor):
    reason = 'Checked <script>alert("x")</script> & fixed.'
    edit(site_data["treaties"][0], editor, reason, title="Money Laundering")
    feed = ElementTree.fromstring(client.get("/changes/feed/").content)
    summary = feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert summary.get("type") == "html"
    # What a feed reader renders: HTML with no element in it, reading as the editor wrote.
    assert "<" not in summary.text
    assert html.unescape(summary.text) == f"Fields changed: title. Reason: {reason}"


def test_change_log_is_paginated_with_a_clear_400_for_a_bad_page(client, site_data):
    for name in range(60):
        Source.objects.create(key=f"s{name}", title=f"Source {name}", publication="published")
    first = text(client.get("/changes/").content.decode())
    assert "page 1 of" in first
    response = client.get("/changes/?page=99")
    assert response.status_code == 400
    assert "page: there is no page 99" in response.content.decode()
    assert client.get("/changes/?page=x").status_code == 400


def test_record_history_shows_values_before_and_after_and_the_rows_on_its_page(client, site_data, editor):
    treaty = site_data["treaties"][0]
    edit(treaty, editor, "Short title from the Treaty Office.", short_title="Strasbourg Convention")
    step = treaty.steps.get()
    edit(step, editor, "Entry into force from the Treaty Office.", entry_into_force="2015-03-01")
    draft_step = TreatyStep.objects.create(treaty=treaty, status="denounced", date="2021")
    edit(draft_step, editor, "Secret step reason", note="Draft note")
    other = site_data["treaties"][1]
    edit(other, editor, "Not this treaty's", title="Warsaw Convention 2005")

    html = client.get("/treaties/141/history/").content.decode()
    assert no_identity(html)
    page = text(html)
    assert "<h1>Edit history of ETS No. 141 Strasbourg Convention</h1>" in html
    assert "Short title (empty) Strasbourg Convention" in page
    assert "Reason: Short title from the Treaty Office." in page
    assert "ETS No. 141 step: Party" in page and "Entry into force (empty) 2015-03-01" in page
    assert "citation on ETS No. 141 step: Party" in page  # the citation's first version
    assert "Secret step reason" not in page and "Draft note" not in page
    assert "Not this treaty's" not in page


def test_every_record_page_links_to_its_history(client, site_data):
    visit = site_data["events"][1]
    for page, history in [
        ("/treaties/141/", "/treaties/141/history/"),
        ("/bodies/greco/", "/bodies/greco/history/"),
        (f"/events/{visit.pk}/", f"/events/{visit.pk}/history/"),
        ("/people/mustafa-ferati/", "/people/mustafa-ferati/history/"),
        ("/sources/report-2018/", "/sources/report-2018/history/"),
    ]:
        assert f'href="{history}"' in client.get(page).content.decode(), page
        response = client.get(history)
        assert response.status_code == 200, history
        assert "<h1>Edit history of " in response.content.decode()
        # What the site computes from the fields (date bounds, search text) is no edit.
        assert "Search text" not in response.content.decode() and "earliest" not in response.content.decode()


def test_event_history_shows_linked_treaties_hiding_a_drafts_key(client, site_data, editor):
    visit = site_data["events"][1]
    draft = Treaty.objects.create(number=999, title="Secret convention")
    visit._change_reason = "Linked the treaties the visit concerned."
    visit.treaties.add(Treaty.objects.get(pk=141), draft)
    page = text(client.get(f"/events/{visit.pk}/history/").content.decode())
    assert "Treaties 198 141; 198; (not published)" in page
    assert "999" not in page


def test_person_history_includes_other_names_and_participations(client, site_data, editor):
    ferati = Person.objects.get(pk="mustafa-ferati")
    name = ferati.other_names.get()
    edit(name, editor, "Spelling as in the 2023 text.", note="The 2023 text's spelling.")
    participation = Participation.objects.get(person=ferati)
    edit(participation, editor, "Role as the source puts it.", role="Head of the division")
    page = text(client.get("/people/mustafa-ferati/history/").content.decode())
    assert "Mustafa Ferati, also spelt “Mustafa Ferrati”" in page
    assert "Mustafa Ferati at “Deputy minister visits Strasbourg”" in page
    assert "Role Head of division Head of the division" in page


def test_every_history_tracked_model_is_in_the_change_log():
    from simple_history.models import registered_models

    tracked = {t.model for t in tracked_models()}
    curated = {
        model
        for model in registered_models.values()
        if model._meta.app_label in {"coe_kz", "treaties", "bodies", "events"}
        and hasattr(model._meta, "simple_history_manager_attribute")
    }
    assert tracked == curated


# --- queries per page do not grow with the history ------------------------------------


def history_of(records, date, reason="Generated"):
    """One history row per record, dated `date`, as edits would write them."""
    by_model = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record)
    for model, rows in by_model.items():
        model.history.bulk_history_create(rows, default_change_reason=reason, default_date=date)


def recent_edits(keys: dict, user) -> None:
    """The same mix of 60 edits whatever the size of the world: more than a page."""
    treaty, event = keys["treaty"], keys["event"]
    step = treaty.steps.first()
    for n in range(15):
        edit(treaty, user, f"Treaty edit {n}", note=f"Note {n}")
        edit(step, user, f"Step edit {n}", note=f"Step note {n}")
        edit(step.citations.first(), user, f"Citation edit {n}", paragraph=n + 1)
        edit(event, user, f"Event edit {n}", summary=f"Summary {n}")


@pytest.mark.parametrize(
    "size",
    [
        {"events": 20, "treaties": 3, "bodies": 3, "people": 5},
        {"events": 2000, "treaties": 60, "bodies": 25, "people": 200},
    ],
    ids=["small", "2000-events"],
)
def test_query_count_per_page_is_independent_of_history_size(
    client, db, django_assert_num_queries, editor, size
):
    keys = generate(**size)
    old = timezone.now() - datetime.timedelta(days=365)
    for model in (Source, Treaty, TreatyStep, TreatyStepCitation, Body, BodyStanding, Event, Person):
        history_of(model.objects.all(), old)
    recent_edits(keys, editor)
    treaty, event = keys["treaty"], keys["event"]
    # Each page also reads the public version (the page cache's key, coe_kz.cache): +1.
    # SAVEPOINT and RELEASE, the data loads (each one entry), the count, the page's keys;
    # then per table on the page its versions and live rows (treaties, steps, citations,
    # events: 8), and the events' two many-to-many histories. (No changed value names
    # another record: no public check.)
    with django_assert_num_queries(15 + 1):
        assert client.get("/changes/").status_code == 200
    # SAVEPOINT and RELEASE, the treaty, the count, the page's keys; its own, its steps'
    # and its citations' versions and rows (6); and which of the sources, steps and
    # treaties the first versions name are public (3).
    with django_assert_num_queries(14 + 1):
        assert client.get(f"/treaties/{treaty.pk}/history/").status_code == 200
    # The event, count, keys, its versions and rows, its two many-to-many histories, and
    # which of the treaties and bodies they name are public.
    with django_assert_num_queries(11 + 1):
        assert client.get(f"/events/{event.pk}/history/").status_code == 200
