"""/people/ shows each person's number of public events, and the unfiltered /events/ the
number of published events, as the database keeps them (events.models.PublicEventCount
and PublicEventTotal, kept by triggers): right after every way the data changes,
through the publication services and behind them, and read in as many queries however
many events there are."""

import pytest
from django.core.management import call_command
from django.db import transaction

from coe_kz import publication
from events.models import Event, EventCitation, Participation, Person, PublicEventCount, PublicEventTotal
from tests.helpers import make_events, published, staff_user, text


def counted() -> dict[str, int]:
    """Each person's public events, counted from the participations."""
    return {
        person.pk: Participation.objects.filter(
            person=person, publication="published", event__publication="published"
        ).count()
        for person in Person.objects.all()
    }


def kept() -> dict[str, int]:
    rows = dict(PublicEventCount.objects.values_list("person_id", "events"))
    return {person: rows.get(person, 0) for person in Person.objects.values_list("pk", flat=True)}


def total_kept() -> int:
    """The number of published events as kept, checked against a count of them."""
    total = PublicEventTotal.objects.get().events
    assert total == Event.objects.published().count()
    return total


def events_shown(client) -> str:
    """What the unfiltered events list says of its number of events."""
    page = text(client.get("/events/").content.decode())
    return page[page.index(" Apply ") + 7 : page.index(" Download all events")]


def shown(client, person: Person) -> str:
    """The line /people/ shows for the person."""
    page = text(client.get("/people/", {"q": person.name}).content.decode())
    return page[page.index(person.name) :].split(" Also spelt")[0]


@pytest.fixture
def publisher(django_user_model):
    return staff_user(django_user_model, "pablo", "Publisher")


@pytest.fixture
def two_events(world):
    """The world's event and person, and a second event of the same person, cited."""
    person, first = world["person"], world["event"]
    second = published(Event, date="2024-05-02", title="Second visit", kind="visit")
    published(EventCitation, record=second, source=world["source"], quote="Roman Vassilenko")
    Participation.objects.create(publication="published", event=second, person=person, role="Deputy Minister")
    return person, first, second


def test_the_count_follows_publishing_unpublishing_deleting_and_restoring(client, two_events, publisher):
    person, first, second = two_events
    assert kept() == counted() and kept()[person.pk] == 2
    assert shown(client, person) == "Roman Vassilenko Deputy Minister · 2 events"
    assert total_kept() == 2 and events_shown(client) == "2 events."

    publication.unpublish([second], user=publisher)
    assert kept() == counted() and kept()[person.pk] == 1
    assert shown(client, person) == "Roman Vassilenko Deputy Minister · 1 event"
    assert total_kept() == 1 and events_shown(client) == "1 event."

    publication.publish([second], user=publisher)
    assert kept()[person.pk] == 2 and total_kept() == 2

    participation = Participation.objects.get(event=first, person=person)
    publication.unpublish([participation], user=publisher)
    assert kept() == counted() and kept()[person.pk] == 1

    key = second.pk
    publication.delete([second], user=publisher)  # its participation goes with it
    assert kept() == counted() and kept()[person.pk] == 0
    assert shown(client, person) == "Roman Vassilenko Deputy Minister · 0 events"
    assert total_kept() == 1 and events_shown(client) == "1 event."

    deletion = publication.last_deletion(Event, key)
    publication.restore_deleted(deletion, user=publisher)
    assert kept() == counted() and kept()[person.pk] == 1
    assert shown(client, person) == "Roman Vassilenko Deputy Minister · 1 event"
    assert total_kept() == 2 and events_shown(client) == "2 events."


def test_the_count_follows_writes_behind_the_services(two_events):
    person, first, second = two_events
    other = published(Person, slug="other", name="Other Person")
    # A participation moved to another person, then to a draft event.
    moved = Participation.objects.get(event=second)
    moved.person = other
    moved.save()
    assert kept() == counted() and (kept()[person.pk], kept()[other.pk]) == (1, 1)
    Event.objects.filter(pk=first.pk).update(publication="draft")
    assert kept() == counted() and kept()[person.pk] == 0
    assert total_kept() == 1
    # Deleted in bulk, people and all; then made again, the participation first, as
    # loaddata may write them.
    Person.objects.filter(pk=other.pk).delete()
    assert not PublicEventCount.objects.filter(person_id="other").exists()
    with transaction.atomic():  # the foreign key is checked at the commit
        Participation.objects.create(publication="published", event=second, person_id="other", role="Guest")
        published(Person, slug="other", name="Other Person")
    assert kept() == counted() and kept()["other"] == 1
    Event.objects.filter(pk=first.pk).update(publication="published")
    assert kept() == counted() and kept()[person.pk] == 1
    Event.objects.all().delete()
    assert kept() == counted() and total_kept() == 0


def test_bulk_loaded_events_are_counted(client, db):
    make_events(30)
    assert kept() == counted() and set(kept().values()) == {1}
    assert total_kept() == 30 and events_shown(client) == "30 events."
    # Filtered, the list counts what matches.
    page = text(client.get("/events/", {"person": "p1"}).content.decode())
    assert "1 event matches these filters." in page


def test_a_dump_loaded_again_counts_each_event_once(client, db, tmp_path):
    make_events(3)
    dump = tmp_path / "events.json"
    call_command("dumpdata", "events", output=str(dump), verbosity=0)  # the kept numbers too
    Event.objects.all().delete()
    Person.objects.all().delete()
    call_command("loaddata", str(dump), verbosity=0)
    assert kept() == counted() and set(kept().values()) == {1}
    assert "Person 0 1 event" in text(client.get("/people/").content.decode())
    assert total_kept() == 3 and events_shown(client) == "3 events."


def test_the_events_list_counts_them_when_the_database_kept_no_number(client, db):
    make_events(3)
    PublicEventTotal.objects.all().delete()  # as Django's flush leaves a test database
    assert events_shown(client) == "3 events."


@pytest.mark.parametrize("events", [10, 300])
def test_the_people_list_reads_counts_in_as_many_queries_however_many_events(
    client, db, django_assert_num_queries, events
):
    make_events(events)
    Participation.objects.bulk_create(
        Participation(event=event, person_id="p0", role="Speaker", publication="published")
        for event in Event.objects.exclude(participations__person_id="p0")
    )
    # The public version, the request's savepoint pair, count, page, other names.
    with django_assert_num_queries(6):
        page = text(client.get("/people/").content.decode())
    assert f"Person 0 {events} events" in page
