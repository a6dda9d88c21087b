"""Bodies, with Kazakhstan's standings inline; each standing's page holds its citations.
Standings are imported in bulk from the body_standings export's CSV."""

from django.contrib import admin

from bodies.exports import BODY_STANDINGS
from bodies.models import Body, BodyStanding, BodyStandingCitation
from coe_kz.admin import (
    CitationAdmin,
    CitationInline,
    RecordAdmin,
    RejectedFilter,
    StepAdmin,
    StepInline,
    StepStatusFilter,
)
from coe_kz.importing import DatasetImportMixin


class BodyStandingInline(StepInline):
    model = BodyStanding
    fk_name = "body"
    fields = ("status", "date", "note", "publication", "citations_summary", "rejected")


class BodyStandingCitationInline(CitationInline):
    model = BodyStandingCitation


@admin.register(Body)
class BodyAdmin(RecordAdmin):
    list_display = ("slug", "name", "acronym", "kind", "parent", "status_today", "step_count")
    list_display_links = ("slug", "name")
    list_filter = ("kind", StepStatusFilter, ("parent", admin.RelatedOnlyFieldListFilter))
    search_fields = ("slug", "name", "acronym", "note")
    list_select_related = ("parent",)
    list_prefetch_related = ("standings",)
    ordering = ("name",)
    autocomplete_fields = ("parent",)
    inlines = (BodyStandingInline,)


@admin.register(BodyStanding)
class BodyStandingAdmin(DatasetImportMixin, StepAdmin):
    list_display = ("body", "status", "date", "citation_count", "rejected")
    list_filter = ("status", RejectedFilter, "body__kind")
    search_fields = ("body__slug", "body__name", "body__acronym", "date", "note")
    list_select_related = ("body",)
    ordering = ("body__name", *BodyStanding._meta.ordering)
    autocomplete_fields = ("body",)
    inlines = (BodyStandingCitationInline,)
    record_field = "body"
    import_dataset = BODY_STANDINGS


@admin.register(BodyStandingCitation)
class BodyStandingCitationAdmin(CitationAdmin):
    search_fields = (*CitationAdmin.search_fields, "record__body__name", "record__body__acronym")
    list_select_related = ("source", "record__body")
