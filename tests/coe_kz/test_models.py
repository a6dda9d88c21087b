"""Database constraints hold even where forms are bypassed; the models' own rules (the
quote rule, the archived text's hash, passages set aside) hold wherever a row is cleaned."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bodies.models import Body, BodyStanding
from coe_kz.models import SetAside, Source
from events.models import Event, EventCitation, Person, PersonName
from treaties.models import Treaty, TreatyStep


@pytest.fixture
def treaty(db):
    return Treaty.objects.create(number=141, title="Convention on Laundering", kind="convention")


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_bounds_are_computed_on_save(treaty):
    step = TreatyStep.objects.create(treaty=treaty, status="party", date="2012-03")
    step.refresh_from_db()
    assert (str(step.date_earliest), str(step.date_latest)) == ("2012-03-01", "2012-03-31")
    step.date = "../2023-10-07"
    step.save()
    step.refresh_from_db()
    assert (step.date_earliest, str(step.date_latest)) == (None, "2023-10-07")


def test_unknown_status_codes_are_refused(treaty):
    refused(
        lambda: TreatyStep.objects.bulk_create([TreatyStep(treaty=treaty, status="ratified", date="2012")])
    )
    body = Body.objects.create(slug="greco", name="GRECO")
    refused(
        lambda: BodyStanding.objects.bulk_create([BodyStanding(body=body, status="associate", date="2012")])
    )


def test_consent_belongs_to_party_steps_only(treaty):
    refused(
        lambda: TreatyStep.objects.create(treaty=treaty, status="signed", date="2012", consent="accession")
    )
    TreatyStep.objects.create(treaty=treaty, status="party", date="2012", consent="accession")


def test_earliest_cannot_be_after_latest(treaty):
    step = TreatyStep.objects.create(treaty=treaty, status="party", date="2012")
    refused(
        lambda: TreatyStep.objects.filter(pk=step.pk).update(
            date_earliest="2013-01-01", date_latest="2012-01-01"
        )
    )


def test_duplicate_keys_are_refused(treaty):
    refused(lambda: Treaty.objects.bulk_create([Treaty(number=141, title="again")]))
    Source.objects.create(key="s", title="A")
    refused(lambda: Source.objects.bulk_create([Source(key="s", title="B")]))
    person = Person.objects.create(slug="m", name="Mustafa Ferati")
    PersonName.objects.create(person=person, name="Mustafa Ferrati")
    refused(lambda: PersonName.objects.create(person=person, name="Mustafa Ferrati"))


def test_treaty_number_0_is_refused(db):
    refused(lambda: Treaty.objects.create(number=0, title="No such treaty"))
    Treaty.objects.create(number=1, title="Statute of the Council of Europe")


def test_body_keys_are_lowercase_slugs(db):
    refused(lambda: Body.objects.create(slug="GRECO", name="GRECO"))


def test_citations_need_a_quote_and_a_reason_when_ranked(db):
    source = Source.objects.create(key="s", title="A")
    event = Event.objects.create(date="2012", title="E", kind="meeting")
    refused(lambda: EventCitation.objects.create(record=event, source=source, quote=""))
    refused(lambda: EventCitation.objects.create(record=event, source=source, quote="q", rank="deprecated"))
    refused(
        lambda: EventCitation.objects.create(
            record=event, source=source, quote="q", rank="bogus", rank_reason="x"
        )
    )
    EventCitation.objects.create(
        record=event, source=source, quote="q", rank="deprecated", rank_reason="disagrees"
    )


def test_a_cited_source_cannot_be_deleted(db):
    from django.db.models import ProtectedError

    source = Source.objects.create(key="s", title="A")
    event = Event.objects.create(date="2012", title="E", kind="meeting")
    EventCitation.objects.create(record=event, source=source, quote="q")
    with pytest.raises(ProtectedError):
        source.delete()


def test_a_citations_paragraph_counts_from_1(db):
    from django.core.exceptions import ValidationError

    event = Event.objects.create(date="2013", title="A visit", kind="visit")
    source = Source.objects.create(key="s", title="A")
    refused(lambda: EventCitation.objects.create(record=event, source=source, quote="q", paragraph=0))
    citation = EventCitation(record=event, source=source, quote="q", paragraph=0)
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "Paragraphs are counted from 1 (the headline)." in error.value.messages
    EventCitation.objects.create(record=event, source=source, quote="q", paragraph=1)


# Archived texts: the quote rule, the hash, passages set aside.

ARCHIVED = (
    "A headline\n\nKazakhstan joined the convention in 2010. It was a big step.\n\nPhotographs: an agency."
)


@pytest.fixture
def archive(db):
    return Source.objects.create(key="archived", title="An archived text", text=ARCHIVED)


def test_an_archived_text_keeps_the_hash_it_was_archived_with(archive):
    assert archive.text_sha256 == hashlib.sha256(ARCHIVED.encode()).hexdigest()
    archive.text = ARCHIVED.replace("2010", "2011")  # changed after it was archived
    with pytest.raises(ValidationError) as refusal:
        archive.full_clean()
    assert refusal.value.message_dict["text"] == [
        "The archived text is not the one that was archived: its SHA-256 differs."
    ]
    refused(lambda: Source.objects.filter(pk=archive.pk).update(text_sha256=""))


def test_a_quote_is_placed_in_its_paragraph_whatever_was_typed(archive):
    event = Event.objects.create(date="2010", title="Joined", kind="accession")
    citation = EventCitation(record=event, source=archive, quote="It was a big step.", paragraph=9)
    citation.full_clean()
    assert citation.paragraph == 2


def test_a_quote_not_in_its_sources_text_is_refused_with_the_closest_passage(archive):
    event = Event.objects.create(date="2010", title="Joined", kind="accession")
    citation = EventCitation(record=event, source=archive, quote="Kazakhstan joined the convention in 2011.")
    with pytest.raises(ValidationError) as refusal:
        citation.full_clean()
    assert refusal.value.message_dict["quote"] == [
        "This is not in the archived text of “An archived text”. The closest passage, in paragraph 2: "
        "“Kazakhstan joined the convention in 2010.”. Copy the words from the text (spacing, quotation "
        'marks and dashes may differ; use "..." to skip words).'
    ]


def test_a_source_with_no_text_checks_no_quote(db):
    register = Source.objects.create(key="register", title="A register")
    event = Event.objects.create(date="2010", title="Joined", kind="accession")
    citation = EventCitation(record=event, source=register, quote="Any words.", paragraph=3)
    citation.full_clean()
    assert citation.paragraph == 3


def test_a_passage_set_aside_is_whole_sentences_of_the_text_with_a_reason(archive):
    aside = SetAside(source=archive, passage="Photographs: an agency.", reason="A credit line.")
    aside.full_clean()
    assert aside.paragraph == 3
    with pytest.raises(ValidationError) as refusal:
        SetAside(source=archive, passage="It was a big", reason="Opinion.").full_clean()
    assert refusal.value.message_dict["passage"] == [
        "A passage set aside is one or more whole sentences; this one holds only part of sentence 2.2 "
        "(“It was a big step.”): set aside the whole sentence, or cite it on the record whose fact it states."
    ]
    register = Source.objects.create(key="register", title="A register")
    with pytest.raises(ValidationError):
        SetAside(source=register, passage="Anything.", reason="No text.").full_clean()
    refused(lambda: SetAside.objects.create(source=archive, passage="A headline", reason=""))
