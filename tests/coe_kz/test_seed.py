"""Loading the curated data: what the texts state, with history, once."""

import datetime

from django.core.management import call_command

from bodies.models import Body
from coe_kz.models import Source
from coe_kz.site.standing import standing_on
from events.models import Event, Person
from treaties.models import Treaty, TreatyStep


def test_the_curated_data_loads_with_a_history_row_each(curated):
    assert Treaty.objects.count() == 9
    assert Body.objects.filter(kind__in=["partial_agreement", "enlarged_partial_agreement"]).count() == 13
    for model in (Source, Treaty, TreatyStep, Body, Event, Person):
        for obj in model.objects.all():
            first = obj.history.earliest()
            assert first.history_user.username == "seed"
            assert first.history_change_reason == "Initial import from the curated fixtures"


def test_seeding_twice_changes_nothing(curated):
    events = Event.history.count()
    call_command("seed", verbosity=0)
    assert Event.history.count() == events


def test_every_step_event_and_person_cites_a_source(curated):
    for step in TreatyStep.objects.all():
        assert step.citations.exists(), step
    for body in Body.objects.prefetch_related("standings__citations"):
        for standing in body.standings.all():
            assert standing.citations.exists(), standing
    for record in list(Event.objects.all()) + list(Person.objects.all()):
        assert record.citations.exists(), record


def test_kazakhstans_standing_in_mid_2015_as_the_sources_give_it(curated):
    rows = {(r.kind, r.key): r.answer for r in standing_on(datetime.date(2015, 6, 30))}
    assert (rows["body", "greco"].status, rows["body", "greco"].certain) == ("applicant", True)
    assert rows["body", "venice-commission"].since == "2012-03"
    # ETS 18 was joined under a resolution of 27 February 2010, by the 2018 page's date:
    # not certainly yet in 2015.
    assert (rows["treaty", "18"].status, rows["treaty", "18"].possible) == ("none", ("party",))
    # The accession to ETS 141 fell somewhere between December 2013 and September 2018.
    assert (rows["treaty", "141"].status, rows["treaty", "141"].certain) == ("none", False)
    # The deprecated claim that Kazakhstan joined CETS 198 does not count.
    assert rows["treaty", "198"].possible == ("interested",)


def test_the_spelling_ferrati_is_kept_as_another_name(curated):
    person = Person.objects.get(slug="mustafa-ferati")
    assert [n.name for n in person.other_names.all()] == ["Mustafa Ferrati"]
    ranks = sorted(c.rank for c in person.citations.all())
    assert ranks == ["deprecated", "preferred"]
