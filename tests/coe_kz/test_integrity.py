"""`manage.py verify` (coe_kz/integrity.py): the curated data keeps every rule, and what
is written behind the services' back is named, with the record's admin address."""

import io

from django.core.management import call_command
from django.core.management.base import CommandError

from coe_kz.models import Source
from events.models import Event
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
