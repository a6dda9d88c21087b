"""The events app's datasets: /export/events.csv, /export/people.csv and
/export/participations.csv, their API endpoints and their files in the data package
(collected by coe_kz.site.datasets)."""

from coe_kz.csvexport import field_column
from coe_kz.datasets import (
    ForeignKey,
    Listed,
    ModelDataset,
    by_owner,
    columns,
    id_column,
    linked_pairs,
    listed_column,
    model_doc,
)
from coe_kz.visibility import public
from events.filters import EventFilter, PersonFilter
from events.models import Event, Participation, Person, PersonName

EVENT_COLUMNS = [
    id_column(Event, "event"),
    *columns(Event, "date", "date_earliest", "date_latest", "title", "kind", "location"),
    listed_column("treaties", "CETS/ETS numbers of the treaties the event concerns.", type="integer"),
    listed_column("bodies", "Keys of the bodies the event concerns."),
    listed_column("people", "Keys of the people who took part (see participations)."),
    field_column(Event, "summary"),
]
PERSON_COLUMNS = [
    *columns(Person, "slug", "name"),
    listed_column("other_names", "Other names and spellings sources use for the person.", text=True),
    field_column(Person, "description"),
]
PARTICIPATION_COLUMNS = columns(Participation, "event", "person", "role")

EVENTS = ModelDataset(
    "events",
    "Events",
    EVENT_COLUMNS,
    model_doc(Event),
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
    "People",
    PERSON_COLUMNS,
    model_doc(Person),
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
    "Participations",
    PARTICIPATION_COLUMNS,
    model_doc(Participation),
    primary_key=("event", "person"),
    foreign_keys=(ForeignKey("event", "events", "id"), ForeignKey("person", "people", "slug")),
    queryset=lambda: public(Participation.objects.order_by("event", "pk")),
    filterset=EventFilter,
    through="event",
    records=True,
)
DATASETS = (EVENTS, PEOPLE, PARTICIPATIONS)
