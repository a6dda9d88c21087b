"""Sources in the admin: how many citations each app draws from them, their archived
texts with the sentences not yet accounted for, and the passages set aside."""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from coe_kz.admin.base import HistoryAdmin
from coe_kz.admin.forms import SetAsideForm, SourceForm
from coe_kz.admin.inlines import EditInline
from coe_kz.admin.utils import admin_url, count_of, excerpt
from coe_kz.coverage import accounted_for
from coe_kz.models import CitationBase, SetAside, Source

# Passages set aside are edited on their source's page; these are the columns shown.
SET_ASIDE_FIELDS = ("passage", "paragraph", "reason", "publication")


class SetAsideInline(EditInline):
    """The passages set aside, on their source's page."""

    model = SetAside
    form = SetAsideForm
    template = "admin/edit_inline/stacked.html"
    fields = SET_ASIDE_FIELDS
    readonly_fields = ("paragraph",)


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    """A source, with how many citations each app draws from it."""

    form = SourceForm
    inlines = (SetAsideInline,)
    list_display = ("key", "title", "publisher", "published", "language", "citation_count")
    list_filter = ("language", "publisher")
    search_fields = ("key", "title", "publisher", "url", "note")
    list_select_related = ()
    ordering = ("key",)
    readonly_fields = ("citations_by_kind", "text_sha256", "coverage")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # An archived text stays as it was retrieved: its quotes and its hash depend on it.
        # A new retrieval is a new source.
        return [*readonly, "text"] if obj is not None and obj.text else readonly

    @staticmethod
    def citation_relations() -> list[models.ForeignObjectRel]:
        # Found from the model, not imported: apps depend on coe_kz, never the reverse.
        return [
            rel
            for rel in Source._meta.related_objects
            if issubclass(rel.related_model, CitationBase) and rel.field.name == "source"
        ]

    def get_queryset(self, request):
        counts = {f"n_{rel.name}": count_of(Source, rel.name) for rel in self.citation_relations()}
        total = sum(models.F(name) for name in counts) if counts else models.Value(0)
        return super().get_queryset(request).annotate(**counts).annotate(n_citations=total)

    @admin.display(description="citations", ordering="n_citations")
    def citation_count(self, obj):
        return obj.n_citations

    @admin.display(description="citations drawn from it")
    def citations_by_kind(self, obj):
        counted = [(rel, getattr(obj, f"n_{rel.name}", None)) for rel in self.citation_relations()]
        if not any(counted_n for _, counted_n in counted):
            return "None yet."
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}?source__key__exact={}">{} {}</a>',
            (
                (
                    admin_url(rel.related_model, "changelist"),
                    obj.pk,
                    n,
                    rel.related_model._meta.verbose_name_plural,
                )
                for rel, n in counted
                if n
            ),
        )

    @admin.display(description="sentences accounted for")
    def coverage(self, obj):
        """Each sentence of the text is cited (a quote overlaps it) or set aside; the open
        ones are listed, drafts counting, so an editor sees what is left to do."""
        if obj.pk is None or not obj.text:
            return "No archived text."
        sentences = accounted_for([obj], preview=True)[obj.pk]
        cited = sum(bool(s.cited_by) for s in sentences)
        aside = sum(bool(s.set_aside) and not s.cited_by for s in sentences)
        still_open = [s.sentence for s in sentences if s.is_open]
        summary = format_html(
            "{} sentences: {} cited, {} set aside, <strong>{} open</strong> (drafts count).",
            len(sentences),
            cited,
            aside,
            len(still_open),
        )
        if not still_open:
            return summary
        listed = format_html_join(
            mark_safe(""), "<li>{} “{}”</li>", ((f"¶ {s.label}", s.text) for s in still_open)
        )
        advice = "Cite each on the record whose fact it states, or set it aside below with the reason."
        return format_html("{}<br>{}<ol>{}</ol>", summary, advice, listed)


@admin.register(SetAside)
class SetAsideAdmin(HistoryAdmin):
    """Passages set aside, listed across sources; each is edited on its source's page too."""

    form = SetAsideForm
    list_display = ("source", "paragraph", "passage_start", "reason")
    list_filter = ("source",)
    list_select_related = ("source",)
    search_fields = ("passage", "reason", "source__key", "source__title")
    autocomplete_fields = ("source",)
    readonly_fields = ("paragraph",)
    ordering = ("source", "paragraph", "pk")

    @admin.display(description="passage", ordering="passage")
    def passage_start(self, obj):
        return excerpt(obj.passage)
