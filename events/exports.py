"""The events app's datasets: /export/events.csv, /export/people.csv and
/export/participations.csv, their API endpoints and their files in the data package
(collected by coe_kz.site.datasets)."""

from django.utils.translation import gettext_lazy as _

from coe_kz.csvexport import field_column
from coe_kz.datasets import (
    ForeignKey,
    Listed,
    ModelDataset,
    by_owner,
    columns,
    linked_pairs,
    listed_column,
)
from coe_kz.visibility import public
from events.filters import EventFilter, PersonFilter
from events.models import Event, Participation, Person, PersonName

EVENT_COLUMNS = [
    field_column(Event, "id", description=_("The event's key in this export; stable between exports.")),
    *columns(Event, "date", "date_earliest", "date_latest"),
    field_column(Event, "title", description=_("What happened, in a line.")),
    field_column(Event, "kind", description=_("What kind of event it is.")),
    field_column(Event, "location"),
    listed_column("treaties", _("CETS/ETS numbers of the treaties the event concerns."), type="integer"),
    listed_column("bodies", _("Keys of the bodies the event concerns.")),
    listed_column("people", _("Keys of the people who took part (see participations).")),
    field_column(Event, "summary", description=_("The editors' summary of the event.")),
]
PERSON_COLUMNS = [
    *columns(Person, "slug", "name"),
    listed_column("other_names", _("Other names and spellings sources use for the person."), text=True),
    field_column(Person, "description"),
]
PARTICIPATION_COLUMNS = [
    field_column(Participation, "event", description=_("The event's key (the events dataset).")),
    *columns(Participation, "person", "role"),
]

EVENTS = ModelDataset(
    "events",
    _("Events"),
    EVENT_COLUMNS,
    _("What happened on a (possibly partial) date: a visit, a signature, an accession."),
    primary_key=("id",),
    # EventFilter puts the rows in the list page's order. Only keys are exported, so
    # the multi-valued cells are read from the link tables alone, the way the event's
    # page orders them: treaties by number, bodies by name, people as recorded.
    queryset=lambda: public(Event.objects.all()),
    filterset=EventFilter,
    records=True,
    listed=(
        Listed(
            "treaties",
            linked_pairs(Event.treaties.through, "event_id", "treaty_id", "treaty", "treaty_id"),
            "event_id",
        ),
        Listed(
            "bodies",
            linked_pairs(Event.bodies.through, "event_id", "body_id", "body", "body__name", "body_id"),
            "event_id",
        ),
        # Not public(Participation): that also joins every event to check it is
        # published, which the row's own event is, and on PostgreSQL that join read
        # the whole event table once per chunk (quadratic in the export's size).
        Listed("people", linked_pairs(Participation, "event_id", "person_id", "person", "pk"), "event_id"),
    ),
)
PEOPLE = ModelDataset(
    "people",
    _("People"),
    PERSON_COLUMNS,
    _("The people the sources name, under the spelling editors prefer."),
    primary_key=("slug",),
    queryset=lambda: public(Person.objects.order_by("name", "slug")),
    filterset=PersonFilter,
    records=True,
    listed=(
        Listed(
            "other_names",
            # A name is public when it is published and its person is, and the row's person is.
            lambda: by_owner(PersonName.objects.published(), "person_id", "name", "name", "pk"),
            "person_id",
        ),
    ),
)
PARTICIPATIONS = ModelDataset(
    "participations",
    _("Participations"),
    PARTICIPATION_COLUMNS,
    _("Each person's part in an event, with the office they held then."),
    primary_key=("event", "person"),
    foreign_keys=(ForeignKey("event", "events", "id"), ForeignKey("person", "people", "slug")),
    queryset=lambda: public(Participation.objects.order_by("event", "pk")),
    filterset=EventFilter,
    through="event",
    records=True,
)
DATASETS = (EVENTS, PEOPLE, PARTICIPATIONS)
