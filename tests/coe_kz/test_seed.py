"""Loading the curated data: what the texts state, with history, once."""

import datetime
import hashlib
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from bodies.models import Body, BodyStanding
from coe_kz.coverage import accounted_for
from coe_kz.management.commands.seed import archive_texts
from coe_kz.models import Source
from coe_kz.passages import archived
from coe_kz.records import citation_models
from coe_kz.site.standing import standing_on
from events.models import Event, EventCitation, Person, PersonCitation
from treaties.models import Treaty, TreatyStep, TreatyStepCitation


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


# The archived texts and the quote rule.

TEXTS = ("regional-office-article", "mfa-2023-10-07", "kz-coe-cooperation-2018")


def test_the_three_texts_are_archived_with_their_hashes_and_the_register_keeps_none(curated):
    sums = (settings.BASE_DIR / "fixtures" / "texts" / "SHA256SUMS").read_text().splitlines()
    archived = {name.removesuffix(".txt"): digest for digest, name in (line.split("  ") for line in sums)}
    assert set(archived) == set(TEXTS)
    for key in TEXTS:
        source = Source.objects.get(pk=key)
        assert source.text_sha256 == archived[key] == hashlib.sha256(source.text.encode()).hexdigest()
    assert Source.objects.get(pk="coe-treaty-office").text == ""


def test_every_quote_stands_in_its_sources_text_in_the_paragraph_it_names(curated):
    for model in citation_models():
        for citation in model.objects.select_related("source"):
            found = archived(citation.source.text).find(citation.quote)
            assert found is not None, citation
            assert citation.paragraph == found.paragraph, citation
    # Paragraphs count as they always have: the headline (or the page's header line) is 1.
    assert TreatyStepCitation.objects.get(pk=1).paragraph == 21
    assert TreatyStepCitation.objects.get(pk=3).paragraph == 19
    assert EventCitation.objects.get(pk=22).paragraph == 2
    assert PersonCitation.objects.get(pk=12).paragraph == 24


def test_every_sentence_of_the_three_texts_is_cited_or_set_aside_for_a_stated_reason(curated):
    accounted = accounted_for(Source.objects.filter(pk__in=TEXTS))
    sentences = [a for key in TEXTS for a in accounted[key]]
    assert len(sentences) == 66
    assert [a.sentence.label for a in sentences if a.is_open] == []
    aside = {
        (key, a.sentence.label) for key in TEXTS for a in accounted[key] if a.set_aside and not a.cited_by
    }
    # Only what states no fact about Kazakhstan and the Council of Europe: headlines and
    # stamps, the authors' own comments, background on the Council of Europe alone.
    assert aside == {
        ("regional-office-article", "3.1"),
        ("mfa-2023-10-07", "1.1"),
        ("mfa-2023-10-07", "13.1"),
        ("mfa-2023-10-07", "13.2"),
        ("mfa-2023-10-07", "13.3"),
        ("kz-coe-cooperation-2018", "1.1"),
        ("kz-coe-cooperation-2018", "19.2"),
        ("kz-coe-cooperation-2018", "22.1"),
        ("kz-coe-cooperation-2018", "27.1"),
    }


def test_a_text_whose_hash_differs_from_its_record_is_refused(curated, tmp_path):
    texts = settings.BASE_DIR / "fixtures" / "texts"
    for path in texts.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    archive_texts(tmp_path)  # as archived: accepted
    changed = tmp_path / "mfa-2023-10-07.txt"
    changed.write_bytes(changed.read_bytes().replace(b"70%", b"80%"))
    with pytest.raises(CommandError, match="is not the text archived for “mfa-2023-10-07”"):
        archive_texts(tmp_path)


def test_the_shared_quote_checker_finds_every_quote_of_the_citations_export(client, curated, tmp_path):
    checker = settings.BASE_DIR.parent / "shared" / "tools" / "check_quotes.py"
    if not checker.exists():
        pytest.skip("../shared/tools/check_quotes.py is not beside this checkout")
    export = tmp_path / "citations.csv"
    export.write_bytes(b"".join(client.get("/export/citations.csv").streaming_content))
    done = subprocess.run([sys.executable, str(checker), str(export)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    total = sum(model.objects.count() for model in citation_models())
    assert done.stdout.startswith(f"{total} of {total} quotes found verbatim"), done.stdout


# The fact-check's corrections, at their edges.


def standing(day: datetime.date) -> dict:
    return {(row.kind, row.key): row.answer for row in standing_on(day)}


def test_observer_seats_of_2018_hold_on_the_day_of_the_page_that_reports_them(curated):
    page_day = standing(datetime.date(2018, 9, 20))
    for body in ("cepej", "ccje"):
        assert (page_day["body", body].status, page_day["body", body].certain) == ("observer", True)
    new_year = standing(datetime.date(2018, 1, 1))
    assert (new_year["body", "cepej"].status, new_year["body", "cepej"].possible) == ("none", ("observer",))
    assert standing(datetime.date(2017, 12, 31))["body", "ccje"].certain


def test_greco_membership_starts_after_the_day_the_2018_page_shows_only_the_application(curated):
    page_day = standing(datetime.date(2018, 9, 20))["body", "greco"]
    assert (page_day.status, page_day.certain) == ("applicant", True)
    next_day = standing(datetime.date(2018, 9, 21))["body", "greco"]
    assert (next_day.status, next_day.possible) == ("applicant", ("member",))
    assert standing(datetime.date(2023, 10, 7))["body", "greco"].status == "member"


def test_the_venice_commissions_cooperation_is_dated_by_its_first_activity_not_1998(curated):
    answers = {
        year: standing(datetime.date(year, 6, 30))["body", "venice-commission"] for year in (2000, 2010)
    }
    assert (answers[2000].status, answers[2000].certain) == ("none", True)
    assert (answers[2010].status, answers[2010].since) == ("cooperation", "2007")
    rejected = BodyStanding.objects.get(body="venice-commission", date="1998")
    assert rejected.is_deprecated and rejected.citations.get().rank == "deprecated"
    # Kazakhstan is not a member of the Council of Europe: it cooperates, since 1997.
    coe = standing(datetime.date(2023, 10, 7))["body", "coe"]
    assert (coe.status, coe.since) == ("cooperation", "1997")


def test_the_cultural_convention_event_dates_the_resolution_not_the_joining(curated):
    resolution = Event.objects.get(date="2010-02-27")
    assert resolution.title == (
        "Government Resolution No. 144, under which Kazakhstan joined the European Cultural Convention"
    )
    assert TreatyStep.objects.get(treaty=18).date == "2010-02-27/2018-09-20"


def test_the_undated_meeting_and_announcement_have_the_bounds_the_article_gives(curated):
    meeting = Event.objects.get(kind="meeting", location="Strasbourg")
    announcement = Event.objects.get(title="The Council of Europe announces a regional office in Kazakhstan")
    assert (meeting.date, str(meeting.date_earliest)) == ("2013-12-19/..", "2013-12-19")
    assert (announcement.date, str(announcement.date_earliest)) == ("2017/..", "2017-01-01")


def test_the_missing_facts_are_recorded(curated):
    programme = Event.objects.get(title__startswith="EU–Council of Europe joint programme")
    assert sorted(programme.treaties.values_list("number", flat=True)) == [127, 141, 208]
    assert Event.objects.filter(title__contains="new programme for Kazakhstan and the region").exists()
    istanbul = Event.objects.get(title__contains="70% consistent with the Istanbul Convention")
    assert list(istanbul.treaties.values_list("number", flat=True)) == [210]
    priorities = Event.objects.get(title__contains="2024–2027")
    assert "Azerbaijan, Cyprus, the Netherlands, France, the United Kingdom, the European Union" in (
        priorities.summary
    )
    visit = Event.objects.get(pk=16)
    assert "Council of Europe supports" not in visit.summary and "Mustafa Ferati offers help" in visit.summary
    assert "the abolition of the death penalty" in visit.summary
    for person in ("gianni-buquicchio", "kassym-jomart-tokayev"):
        assert Person.objects.get(pk=person).participations.exists(), person
    observer = Event.objects.get(title="Kazakhstan gains observer status in CEPEJ and the CCJE")
    assert (observer.kind, observer.date) == ("observer", "2018-01-01/2018-09-20")
    titles = Event.objects.filter(kind="programme").values_list("title", flat=True)
    assert sum(title.startswith("Neighbourhood Co-operation Priorities") for title in titles) == 3


def test_the_consent_to_ets_127_and_cets_208_keeps_the_2018_wording_with_the_doubt_noted(curated):
    for number in (127, 208):
        step = TreatyStep.objects.get(treaty=number, status="party")
        assert step.consent == "accession"
        assert "may record signature and ratification instead" in step.note


def test_no_public_page_names_an_internal_file(client, curated):
    urls = [source.get_absolute_url() for source in Source.objects.all()] + [
        "/sources/",
        "/export/sources.csv",
    ]
    for url in urls:
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Seed text" not in content and b".txt" not in content, url
