"""`manage.py verify` (coe_kz/integrity.py): the curated data keeps every rule, and what
is written behind the services' back is named, with the record's admin address."""

import io

from django.core.management import call_command
from django.core.management.base import CommandError

from coe_kz.models import SetAside, Source
from events.models import Event, EventCitation, Person, PublicEventCount, PublicEventTotal
from tests.helpers import cite, published
from treaties.models import Treaty, TreatyStep, TreatyStepCitation


def verify() -> tuple[str, bool]:
    """What verify printed, and whether it passed."""
    out = io.StringIO()
    try:
        call_command("verify", stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), False
    return out.getvalue(), True


def test_the_curated_data_keeps_every_rule(curated):
    output, passed = verify()
    assert passed, output
    assert "0 breaches, 0 warnings" in output


def test_a_number_the_database_keeps_that_is_not_the_count_is_named(curated):
    person = Person.objects.filter(public_events__events__gt=0).order_by("pk").first()
    PublicEventCount.objects.filter(person=person).update(events=99)  # as raw SQL would
    PublicEventTotal.objects.update(events=7)
    published_events = Event.objects.published().count()
    output, passed = verify()
    assert not passed
    assert f"BREACH person “{person}”: the database keeps 99 public events for them; they have " in output
    assert f"/admin/events/person/{person.pk}/change/" in output
    assert f"the database keeps it, but {published_events} events are published." in output
    assert "/admin/events/event/\n" in output  # the events' list: the total has no page
    assert "2 breaches, 0 warnings" in output


def test_a_published_event_whose_citations_were_removed_behind_the_admins_back_is_named(curated):
    event = Event.objects.published().order_by("pk").first()
    event.citations.all().delete()  # as a shell or a data migration would
    output, passed = verify()
    assert not passed
    assert f"BREACH event “{event}”: published, but cites no source the public can see" in output
    assert f"/admin/events/event/{event.pk}/change/" in output
    assert "1 breach, 0 warnings" in output


def test_stale_date_bounds_and_a_bad_date_are_breaches(curated):
    event = Event.objects.published().filter(date="2013-12-19").first()
    Event.objects.filter(pk=event.pk).update(date_latest="2014-01-01")
    step = TreatyStep.objects.first()
    TreatyStep.objects.filter(pk=step.pk).update(date="2015-02-30")
    output, passed = verify()
    assert not passed
    assert (
        "date “2013-12-19” means 2013-12-19 to 2013-12-19, but 2013-12-19 to 2014-01-01 is stored." in output
    )
    assert "date: “2015-02-30” is not a date." in output


def test_steps_out_of_order_are_a_warning_not_a_breach(db):
    source = published(Source, key="a-source", title="A source")
    treaty = published(Treaty, number=4242, title="A convention", kind="convention")
    for status, date in (("party", "2010"), ("signed", "2015")):
        step = published(TreatyStep, treaty=treaty, status=status, date=date)
        cite(TreatyStepCitation, step, source, f"It is {status}.")
    output, passed = verify()
    assert passed, output
    assert "WARNING treaty “CETS No. 4242 A convention”: check the order of its steps:" in output
    assert "0 breaches, 1 warning." in output


def test_a_quote_changed_behind_the_admins_back_is_a_breach_naming_the_closest_passage(curated):
    citation = TreatyStepCitation.objects.get(pk=1)
    citation.quote = citation.quote.replace("February 27, 2010", "2010")
    TreatyStepCitation.objects.filter(pk=1).update(quote=citation.quote)  # as a shell would
    output, passed = verify()
    assert not passed
    assert (
        f"BREACH treaty step citation “{citation}”: quote: This is not in the archived text of "
        "“Cooperation of the Republic of Kazakhstan with the Council of Europe”. The closest passage, in "
        "paragraph 21: “according to Resolution No. 144 of the Government of the Republic of Kazakhstan "
        "dated February 27, 2010, Kazakhstan joined the European Cultural Convention of December 19, 1954.”"
    ) in output
    assert f"/admin/treaties/treatystepcitation/{citation.pk}/change/" in output
    assert "1 breach, 0 warnings" in output


def test_a_paragraph_typed_behind_the_admins_back_is_a_breach(curated):
    EventCitation.objects.filter(pk=1).update(paragraph=7)
    output, passed = verify()
    assert not passed
    assert "paragraph: 7 is stored, but the text gives 2 (re-save it)." in output


def test_an_archived_text_changed_behind_the_admins_back_is_a_breach(curated):
    source = Source.objects.get(pk="mfa-2023-10-07")
    Source.objects.filter(pk=source.pk).update(text=source.text.replace("70%", "80%"))
    output, passed = verify()
    assert not passed
    assert "text: The archived text is not the one that was archived: its SHA-256 differs." in output
    assert "quote: This is not in the archived text" in output  # the 70% quote


def test_a_sentence_neither_cited_nor_set_aside_is_a_warning(curated):
    SetAside.objects.filter(passage__startswith="Created at").delete()
    output, passed = verify()
    assert passed, output
    assert (
        "WARNING source “Cooperation of the Republic of Kazakhstan with the Council of Europe”: "
        "sentence 27.1 (“Created at : 20.09.2018, 09:10, Updated at : 20.09.2018, 09:10”) is neither "
        "cited nor set aside."
    ) in output
    assert "0 breaches, 1 warning." in output
