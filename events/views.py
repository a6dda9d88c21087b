"""Public pages for events and people. The public sees only what is published; staff may
preview drafts (coe_kz.visibility.PreviewMixin)."""

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Min, Prefetch
from django.db.models.functions import Coalesce
from django.views.generic import DetailView

from bodies.models import Body
from coe_kz.listing import PAGE_SIZE, FilteredListView, GatedMixin, get_page
from coe_kz.params import PAGE
from coe_kz.records import PREVIEW_PARAM
from coe_kz.visibility import PreviewMixin, shown_rows
from events.filters import EventFilter, PersonFilter
from events.models import (
    Event,
    EventCitation,
    Participation,
    Person,
    PersonCitation,
    PersonName,
    filed_day,
    list_order,
    published_event_count,
)
from treaties.models import Treaty


class EventListView(FilteredListView):
    """Events in date order, grouped by year on the page (see EventFilter for the order)."""

    filterset_class = EventFilter
    dataset = "events"

    def get_base_queryset(self):
        return Event.objects.for_list(published_only=True)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if not self.is_filtered():
            # Every published event: their number as the database keeps it, not counted
            # from all of them (which took longer the more events there were).
            paginator.count = published_event_count()
        return paginator


class EventDetailView(PreviewMixin, GatedMixin, DetailView):
    """One event at its stable address /events/<id>/, with who took part and the evidence."""

    model = Event
    takes = (PREVIEW_PARAM,)

    def get_queryset(self):
        participations = Participation.objects.select_related("person")
        citations = EventCitation.objects.select_related("source")
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("treaties", queryset=shown_rows(Treaty.objects.all(), self.preview)),
                Prefetch("bodies", queryset=shown_rows(Body.objects.all(), self.preview)),
                Prefetch("participations", queryset=shown_rows(participations, self.preview)),
                Prefetch("citations", queryset=shown_rows(citations, self.preview)),
            )
        )


class PersonListView(FilteredListView):
    filterset_class = PersonFilter
    dataset = "people"

    def get_base_queryset(self):
        # Each person's number of public events as the database keeps it
        # (PublicEventCount): one row per listed person, however many events they have.
        return (
            Person.objects.published()
            .prefetch_related(Prefetch("other_names", queryset=PersonName.objects.published()))
            .annotate(event_count=Coalesce("public_events__events", 0))
            .order_by("name", "pk")
        )


class PersonDetailView(PreviewMixin, GatedMixin, DetailView):
    """A person: other spellings, the roles they held, and their events, paginated."""

    model = Person
    takes = (PAGE, PREVIEW_PARAM)

    def get_queryset(self):
        citations = PersonCitation.objects.select_related("source")
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("other_names", queryset=shown_rows(PersonName.objects.all(), self.preview)),
                Prefetch("citations", queryset=shown_rows(citations, self.preview)),
            )
        )

    def get_context_data(self, **kwargs):
        participations = shown_rows(self.object.participations.all(), self.preview).order_by(
            *list_order("event__")
        )
        roles = (
            participations.order_by()
            .values("role")
            .annotate(
                times=Count("pk"),
                # The years of the days the events are filed under.
                first=Min(filed_day("event__")),
                last=Max(Coalesce("event__date_latest", "event__date_earliest")),
            )
            .order_by(F("first").asc(nulls_last=True), "role")
        )
        page = get_page(
            Paginator(participations.select_related("event"), PAGE_SIZE), self.request.GET.get(PAGE)
        )
        return super().get_context_data(roles=roles, page_obj=page, participations=page.object_list, **kwargs)
