"""Events with their participants and citations inline; people with their other names.
Events are imported in bulk from the events export's CSV."""

from django.contrib import admin
from django.db import models

from coe_kz.admin import (
    AutocompleteInline,
    CitationAdmin,
    CitationInline,
    EditInline,
    HistoryAdmin,
    count_of,
)
from coe_kz.importing import DatasetImportMixin
from events.exports import EVENTS
from events.models import Event, EventCitation, Participation, Person, PersonCitation, PersonName


class ParticipationInline(AutocompleteInline):
    model = Participation
    fields = ("person", "role")
    autocomplete_fields = ("person",)


class EventCitationInline(CitationInline):
    model = EventCitation


class PersonNameInline(EditInline):
    model = PersonName
    fields = ("name", "note")


class PersonCitationInline(CitationInline):
    model = PersonCitation


@admin.register(Event)
class EventAdmin(DatasetImportMixin, HistoryAdmin):
    list_display = (
        "date",
        "title",
        "kind",
        "location",
        "treaty_count",
        "body_count",
        "participant_count",
        "citation_count",
    )
    list_display_links = ("date", "title")
    list_filter = (
        "kind",
        ("bodies", admin.RelatedOnlyFieldListFilter),
        ("treaties", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "summary", "location", "date", "participations__person__name")
    date_hierarchy = "date_earliest"
    list_select_related = ()
    ordering = (models.F("date_earliest").asc(nulls_last=True), "title", "pk")
    autocomplete_fields = ("treaties", "bodies")
    inlines = (ParticipationInline, EventCitationInline)
    import_dataset = EVENTS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_treaties=count_of(Event, "treaties"),
                n_bodies=count_of(Event, "bodies"),
                n_participants=count_of(Event, "participations"),
                n_citations=count_of(Event, "citations"),
            )
        )

    @admin.display(description="treaties", ordering="n_treaties")
    def treaty_count(self, obj):
        return obj.n_treaties

    @admin.display(description="bodies", ordering="n_bodies")
    def body_count(self, obj):
        return obj.n_bodies

    @admin.display(description="people", ordering="n_participants")
    def participant_count(self, obj):
        return obj.n_participants

    @admin.display(description="citations", ordering="n_citations")
    def citation_count(self, obj):
        return obj.n_citations


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ("name", "slug", "description", "other_name_list", "event_count", "citation_count")
    list_filter = (("citations__source", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "slug", "description", "other_names__name")
    list_select_related = ()
    list_prefetch_related = ("other_names",)
    ordering = ("name",)
    inlines = (PersonNameInline, PersonCitationInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_events=count_of(Person, "participations"), n_citations=count_of(Person, "citations"))
        )

    @admin.display(description="other names")
    def other_name_list(self, obj):
        return "; ".join(other.name for other in obj.other_names.all())

    @admin.display(description="events", ordering="n_events")
    def event_count(self, obj):
        return obj.n_events

    @admin.display(description="citations", ordering="n_citations")
    def citation_count(self, obj):
        return obj.n_citations


@admin.register(PersonName)
class PersonNameAdmin(HistoryAdmin):
    list_display = ("name", "person", "note")
    list_filter = (("person", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "note", "person__name", "person__slug")
    list_select_related = ("person",)
    ordering = ("name", "pk")
    autocomplete_fields = ("person",)


@admin.register(Participation)
class ParticipationAdmin(HistoryAdmin):
    list_display = ("person", "role", "event")
    list_filter = ("event__kind", ("person", admin.RelatedOnlyFieldListFilter))
    search_fields = ("role", "person__name", "person__other_names__name", "event__title")
    list_select_related = ("person", "event")
    ordering = ("event__date_earliest", "event__title", "person__name", "pk")
    autocomplete_fields = ("event", "person")

    def history_label(self, obj) -> str:
        # Named from its own columns: a deleted version's person or event may be gone too.
        return f"{obj.person_id}: {obj.role} (event {obj.event_id})"


@admin.register(EventCitation)
class EventCitationAdmin(CitationAdmin):
    search_fields = (*CitationAdmin.search_fields, "record__title")
    list_select_related = ("source", "record")


@admin.register(PersonCitation)
class PersonCitationAdmin(CitationAdmin):
    search_fields = (*CitationAdmin.search_fields, "record__name")
    list_select_related = ("source", "record")
