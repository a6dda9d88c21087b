"""The publication services (coe_kz/publication.py), through every path that reaches them:
an editor can make nothing public, not a record, not another name, not a participation;
a deletion and its cascades are one change, and restoring brings back exactly the parts
that change deleted; a deleted record restored from its history page comes back with
its citations, as from the deleted list."""

import pytest

from coe_kz import publication
from coe_kz.models import Source
from events.models import Event, EventCitation, Participation, Person, PersonCitation, PersonName
from tests.helpers import PUBLIC, get_csv, shown_messages, submitted, text, url


@pytest.fixture
def person(records):
    """A published person citing a published source, with no other names yet."""
    person = records[Person]
    person.other_names.all().delete()
    return person


def post_change(client, obj, **fields):
    page = client.get(url(obj, "change", obj.pk))
    return client.post(url(obj, "change", obj.pk), {**submitted(page), **fields})


def test_an_editors_new_other_name_on_a_published_person_waits_for_a_publisher(editor, client, person):
    response = post_change(
        editor,
        person,
        **{"other_names-TOTAL_FORMS": "1", "other_names-0-name": "Secret Spelling"},
        change_reason="Another spelling",
    )
    assert response.status_code == 302
    assert PersonName.objects.get(name="Secret Spelling").publication == "draft"
    assert "Secret Spelling" not in text(client.get(person.get_absolute_url()).content.decode())
    assert "Secret Spelling" not in client.get("/export/people.csv").getvalue().decode()
    assert client.get("/people/?q=Secret+Spelling").context["page_obj"].paginator.count == 0


def test_an_editors_new_participant_on_a_published_event_waits_for_a_publisher(editor, client, records):
    event, person = records[Event], records[Person]
    event.participations.all().delete()
    response = post_change(
        editor,
        event,
        **{
            "participations-TOTAL_FORMS": "1",
            "participations-0-person": person.pk,
            "participations-0-role": "Hidden adviser",
        },
        change_reason="Participant added",
    )
    assert response.status_code == 302
    assert Participation.objects.get(role="Hidden adviser").publication == "draft"
    assert "Hidden adviser" not in text(client.get(event.get_absolute_url()).content.decode())
    assert "Hidden adviser" not in client.get("/export/participations.csv").getvalue().decode()


def test_an_editor_cannot_publish_a_part_by_posting_its_state(editor, person):
    post_change(
        editor,
        person,
        **{
            "other_names-TOTAL_FORMS": "1",
            "other_names-0-name": "Forged Spelling",
            "other_names-0-publication": "published",
        },
        change_reason="Another spelling",
    )
    assert PersonName.objects.get(name="Forged Spelling").publication == "draft"


def test_a_publisher_publishes_a_persons_draft_other_name_with_the_person(publisher, client, person):
    PersonName.objects.create(person=person, name="Later Spelling")
    person.publication = "draft"
    person.save()
    data = {
        "action": "publish_selected",
        "_selected_action": [person.pk],
        "confirm": "yes",
        "with_parts": "yes",
    }
    publisher.post(url(Person, "changelist"), data)
    assert PersonName.objects.get(name="Later Spelling").publication == "published"
    assert "Later Spelling" in text(client.get(person.get_absolute_url()).content.decode())


def test_the_services_refuse_an_editor_who_publishes_or_unpublishes(django_user_model, records):
    from tests.helpers import staff_user

    editor = staff_user(django_user_model, "ed", "Editor")
    event = records[Event]
    with pytest.raises(publication.Refused, match="You may not publish or unpublish events"):
        publication.unpublish([event], user=editor)
    event.refresh_from_db()
    assert event.publication == "published"


def test_an_editor_restoring_a_deleted_published_other_name_gets_a_draft(editor, publisher, client, person):
    name = PersonName.objects.create(person=person, name="Deleted Spelling", **PUBLIC)
    publisher.post(url(name, "delete", name.pk), {"post": "yes"})
    deletion = PersonName.history.get(id=name.pk, history_type="-")
    editor.post(url(PersonName, "restore", deletion.history_id))
    assert PersonName.objects.get(name="Deleted Spelling").publication == "draft"
    assert "Deleted Spelling" not in text(client.get(person.get_absolute_url()).content.decode())


def test_parts_deleted_on_their_own_earlier_stay_deleted_when_their_record_comes_back(publisher, records):
    event, source = records[Event], records[Source]
    first = event.citations.get()
    extra = EventCitation.objects.create(record=event, source=source, quote="Also said.", **PUBLIC)
    publisher.post(url(extra, "delete", extra.pk), {"post": "yes"})  # on its own, seconds before
    publisher.post(url(event, "delete", event.pk), {"post": "yes"})
    deletion = Event.history.get(id=event.pk, history_type="-")
    response = publisher.post(url(Event, "restore", deletion.history_id), follow=True)
    assert "Restored" in shown_messages(response)[-1]
    assert list(Event.objects.get(pk=event.pk).citations.values_list("pk", flat=True)) == [first.pk]


def test_one_deletion_is_one_change_in_the_history(publisher, records):
    event = records[Event]
    citation = event.citations.get()
    publisher.post(url(event, "delete", event.pk), {"post": "yes"})
    record_row = Event.history.get(id=event.pk, history_type="-")
    part_row = EventCitation.history.get(id=citation.pk, history_type="-")
    assert record_row.history_change is not None
    assert part_row.history_change == record_row.history_change


def test_a_deleted_published_record_restored_from_its_history_page_brings_back_its_citations(
    publisher, client, records
):
    event = records[Event]
    citation = event.citations.get()
    publisher.post(url(event, "delete", event.pk), {"post": "yes"})
    before_deletion = Event.history.filter(id=event.pk).exclude(history_type="-").first()
    history_page = publisher.get(url(Event, "history", event.pk))
    assert history_page.status_code == 200
    restore_url = url(Event, "simple_history", event.pk, before_deletion.history_id)
    page = publisher.get(restore_url)
    assert page.status_code == 200
    response = publisher.post(restore_url, submitted(page))
    assert response.status_code == 302, response.context["adminform"].form.errors
    restored = Event.objects.get(pk=event.pk)
    assert (restored.publication, list(restored.citations.values_list("pk", flat=True))) == (
        "published",
        [citation.pk],
    )
    assert restored.title in text(client.get(restored.get_absolute_url()).content.decode())


def test_restoring_a_version_keeps_the_publication_guard(editor, records):
    """An editor restores an older version of a published record: its values come back,
    its state stays what the database holds, and the restore needs its reason."""
    person = records[Person]
    post_change(editor, person, description="A newer line", change_reason="Reworded")
    older = Person.history.filter(slug=person.pk).order_by("history_date", "history_id").first()
    restore_url = url(Person, "simple_history", person.pk, older.history_id)
    response = editor.post(restore_url, submitted(editor.get(restore_url)))
    assert response.status_code == 302
    person.refresh_from_db()
    latest = person.history.first()
    assert (person.description, person.publication) == (older.description, "published")
    assert latest.history_change_reason.startswith("Restored version of ")


def test_loading_refuses_a_published_record_citing_nothing_visible(curated):
    """`seed` loads the curated data through the same rule (publication.record_loaded)."""
    event = Event.objects.published().first()
    event.citations.all().delete()
    with pytest.raises(publication.Uncited) as refused:
        publication.record_loaded([event], user=None, reason="Reloaded")
    assert event in refused.value.records


def test_person_citations_count_for_the_rule_like_any_other(records):
    person = records[Person]
    PersonCitation.objects.filter(record=person).update(publication="draft")
    assert publication.uncited([person]) == [person]


def test_a_draft_participation_is_in_no_export_and_finds_no_event(client, records):
    event, person = records[Event], records[Person]
    Participation.objects.filter(event=event).update(publication="draft")
    _, _, rows = get_csv(client, "/export/events.csv")
    assert [row["people"] for row in rows if row["id"] == str(event.pk)] == [""]
    assert client.get(f"/events/?person={person.pk}").context["page_obj"].paginator.count == 0
    assert client.get(f"/people/?q={person.name}").context["object_list"][0].event_count == 0
