"""Inline rows on a record's page: citations, steps, other names, participations.

Every inline uses the formsets of coe_kz.admin.forms, so its rows join the record's
rules (a reason for changing a published record; a visible citation for a published
one), and its publication column is read-only for users who may not publish (the guard
itself is the publication services', applied when the rows are saved).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from coe_kz import publication
from coe_kz.admin.forms import CitationFormSet, CitationMessages, EditFormSet
from coe_kz.admin.utils import admin_url, excerpt
from coe_kz.models import Publication
from coe_kz.records import citation_model

INLINE_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class LabelledAutocompleteSelect(AutocompleteSelect):
    """An autocomplete select that labels its chosen option from the object its form's
    row already holds (`known`), where Django's queries for it: one query per inline
    row otherwise, so a page with many rows would grow with them."""

    known: models.Model | None = None

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.known is None or chosen != [str(self.known.pk)]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(self.known)
        options.append(self.create_option(name, self.known.pk, label, True, len(options)))
        return [(None, options, 0)]


class LabelledAutocompleteForm(forms.ModelForm):
    """Hands each row's already-joined related objects to its autocomplete widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the add/change-link wrapper
            if isinstance(widget, LabelledAutocompleteSelect):
                relation = self._meta.model._meta.get_field(name)
                if relation.is_cached(self.instance):
                    widget.known = relation.get_cached_value(self.instance)


class EditInline(admin.TabularInline):
    """Base of every inline: rows join their record's rules, and their publication is
    read-only for users who may not publish."""

    formset = EditFormSet
    formfield_overrides = INLINE_TEXT
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not publication.can_publish(request.user, self.model):
            readonly.append("publication")
        return readonly


class AutocompleteInline(EditInline):
    """A tabular inline whose autocomplete foreign keys are joined into the rows' query
    and labelled from there: the page's query count does not grow with its rows."""

    form = LabelledAutocompleteForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", LabelledAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.get_autocomplete_fields(request))


class CitationInlineForm(CitationMessages, LabelledAutocompleteForm):
    pass


class CitationInline(AutocompleteInline):
    """The one citation inline: each app's concrete citation inline only sets `model`.
    Stacked, not tabular: a row of three text boxes was twice as wide as the page."""

    template = "admin/edit_inline/stacked.html"
    form = CitationInlineForm
    formset = CitationFormSet
    fields = ("source", "quote", "paragraph", "rank", "rank_reason", "note", "publication")
    # Found where the quote stands in the source's archived text (CitationBase.clean).
    readonly_fields = ("paragraph",)
    autocomplete_fields = ("source",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "quote":  # what the citation is for; a stacked row has room
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class StepDisplayMixin:
    """Columns a step shows wherever it is listed: in its record's inline and its own list."""

    @admin.display(description="rejected", boolean=True)
    def rejected(self, obj):
        # Steps loaded through their default manager carry the annotation; a historical
        # version (the restore page) or an unsaved one does not.
        return getattr(obj, "is_deprecated", None)

    @admin.display(description="citations")
    def citations_summary(self, obj):
        """Each citation as source, rank and the start of its quote, linking to it."""
        if obj.pk is None:
            return "—"
        citations = obj.citations.all()
        if not citations:
            return format_html("<strong>{}</strong>", "No citation yet: every step needs one.")
        # Admin wraps read-only cells in <p>, so one line per citation, not a list.
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> · {} · “{}”',
            (
                (admin_url(c, "change", c.pk), c.source.key, c.get_rank_display(), excerpt(c.quote))
                for c in citations
            ),
        )


class StepInlineForm(forms.ModelForm):
    """A step row on its record's page. Its citations are edited on the step's own page,
    so a row is published here only if it already has a citation the public can see."""

    def clean(self):
        cleaned = super().clean()
        step = self.instance
        if (
            cleaned.get("publication") == Publication.PUBLISHED
            and "publication" in self.changed_data
            and not cleaned.get("DELETE")
            and (step._state.adding or not publication.publicly_cited(type(step), [step.pk]))
        ):
            self.add_error(
                "publication",
                f"A {step._meta.verbose_name} is published only with a citation the public can see: "
                "keep it a draft, add its citation on its own page, and publish it there.",
            )
        return cleaned


class StepInline(StepDisplayMixin, EditInline):
    """Dated steps inline on their record. Django admin has no nested inlines, so each
    row lists its citations read-only and links to the step's own page to edit them.
    Subclasses set `model` and `fk_name` (the step's key to its record)."""

    form = StepInlineForm
    show_change_link = True
    readonly_fields = ("citations_summary", "rejected")

    def get_queryset(self, request):
        citation = citation_model(self.model)
        return (
            super()
            .get_queryset(request)
            # Each row is labelled with its step's name, which names the record.
            .select_related(self.fk_name)
            .prefetch_related(
                models.Prefetch("citations", queryset=citation.objects.select_related("source"))
            )
        )
