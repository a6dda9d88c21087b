"""The data the shared fixtures build (tests/conftest.py declares them shared): the curated
data, a small hand-made world whose every fact a test can name, and the export tests'
world. The hand-made worlds are invented for tests only; they are never loaded into the site.
"""

from django.core.management import call_command

from bodies.models import Body, BodyStanding, BodyStandingCitation
from coe_kz.models import Rank, SetAside, Source
from events.models import Event, EventCitation, Participation, Person, PersonCitation, PersonName
from tests.helpers import cite, published
from treaties.models import Treaty, TreatyStep, TreatyStepCitation

QUOTE_GRECO = "application for participation of Kazakhstan was filed in July 2013"
QUOTE_VISIT = "Roman Vassilenko visited the headquarters of the Council of Europe (CoE)"
# The archived text of site_data's news: every quote from it stands in it; its headline is
# neither cited nor set aside (an open sentence), its credit line is set aside.
NEWS_TEXT = (
    "News of 2023\n\n"
    "Roman Vassilenko visited the headquarters. Mustafa Ferrati expressed readiness to assist. "
    "It intends to accede to the Warsaw Convention.\n\n"
    "Kazakhstan has become a full member of GRECO. "
    "It joined the convention on proceeds as well as terrorism financing.\n\n"
    "Photographs: the agency."
)


def curated():
    """The curated data from fixtures/, loaded the way `make run` loads it."""
    call_command("seed", verbosity=0)


def site_data():
    """A small world with one of everything the pages must show: certain and uncertain
    standings, a disagreement between sources, a rejected claim, an undated event, a
    person known under two spellings, and a source with its archived text (the news) and
    one without (the report)."""
    report = published(
        Source, key="report-2018", title="Report of 2018", publisher="Ministry", published="2018-09-20"
    )
    news = published(
        Source,
        key="news-2023",
        title="News of 2023",
        publisher="Agency",
        published="2023-10-07",
        text=NEWS_TEXT,
        full_text_public=True,
    )
    published(SetAside, source=news, passage="Photographs: the agency.", paragraph=4, reason="A credit line.")

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


def world():
    """A treaty, a body, an event and a person, each with a citation from one source, whose
    archived text holds the quotes."""
    source = published(
        Source,
        key="mfa-2023-10-07",
        title="Vassilenko at the Council of Europe",
        text=f"Vassilenko at the Council of Europe\n\nDeputy Minister {QUOTE_VISIT}.\n\n"
        f"Kazakhstan is party to Conventions Nos. 141 and 127. Its {QUOTE_GRECO}.",
    )
    treaty = published(Treaty, number=141, title="Convention on Laundering", opened="1990-11-08")
    signed = published(TreatyStep, treaty=treaty, status="signed", date="2012-03")
    published(TreatyStep, treaty=treaty, status="party", date="2015-01-01", consent="accession")
    published(TreatyStepCitation, record=signed, source=source, quote="Conventions Nos. 141", paragraph=19)
    greco = published(Body, slug="greco", name="Group of States against Corruption", acronym="GRECO")
    applicant = published(BodyStanding, body=greco, status="applicant", date="2013-07")
    published(BodyStanding, body=greco, status="member", date="2018-09-20/2023-10-07")
    published(
        BodyStandingCitation,
        record=applicant,
        source=source,
        quote=QUOTE_GRECO,
        rank="preferred",
        rank_reason="Dated to the month.",
    )
    person = published(
        Person, slug="roman-vassilenko", name="Roman Vassilenko", description="Deputy Minister"
    )
    PersonName.objects.create(publication="published", person=person, name="R. Vassilenko")
    PersonName.objects.create(publication="published", person=person, name="Roman Vasilenko")
    published(PersonCitation, record=person, source=source, quote="Roman Vassilenko")
    event = published(
        Event,
        date="../2023-10-07",
        title="Vassilenko visits the Council of Europe",
        kind="visit",
        location="Strasbourg",
    )
    event.treaties.set([treaty])
    event.bodies.set([greco])
    Participation.objects.create(
        publication="published", event=event, person=person, role="Deputy Minister of Foreign Affairs"
    )
    published(EventCitation, record=event, source=source, quote=QUOTE_VISIT, paragraph=2, note="The visit.")
    return {"source": source, "treaty": treaty, "greco": greco, "event": event, "person": person}
