"""Dated events of Kazakhstan's relations with the Council of Europe, and the people in them."""

from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bodies.models import Body
from coe_kz.dates import EDTFField, bound_fields, bounds_constraint
from coe_kz.history import CuratedHistory, LinkedHistoricalRecords
from coe_kz.integrity import Finding
from coe_kz.models import (
    CitationBase,
    OrderIndex,
    Publication,
    Publishable,
    PublishableQuerySet,
    publication_rules,
)
from coe_kz.text import SearchTextField
from treaties.models import Treaty


class EventKind(models.TextChoices):
    COOPERATION = "cooperation", _("Cooperation")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")
    SIGNATURE = "signature", _("Signature")
    ACCESSION = "accession", _("Accession")
    APPLICATION = "application", _("Application")
    MEMBERSHIP = "membership", _("Membership")
    OBSERVER = "observer", _("Observer status")
    DECLARATION = "declaration", _("Declaration")
    RESOLUTION = "resolution", _("Resolution")
    PROGRAMME = "programme", _("Programme")
    MISSION = "mission", _("Mission")
    OPINION = "opinion", _("Opinion")
    REPORT = "report", _("Report")
    STATEMENT = "statement", _("Statement")
    ANNOUNCEMENT = "announcement", _("Announcement")


def filed_day(path: str = "") -> Coalesce:
    """The one day an event is filed under: the earliest it can mean or, for an "on or
    before" date, the latest; none for an event no source dates. `path` reaches the event
    from another model ("event__" from a participation)."""
    return Coalesce(f"{path}date_earliest", f"{path}date_latest")


def list_order(path: str = "") -> list:
    """The events list's order, oldest first and undated events last, for events or for
    rows that reach an event by `path`."""
    return [
        filed_day(path).asc(nulls_last=True),
        models.F(f"{path}date_latest").asc(nulls_last=True),
        f"{path}title",
        "pk",
    ]


def recent_first_order() -> list:
    """The list's order reversed (latest events first), undated events still last."""
    return [
        filed_day().desc(nulls_last=True),
        models.F("date_latest").desc(nulls_first=True),
        models.F("title").desc(),
        models.F("id").desc(),
    ]


class EventQuerySet(PublishableQuerySet):
    """Events in the site's two orders, by the day each is filed under (`filed_day`)."""

    def filed(self):
        return self.annotate(filed=filed_day())

    def in_list_order(self):
        """As the events list shows them (with `filed` for its year filter)."""
        return self.filed().order_by(*list_order())

    def recent_first(self):
        """The list's order reversed (latest events first), undated events still last:
        the feed, the home page's latest events, a treaty's or body's events."""
        return self.filed().order_by(*recent_first_order())

    def for_list(self, *, published_only: bool = False):
        """The named joins every list of events shows: treaties, bodies, people. With
        `published_only`, what the public sees: published events, with only their
        published treaties, bodies and people.

        Participations come with their people joined, not prefetched as
        `participations__person`: Django prefetches a forward foreign key with one OR
        term per person, and a page naming over ~1,000 people exceeds SQLite's
        expression depth limit ("Expression tree is too large")."""
        treaties, bodies = Treaty.objects.all(), Body.objects.all()
        participations = Participation.objects.select_related("person")
        events = self
        if published_only:
            events = self.published()
            treaties, bodies = treaties.published(), bodies.published()
            participations = participations.published().filter(person__publication=Publication.PUBLISHED)
        return events.prefetch_related(
            models.Prefetch("treaties", queryset=treaties),
            models.Prefetch("bodies", queryset=bodies),
            models.Prefetch("participations", queryset=participations),
        )


class Event(Publishable):
    """Something that happened on a (possibly partial) date: a visit, a signature, an accession."""

    date = EDTFField(help_text=_("When it happened, as EDTF; XXXX when no source dates it."))
    date_earliest, date_latest = bound_fields("date", _("the event's date"))
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    location = models.CharField(
        max_length=200, blank=True, help_text=_("Only where a source names the place.")
    )
    summary = models.TextField(blank=True)
    treaties = models.ManyToManyField(Treaty, blank=True, related_name="events")
    bodies = models.ManyToManyField(Body, blank=True, related_name="events")
    search_text = SearchTextField(of=["title", "summary", "location"])

    objects = EventQuerySet.as_manager()
    history = LinkedHistoricalRecords(m2m_fields=[treaties, bodies])

    class Meta:
        ordering = list_order()
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values),
                name="event_kind_valid",
                violation_error_message="Unknown kind of event.",
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="event_title_required",
                violation_error_message="An event needs a title.",
            ),
            bounds_constraint("event", "date"),
            publication_rules("event", "events")["constraint"],
        ]
        permissions = [publication_rules("event", "events")["permission"]]
        indexes = [
            models.Index(fields=["kind", "date_earliest"], name="event_kind_date_idx"),
            # The public lists in their two orders (list_order, recent_first), so the first
            # page of events and the latest few are read from an index, not sorted from all.
            OrderIndex(
                *list_order()[:-1],
                models.F("id").asc(),
                name="event_list_order_idx",
                condition=Q(publication=Publication.PUBLISHED),
            ),
            OrderIndex(
                *recent_first_order(),
                name="event_recent_first_idx",
                condition=Q(publication=Publication.PUBLISHED),
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.title}"

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    @property
    def log_label(self) -> str:
        return self.title

    @property
    def cited_label(self) -> str:
        return f"“{self.title}”"


def _link_label(link) -> str:
    """A row of the tables Django makes for an event's treaties and bodies, as the admin
    lists it when a deletion takes it along ("Event_bodies object (15)" otherwise)."""
    record = link.treaty if isinstance(link, Event.treaties.through) else link.body
    return f"“{link.event.title}” concerns {record}"


Event.treaties.through.__str__ = _link_label
Event.bodies.through.__str__ = _link_label


class Person(Publishable):
    """A person named in a source, under the spelling editors prefer."""

    slug = models.SlugField(primary_key=True, max_length=80, help_text=_("Key in URLs and exports."))
    name = models.CharField(max_length=200, help_text=_("The spelling editors prefer."))
    description = models.CharField(
        max_length=300, blank=True, help_text=_("Who they are, in a line, as the sources describe them.")
    )
    search_text = SearchTextField(of=["name"])

    history = CuratedHistory()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [publication_rules("person", "people")["constraint"]]
        permissions = [publication_rules("person", "people")["permission"]]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:detail", args=[self.slug])

    @property
    def cited_label(self) -> str:
        return self.name


class PublicEventCount(models.Model):
    """How many events the public sees a person take part in: their published
    participations in published events. /people/ reads each listed person's number here
    instead of counting their events, which took longer the more events there were.

    The database keeps it, with triggers on participations, events and people (migration
    0011_public_counts), whatever writes them: the publication services, imports,
    `seed`, a restore, a bulk load or raw SQL. The site never writes it (a row loaddata
    writes is made the count: `_kept_as_counted`); a person with no row (none yet) has 0."""

    person = models.OneToOneField(
        Person,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the database removes the row with its person
        db_constraint=False,
        related_name="public_events",
    )
    events = models.IntegerField()

    def __str__(self):
        return f"{self.person_id}: {self.events}"

    @classmethod
    def kept_number_findings(cls):
        """(`manage.py verify`) Each person whose kept number is not the count of their
        published participations in published events, in one query."""
        public = Q(participations__publication=Publication.PUBLISHED)
        public &= Q(participations__event__publication=Publication.PUBLISHED)
        people = Person.objects.annotate(
            counted=Count("participations", filter=public), kept=Coalesce("public_events__events", 0)
        ).exclude(counted=F("kept"))
        for person in people.order_by("pk"):
            problem = f"the database keeps {person.kept} public events for them; they have {person.counted}."
            yield Finding(person, problem)


class PublicEventTotal(models.Model):
    """The number of published events, in its one row: the events list shows it, with
    its page links, when no filter narrows the list, instead of counting every event.
    The database keeps it, as it keeps PublicEventCount (migration 0011_public_counts)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    events = models.IntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="publiceventtotal_one_row")]

    def __str__(self):
        return f"{self.events} published events"

    @classmethod
    def kept_number_findings(cls):
        """(`manage.py verify`) The kept number of published events, if it is not their count
        (with no row kept, the events are counted: see published_event_count)."""
        kept, counted = cls.objects.first(), Event.objects.published().count()
        if kept is not None and kept.events != counted:
            problem = f"the database keeps it, but {counted} events are published."
            yield Finding(kept, problem, page=reverse("admin:events_event_changelist"))


def published_event_count() -> int:
    """How many events are published: the number the database keeps (PublicEventTotal),
    or, where it keeps none (a test database Django's flush emptied), counted."""
    total = PublicEventTotal.objects.values_list("events", flat=True).first()
    return total if total is not None else Event.objects.published().count()


class PersonName(Publishable):
    """Another name or spelling a source uses for a person. Shown only once it is
    published and so is its person: an editor's new spelling waits for a publisher."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(max_length=200)
    note = models.CharField(max_length=300, blank=True, help_text="Where this spelling is used.")
    search_text = SearchTextField(of=["name"])

    BELONGS_TO = ("person",)
    history = CuratedHistory()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="personname_unique_per_person"),
            publication_rules("personname", "other names")["constraint"],
        ]
        permissions = [publication_rules("personname", "other names")["permission"]]

    def __str__(self):
        return self.name

    @property
    def log_label(self) -> str:
        # As the person's page and search name it: "Also spelt".
        return gettext("%(person)s, also spelt “%(name)s”") % {"person": self.person.name, "name": self.name}


class Participation(Publishable):
    """A person's part in an event, with the office they held then. Shown only once it
    is published and so are its event and its person."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(
        max_length=300, help_text=_("The role or office the person held at the event, as the source puts it.")
    )

    # Shown on its event's page first, and on its person's.
    BELONGS_TO = ("event", "person")
    history = CuratedHistory()

    class Meta:
        ordering = ["event", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="participation_unique_person_per_event"),
            publication_rules("participation", "participations")["constraint"],
        ]
        permissions = [publication_rules("participation", "participations")["permission"]]

    def __str__(self):
        return f"{self.person} — {self.role}"

    @property
    def log_label(self) -> str:
        return gettext("%(person)s at “%(event)s”") % {"person": self.person.name, "event": self.event.title}


class EventCitation(CitationBase):
    record = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="citations")

    RECORD_TYPE = "event"

    history = CuratedHistory()

    class Meta(CitationBase.Meta):
        constraints = CitationBase.constraints_for("eventcitation")
        permissions = [publication_rules("eventcitation", "citations")["permission"]]


class PersonCitation(CitationBase):
    record = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="citations")

    RECORD_TYPE = "person"

    history = CuratedHistory()

    class Meta(CitationBase.Meta):
        constraints = CitationBase.constraints_for("personcitation")
        permissions = [publication_rules("personcitation", "citations")["permission"]]


@receiver(post_save, sender=PublicEventCount, dispatch_uid="events.person_count_as_counted")
@receiver(post_save, sender=PublicEventTotal, dispatch_uid="events.event_total_as_counted")
def _kept_as_counted(sender, instance, **kwargs):
    """A kept number that Django writes (loaddata of a dump holding it, a test's serialized
    rollback) is made the count of the rows there now. Written as dumped, it would count
    again the rows loaded after it, whose triggers add them to it (a person's number
    doubled); the count leaves those to the triggers, in whatever order the load goes."""
    if sender is PublicEventCount:
        rows = Participation.objects.filter(
            person_id=instance.person_id,
            publication=Publication.PUBLISHED,
            event__publication=Publication.PUBLISHED,
        )
    else:
        rows = Event.objects.published()
    sender.objects.filter(pk=instance.pk).update(events=rows.count())
