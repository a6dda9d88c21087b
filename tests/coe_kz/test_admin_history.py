"""The editorial workflow in the admin, as editors meet it: reasons for changes, the
history with its field differences, restoring versions and deleted records, and the
warnings and messages of validation. (Bulk import is in test_importing.py, the lock on
repeated wrong passwords in test_admin_roles.py.)
"""

from bodies.models import Body, BodyStanding
from coe_kz.models import Source
from events.models import Event, EventCitation
from tests.helpers import PUBLIC, linked_treaties, shown_messages, submitted, url
from treaties.models import Treaty, TreatyStep, TreatyStepCitation


def change(client, obj, **fields):
    """POST obj's change form as rendered, with `fields` changed."""
    page = client.get(url(obj, "change", obj.pk))
    return client.post(url(obj, "change", obj.pk), {**submitted(page), **fields})


# Reasons for changes.


def test_changing_a_published_record_needs_a_reason(editor, records):
    treaty = records[Treaty]
    response = change(editor, treaty, short_title="Laundering Convention")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["change_reason"] == [
        "This record is published: say why you are changing it. "
        "The reason is kept in its history and shown in the public change log."
    ]
    assert "say why you are changing it" in response.content.decode()
    treaty.refresh_from_db()
    assert treaty.short_title == ""


def test_changing_only_a_published_records_inline_rows_needs_a_reason_too(editor, records):
    treaty = records[Treaty]
    response = change(editor, treaty, **{"steps-0-note": "Accession deposited in Strasbourg."})
    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    assert treaty.steps.get().note == ""


def test_saving_a_published_record_unchanged_needs_no_reason(editor, records):
    assert change(editor, records[Treaty]).status_code == 302


def test_a_draft_changes_without_a_reason(editor, records):
    event = Event.objects.create(date="2024", title="A draft", kind="visit")
    assert change(editor, event, title="A draft, retitled").status_code == 302
    latest = event.history.first()
    assert (latest.title, latest.history_change_reason) == ("A draft, retitled", "")


def test_the_reason_is_recorded_on_the_record_and_its_inline_rows(editor, records):
    treaty = records[Treaty]
    reason = "Accession date checked with the Treaty Office"
    response = change(editor, treaty, note="Checked.", change_reason=reason, **{"steps-0-note": "Deposited."})
    assert response.status_code == 302
    assert treaty.history.first().history_change_reason == reason
    step = treaty.steps.get()
    assert (step.note, step.history.first().history_change_reason) == ("Deposited.", reason)
    assert step.history.first().history_user.username == "edith"


# History: differences, restoring a version.


def test_the_history_page_shows_field_differences_of_the_record_and_its_citations(editor, records):
    treaty = records[Treaty]
    change(editor, treaty, short_title="Laundering Convention", change_reason="Common name added")
    citation = records[TreatyStepCitation]
    change(editor, citation, quote="Kazakhstan acceded on 1 March 2014.", change_reason="Quote corrected")
    page = editor.get(url(Treaty, "history", treaty.pk)).content.decode()
    own, parts = page.split("Versions of its parts")
    assert "<strong>Short title:</strong> <del>(empty)</del> → <ins>Laundering Convention</ins>" in own
    assert "Common name added" in own and "edith" in own
    assert f"Treaty step citation {citation.pk}: test-source-0:" in parts
    assert (
        "<strong>Quote:</strong> <del>Test quote on treaty step 0.</del> → "
        "<ins>Kazakhstan acceded on 1 March 2014.</ins>"
    ) in parts
    assert "Quote corrected" in parts


def test_the_history_page_shows_a_bodys_standings_and_a_persons_names(editor, records):
    standing = records[BodyStanding]
    change(editor, standing, date="2012-03-15", change_reason="Day given by the report")
    page = editor.get(url(Body, "history", standing.body_id)).content.decode()
    assert f"Body standing {standing.pk}: Member (2012-03-15)" in page
    assert "<strong>Date:</strong> <del>2012-03</del> → <ins>2012-03-15</ins>" in page


def test_any_version_can_be_restored_with_a_reason_saying_so(editor, records):
    event = records[Event]
    first = event.history.first()
    change(editor, event, title="A mistaken title", change_reason="Renamed")
    revert_url = url(Event, "simple_history", event.pk, first.history_id)
    history_page = editor.get(url(Event, "history", event.pk)).content.decode()
    assert f'href="{revert_url}"' in history_page
    form_page = editor.get(revert_url)
    page = form_page.content.decode()
    assert 'value="Restore this version"' in page and "Revert" not in page  # the admin's one word
    reason = form_page.context["adminform"].form["change_reason"].value()
    assert reason.startswith("Restored version of ")
    assert editor.post(revert_url, submitted(form_page)).status_code == 302
    event.refresh_from_db()
    assert event.title == "Test event 0"
    latest = event.history.first()
    assert (latest.title, latest.history_change_reason, latest.history_user.username) == (
        "Test event 0",
        reason,
        "edith",
    )


def test_an_edit_of_an_events_links_is_one_version_with_the_links_as_saved(editor, records):
    event = records[Event]
    other = Treaty.objects.create(number=9999, title="Another convention", **PUBLIC)
    versions_before = event.history.count()
    response = change(editor, event, treaties=[other.pk], change_reason="Linked to the right treaty")
    assert response.status_code == 302
    assert event.history.count() == versions_before + 1
    latest = event.history.first()
    assert (linked_treaties(latest), latest.history_change_reason) == (
        [other.pk],
        "Linked to the right treaty",
    )


def test_restoring_a_version_brings_back_its_links(editor, records):
    event = records[Event]
    first_treaty = records[Treaty]
    other = Treaty.objects.create(number=9999, title="Another convention", **PUBLIC)
    change(editor, event, treaties=[other.pk], change_reason="Linked to the wrong treaty")
    before_mistake = event.history.all()[1]
    revert_url = url(Event, "simple_history", event.pk, before_mistake.history_id)
    form_page = editor.get(revert_url)
    assert form_page.context["adminform"].form["treaties"].value() == [first_treaty.pk]
    assert editor.post(revert_url, submitted(form_page)).status_code == 302
    assert list(event.treaties.values_list("pk", flat=True)) == [first_treaty.pk]
    assert linked_treaties(event.history.first()) == [first_treaty.pk]


# Deleted records.


def test_a_deleted_record_is_listed_and_restored_with_its_parts(publisher, editor, records):
    treaty = records[Treaty]
    step, citation = records[TreatyStep], records[TreatyStepCitation]
    assert publisher.post(url(Treaty, "delete", treaty.pk), {"post": "yes"}).status_code == 302
    assert not TreatyStep.objects.filter(pk=step.pk).exists()

    listing = editor.get(url(Treaty, "deleted"))
    rows = listing.context["rows"]
    assert [label for _, label in rows] == ["CETS No. 9000 Test convention 0"]
    assert "Restore" in listing.content.decode()
    deleted = rows[0][0]

    response = editor.post(url(Treaty, "restore", deleted.history_id), follow=True)
    assert response.redirect_chain[-1][0] == url(Treaty, "change", treaty.pk)
    assert shown_messages(response) == [
        f'Restored <a href="{url(Treaty, "change", treaty.pk)}">CETS No. 9000 Test convention 0</a> '
        "and 2 of its parts deleted with it."
    ]
    treaty = Treaty.objects.get(pk=treaty.pk)
    restored_step = TreatyStep.objects.get(pk=step.pk)
    restored_citation = TreatyStepCitation.objects.get(pk=citation.pk)
    assert (restored_step.date, restored_citation.quote) == ("2014", citation.quote)
    for obj in (treaty, restored_step, restored_citation):
        latest = obj.history.first()
        assert (latest.history_type, latest.history_change_reason) == ("+", "Restored after deletion")
        # Restored by an editor, who may not publish: back as a draft, for a publisher to check.
        assert obj.publication == "draft"
    assert editor.get(url(Treaty, "deleted")).context["rows"] == []


def test_a_publisher_restores_a_deleted_record_as_it_was(publisher, records):
    event = records[Event]
    publisher.post(url(Event, "delete", event.pk), {"post": "yes"})
    deleted = Event.history.get(id=event.pk, history_type="-")
    publisher.post(url(Event, "restore", deleted.history_id))
    event = Event.objects.get(pk=event.pk)
    assert event.publication == "published"
    assert [t.number for t in event.treaties.all()] == [records[Treaty].number]
    assert event.citations.count() == 1 and event.participations.count() == 1


def test_a_record_that_cannot_come_back_is_refused_with_the_reason(publisher, records):
    source = Source.objects.create(key="short-lived", title="A source removed later", **PUBLIC)
    citation = TreatyStepCitation.objects.create(record=records[TreatyStep], source=source, quote="Gone.")
    publisher.post(url(TreatyStepCitation, "delete", citation.pk), {"post": "yes"})
    publisher.post(url(Source, "delete", source.pk), {"post": "yes"})
    deleted = TreatyStepCitation.history.get(id=citation.pk, history_type="-")
    response = publisher.post(url(TreatyStepCitation, "restore", deleted.history_id), follow=True)
    (message,) = [m for m in shown_messages(response) if m.startswith("Nothing")]
    assert message == (
        "Nothing was restored: treaty step citation “short-lived: Gone.”: "
        "its source “short-lived” no longer exists (restore that first)"
    )
    assert not TreatyStepCitation.objects.filter(pk=citation.pk).exists()


def test_restoring_needs_a_post(editor, records):
    history = records[Event].history.first()
    assert editor.get(url(Event, "restore", history.history_id)).status_code == 405


# Validation messages.


def test_a_step_that_contradicts_the_order_of_the_others_is_flagged_after_saving(editor, records):
    treaty = records[Treaty]  # party in 2014
    page = editor.get(url(Treaty, "change", treaty.pk))
    data = {
        **submitted(page),
        "steps-TOTAL_FORMS": "2",
        "steps-1-status": "signed",
        "steps-1-date": "2016-02",
        "steps-1-publication": "draft",
        "change_reason": "Signature reported by a 2016 article",
    }
    response = editor.post(url(Treaty, "change", treaty.pk), data, follow=True)
    assert (
        "Check the order of the steps on CETS No. 9000 Test convention 0: "
        "“signed” (2016-02) is dated after “party” (2014) with no “denounced” between."
    ) in shown_messages(response)
    assert treaty.steps.count() == 2  # flagged, not refused


def test_a_standing_that_contradicts_the_order_is_flagged_on_its_own_page(editor, records):
    body = records[Body]  # member since 2012-03
    response = editor.post(
        url(BodyStanding, "add"),
        {
            "body": body.pk,
            "status": "applicant",
            "date": "2015",
            "publication": "draft",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert any(
        m.endswith("“applicant” (2015) is dated after “member” (2012-03) with no “withdrawn” between.")
        for m in shown_messages(response)
    )


def test_a_duplicate_key_is_refused_in_plain_words(editor, records):
    response = editor.post(url(Treaty, "add"), {"number": "9000", "title": "Again", "kind": "convention"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["number"] == [
        "A treaty with the key “9000” already exists. "
        "Find it in the list to change it, or choose another key."
    ]
    assert Treaty.objects.get(pk=9000).title == "Test convention 0"


def test_a_citation_needs_a_quote_and_a_source(editor, records):
    response = editor.post(
        url(EventCitation, "add"), {"record": records[Event].pk, "quote": "  ", "rank": "normal"}
    )
    errors = response.context["adminform"].form.errors
    assert errors["quote"] == [
        "A citation needs a quote: copy the sentence that carries the fact, verbatim from the source."
    ]
    assert errors["source"] == ["A citation needs a source: choose the text the quote comes from."]


def test_a_citation_row_without_a_quote_is_refused_on_its_records_page(editor, records):
    event = Event.objects.create(date="2024", title="A draft", kind="visit")
    page = editor.get(url(Event, "change", event.pk))
    data = {
        **submitted(page),
        "citations-TOTAL_FORMS": "1",
        "citations-0-source": records[Source].pk,
        "citations-0-rank": "normal",
        "citations-0-publication": "draft",
    }
    response = editor.post(url(Event, "change", event.pk), data)
    assert response.status_code == 200
    citations = [i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "citations"][0]
    assert citations.formset.errors[0]["quote"] == [
        "A citation needs a quote: copy the sentence that carries the fact, verbatim from the source."
    ]


def test_a_draft_has_a_preview_link_and_a_published_record_a_view_link(editor, records):
    draft = Event.objects.create(date="2024", title="A draft", kind="visit")
    page = editor.get(url(Event, "change", draft.pk)).content.decode()
    assert f'<a href="/events/{draft.pk}/?preview=1" class="viewsitelink">Preview on site</a>' in page
    assert "View on site" not in page
    page = editor.get(url(Event, "change", records[Event].pk)).content.decode()
    assert "Preview on site" not in page and "View on site" in page
