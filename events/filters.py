"""The event and people lists' filters, shared with /export/events.csv and /export/people.csv."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bodies.models import Body
from coe_kz.filters import KeyChoiceFilter, KeyInput, PublicFilterSet, SearchFilter, YearFilter
from coe_kz.models import Publication
from coe_kz.text import matches_text
from events.models import Event, EventKind, Participation, Person
from treaties.models import Treaty


def people_named(value: str):
    """Keys of the published people whose preferred name, or any other name or spelling,
    contains `value`, whatever the case and accents (a draft person's name must not find
    the events they took part in)."""
    return (
        Person.objects.published()
        .filter(
            matches_text(value)
            # One filter() call: the name that matches must be a published one.
            | (
                matches_text(value, "other_names__search_text")
                & Q(other_names__publication=Publication.PUBLISHED)
            )
        )
        .values("pk")
    )


def events_of(people: Q):
    """Keys of the events where `people` took part, by published participations."""
    return Participation.objects.published().filter(people).values("event_id")


class EventFilter(PublicFilterSet):
    """Events by year, kind, treaty, body, person and text, in the order the list shows them.

    The list is sorted by the day each event is filed under (events.models.filed_day)
    and grouped by its year, and the year filter uses the same day; events no source
    dates come last.
    """

    year = YearFilter(
        field_name="filed",
        lookup_expr="year",
        label=_("Year"),
        help_text=_("The year each event is filed under (see above)."),
    )
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind"), empty_label=_("Any"))
    # A record by its key, typed or from a record page's link, never a drop-down of
    # every record. Only published records are found: a draft's key is "not the key of
    # a ... on this site", as an unknown one is, so a filter cannot reveal that a draft exists.
    treaty = KeyChoiceFilter(
        field_name="treaties",
        queryset=Treaty.objects.published(),
        label=_("Treaty"),
        help_text=_("The treaty's CETS/ETS number, for example 141."),
        widget=KeyInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    body = KeyChoiceFilter(
        field_name="bodies",
        queryset=Body.objects.published(),
        label=_("Body"),
        help_text=_("The body's key, as in its address, for example greco."),
    )
    person = KeyChoiceFilter(
        method="took_part",
        queryset=Person.objects.published(),
        label=_("Person"),
        help_text=_("The person's key, as in their address, for example roman-vassilenko."),
    )
    q = SearchFilter(
        help_text=_("Part of the title, summary or place, or of a participant's name in any spelling.")
    )

    class Meta:
        model = Event
        fields = ["year", "kind", "treaty", "body", "person", "q"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Event.objects.all()
        super().__init__(data, queryset.in_list_order(), **kwargs)

    def took_part(self, queryset, name, person):
        """Events the person took part in, as far as the public may see (a draft
        participation must not show)."""
        return queryset.filter(pk__in=events_of(Q(person=person)))

    def search(self, queryset, name, value):
        took_part = events_of(Q(person__in=people_named(value)))
        return queryset.filter(matches_text(value) | Q(pk__in=took_part))


class PersonFilter(PublicFilterSet):
    """People by any of their names or spellings, or their description."""

    q = SearchFilter(help_text=_("Part of a name, in any spelling the sources use, or of the description."))

    class Meta:
        model = Person
        fields = ["q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(pk__in=people_named(value)) | Q(description__icontains=value))
