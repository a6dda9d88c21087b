"""Data for the public-site tests: a small hand-made world whose every fact a test can
name, and a generated one of thousands of events for pinning query counts.

Import the fixtures into a test module (`from tests.page_conftest import site_data`).
The small world is invented for tests only; it is never loaded into the site.
"""

import functools
import itertools
import re

import pytest

from bodies.models import Body, BodyStanding, BodyStandingCitation
from coe_kz.dates import DateBounds, edtf_fields, parse_bounds
from coe_kz.models import Rank, Source
from coe_kz.text import fill_search_text
from events.models import Event, EventCitation, Participation, Person, PersonCitation, PersonName
from treaties.models import Treaty, TreatyStep, TreatyStepCitation


def rows(html: str) -> list[str]:
    """The text of each row in the page's first table body, tags and extra spaces removed."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>")[:-1]]


def text(html: str) -> str:
    """A page's text as a reader sees it: tags removed, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


PUBLISHED = "published"


def published(model, **fields):
    """Create a record the public sees: records start as drafts."""
    return model.objects.create(publication=PUBLISHED, **fields)


def cite(model, record, source, quote, **fields):
    """A published citation (unless `publication` says otherwise)."""
    fields.setdefault("publication", PUBLISHED)
    return model.objects.create(record=record, source=source, quote=quote, **fields)


@pytest.fixture
def site_data(db):
    """A small world with one of everything the pages must show: certain and uncertain
    standings, a disagreement between sources, a rejected claim, an undated event and a
    person known under two spellings."""
    report = published(
        Source, key="report-2018", title="Report of 2018", publisher="Ministry", published="2018-09-20"
    )
    news = published(
        Source, key="news-2023", title="News of 2023", publisher="Agency", published="2023-10-07"
    )

    t141 = published(Treaty, number=141, title="Convention on Laundering", kind="convention")
    t198 = published(Treaty, number=198, title="Warsaw Convention", short_title="Warsaw", kind="convention")
    t208 = published(Treaty, number=208, title="Protocol amending 127", kind="protocol")
    party = published(
        TreatyStep, treaty=t141, status="party", date="2013-12-19/2018-09-20", consent="accession"
    )
    cite(
        TreatyStepCitation,
        party,
        report,
        "Kazakhstan has acceded to Convention No. 141.",
        rank=Rank.PREFERRED,
        rank_reason="Names the convention by its number.",
        paragraph=19,
    )
    interested = published(TreatyStep, treaty=t198, status="interested", date="../2023-10-07")
    cite(TreatyStepCitation, interested, news, "It intends to accede to the Warsaw Convention.")
    rejected = published(TreatyStep, treaty=t198, status="party", date="../2023-10-07")
    cite(
        TreatyStepCitation,
        rejected,
        news,
        "It joined the convention on proceeds as well as terrorism financing.",
        rank=Rank.DEPRECATED,
        rank_reason="The title is that of 198, but the convention joined is 141.",
    )
    signed = published(TreatyStep, treaty=t208, status="signed", date="2015")
    cite(TreatyStepCitation, signed, report, "Kazakhstan signed Protocol No. 208.")

    greco = published(
        Body,
        slug="greco",
        name="Group of States against Corruption",
        acronym="GRECO",
        kind="partial_agreement",
    )
    venice = published(
        Body, slug="venice-commission", name="Venice Commission", kind="enlarged_partial_agreement"
    )
    cepej = published(Body, slug="cepej", name="Efficiency of Justice", acronym="CEPEJ", kind="commission")
    applicant = published(BodyStanding, body=greco, status="applicant", date="2013-07")
    cite(BodyStandingCitation, applicant, report, "Application was filed in July 2013.")
    member = published(BodyStanding, body=greco, status="member", date="2018-09-20/2023-10-07")
    cite(
        BodyStandingCitation,
        member,
        news,
        "Kazakhstan has become a full member of GRECO.",
        rank=Rank.PREFERRED,
        rank_reason="The only source that reports membership.",
    )
    cite(
        BodyStandingCitation,
        member,
        report,
        "Kazakhstan currently participates only in one of them.",
        rank=Rank.DEPRECATED,
        rank_reason="True in 2018 only; superseded by the 2023 report.",
    )
    venice_member = published(BodyStanding, body=venice, status="member", date="2012-03")
    cite(BodyStandingCitation, venice_member, report, "A participant since March 2012.")
    observer = published(BodyStanding, body=cepej, status="observer", date="2018")
    cite(BodyStandingCitation, observer, report, "In 2018 it gained observer status in CEPEJ.")

    vassilenko = published(
        Person,
        slug="roman-vassilenko",
        name="Roman Vassilenko",
        description="Deputy Minister of Foreign Affairs",
    )
    ferati = published(Person, slug="mustafa-ferati", name="Mustafa Ferati", description="Head of division")
    PersonName.objects.create(
        publication="published", person=ferati, name="Mustafa Ferrati", note="Spelling in the 2023 text."
    )
    cite(PersonCitation, ferati, news, "Mustafa Ferrati expressed readiness to assist.")

    applies = published(Event, date="2013-07", title="Kazakhstan applies to join GRECO", kind="application")
    applies.bodies.add(greco)
    cite(EventCitation, applies, report, "Application was filed in July 2013.")
    visit = published(
        Event,
        date="../2023-10-07",
        title="Deputy minister visits Strasbourg",
        kind="visit",
        location="Strasbourg",
    )
    visit.treaties.add(t198)
    Participation.objects.create(
        publication="published", event=visit, person=vassilenko, role="Deputy Minister of Foreign Affairs"
    )
    Participation.objects.create(publication="published", event=visit, person=ferati, role="Head of division")
    cite(EventCitation, visit, news, "Roman Vassilenko visited the headquarters.")
    accession = published(
        Event, date="2013-12-19/2018-09-20", title="Kazakhstan accedes to Convention 141", kind="accession"
    )
    accession.treaties.add(t141)
    undated = published(Event, date="XXXX", title="A meeting no source dates", kind="meeting")
    return {
        "sources": (report, news),
        "treaties": (t141, t198, t208),
        "bodies": (greco, venice, cepej),
        "people": (vassilenko, ferati),
        "events": (applies, visit, accession, undated),
    }


@pytest.fixture
def spellings(site_data):
    """Two people whose names a reader may type with other accents than the sources:
    Björn Berge (at the Strasbourg visit), and J. Xucla, whom the sources spell without
    the accent of Xuclà."""
    berge = published(Person, slug="bjorn-berge", name="Björn Berge", description="Deputy Secretary General")
    xucla = published(Person, slug="jordi-xucla", name="J. Xucla", description="Head of the PACE mission")
    PersonName.objects.create(
        publication="published", person=xucla, name="J.Xucla", note="Spelling in the 2016 text."
    )
    visit = site_data["events"][1]
    Participation.objects.create(
        publication="published", event=visit, person=berge, role="Deputy Secretary General"
    )
    return site_data


@functools.cache
def _bounds(text: str) -> DateBounds:
    return parse_bounds(text) if text else DateBounds(None, None)


def _as_saved(obj):
    """bulk_create sends no pre_save signal: fill the date bounds and the search text as a
    save would (parsing each distinct date string once, which keeps thousands of rows quick)."""
    fill_search_text(obj)
    for field in edtf_fields(type(obj)):
        bounds = _bounds(getattr(obj, field.attname))
        setattr(obj, f"{field.attname}_earliest", bounds.earliest)
        setattr(obj, f"{field.attname}_latest", bounds.latest)
    return obj


def generate(*, events: int, treaties: int, bodies: int, people: int, sources: int = 4) -> dict:
    """Bulk-create a world of the given size, every record cited, every event linked to a
    treaty, a body and two people. Returns the first of each, for detail pages; the
    first treaty, body, person and source gather citations or events from everywhere."""
    source_rows = Source.objects.bulk_create(
        _as_saved(
            Source(
                publication=PUBLISHED,
                key=f"gen-source-{i}",
                title=f"Generated source {i}",
                published=f"{2000 + i}",
            )
        )
        for i in range(sources)
    )
    treaty_rows = Treaty.objects.bulk_create(
        _as_saved(
            Treaty(
                publication=PUBLISHED, number=1000 + i, title=f"Generated convention {i}", kind="convention"
            )
        )
        for i in range(treaties)
    )
    steps = TreatyStep.objects.bulk_create(
        _as_saved(TreatyStep(publication=PUBLISHED, treaty=t, status=status, date=date))
        for t in treaty_rows
        for status, date in (("signed", "2001-05"), ("party", "2003/2005"))
    )
    TreatyStepCitation.objects.bulk_create(
        TreatyStepCitation(
            publication=PUBLISHED, record=s, source=source_rows[i % sources], quote=f"Step {i} happened."
        )
        for i, s in enumerate(steps)
    )
    body_rows = Body.objects.bulk_create(
        _as_saved(
            Body(
                publication=PUBLISHED,
                slug=f"gen-body-{i}",
                name=f"Generated body {i}",
                kind="partial_agreement",
            )
        )
        for i in range(bodies)
    )
    standings = BodyStanding.objects.bulk_create(
        _as_saved(BodyStanding(publication=PUBLISHED, body=b, status=status, date=date))
        for b in body_rows
        for status, date in (("applicant", "2010"), ("member", "../2023-10-07"))
    )
    BodyStandingCitation.objects.bulk_create(
        BodyStandingCitation(
            publication=PUBLISHED, record=s, source=source_rows[i % sources], quote=f"Standing {i} held."
        )
        for i, s in enumerate(standings)
    )
    person_rows = Person.objects.bulk_create(
        _as_saved(Person(publication=PUBLISHED, slug=f"gen-person-{i:04d}", name=f"Person {i:04d}"))
        for i in range(people)
    )
    PersonName.objects.bulk_create(
        _as_saved(PersonName(publication="published", person=p, name=f"Persson {p.slug[-4:]}"))
        for p in person_rows
    )
    PersonCitation.objects.bulk_create(
        PersonCitation(publication=PUBLISHED, record=p, source=source_rows[0], quote=f"{p.name} was there.")
        for p in person_rows
    )
    dates = itertools.cycle(["2015-03", "2016-07-01", "../2019-10-07", "2017/2019", "XXXX", "2020"])
    kinds = itertools.cycle(["visit", "meeting", "signature", "report"])
    event_rows = Event.objects.bulk_create(
        _as_saved(
            Event(publication=PUBLISHED, date=next(dates), title=f"Generated event {i}", kind=next(kinds))
        )
        for i in range(events)
    )
    Event.treaties.through.objects.bulk_create(
        Event.treaties.through(event=e, treaty=treaty_rows[0 if i % 2 else i % treaties])
        for i, e in enumerate(event_rows)
    )
    Event.bodies.through.objects.bulk_create(
        Event.bodies.through(event=e, body=body_rows[0 if i % 2 else i % bodies])
        for i, e in enumerate(event_rows)
    )
    Participation.objects.bulk_create(
        Participation(publication="published", event=e, person=person_rows[p], role=f"Role {p % 3}")
        for i, e in enumerate(event_rows)
        for p in {0, 1 + i % (people - 1)}
    )
    EventCitation.objects.bulk_create(
        EventCitation(publication=PUBLISHED, record=e, source=source_rows[0], quote=f"Event {i} took place.")
        for i, e in enumerate(event_rows)
    )
    return {
        "treaty": treaty_rows[0],
        "body": body_rows[0],
        "person": person_rows[0],
        "source": source_rows[0],
        "event": event_rows[0],
    }
