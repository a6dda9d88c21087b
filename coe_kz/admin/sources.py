"""Sources in the admin, with how many citations each app draws from them."""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from coe_kz.admin.base import HistoryAdmin
from coe_kz.admin.forms import SourceForm
from coe_kz.admin.utils import admin_url, count_of
from coe_kz.models import CitationBase, Source


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    """A source, with how many citations each app draws from it."""

    form = SourceForm
    list_display = ("key", "title", "publisher", "published", "language", "citation_count")
    list_filter = ("language", "publisher")
    search_fields = ("key", "title", "publisher", "url", "note")
    list_select_related = ()
    ordering = ("key",)
    readonly_fields = ("citations_by_kind",)

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
