"""Treaties, with Kazakhstan's steps inline; each step's page holds its citations.
Steps are imported in bulk from the treaty_steps export's CSV."""

from django.contrib import admin

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
from treaties.exports import TREATY_STEPS
from treaties.models import Treaty, TreatyStep, TreatyStepCitation


class TreatyStepInline(StepInline):
    model = TreatyStep
    fk_name = "treaty"
    fields = (
        "status",
        "date",
        "consent",
        "entry_into_force",
        "note",
        "publication",
        "citations_summary",
        "rejected",
    )


class TreatyStepCitationInline(CitationInline):
    model = TreatyStepCitation


@admin.register(Treaty)
class TreatyAdmin(RecordAdmin):
    list_display = (
        "number",
        "title",
        "short_title",
        "kind",
        "amends",
        "opened",
        "status_today",
        "step_count",
    )
    list_display_links = ("number", "title")
    list_filter = ("kind", StepStatusFilter, ("reference_source", admin.RelatedOnlyFieldListFilter))
    search_fields = ("number__exact", "title", "short_title", "note")
    list_select_related = ("amends",)
    list_prefetch_related = ("steps",)
    ordering = ("number",)
    autocomplete_fields = ("amends", "reference_source")
    inlines = (TreatyStepInline,)


@admin.register(TreatyStep)
class TreatyStepAdmin(DatasetImportMixin, StepAdmin):
    list_display = ("treaty", "status", "date", "consent", "entry_into_force", "citation_count", "rejected")
    list_filter = ("status", "consent", RejectedFilter, "treaty__kind")
    search_fields = ("treaty__number__exact", "treaty__title", "treaty__short_title", "date", "note")
    list_select_related = ("treaty",)
    ordering = ("treaty__number", *TreatyStep._meta.ordering)
    autocomplete_fields = ("treaty",)
    inlines = (TreatyStepCitationInline,)
    record_field = "treaty"
    import_dataset = TREATY_STEPS


@admin.register(TreatyStepCitation)
class TreatyStepCitationAdmin(CitationAdmin):
    search_fields = (*CitationAdmin.search_fields, "record__treaty__title", "record__treaty__short_title")
    list_select_related = ("source", "record__treaty")
