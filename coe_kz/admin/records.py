"""The shared admins of records with dated steps (treaties, bodies), of the steps, and of
citations: each app's admin only names its models, columns and filters."""

from django.contrib import admin, messages
from django.utils import timezone

from coe_kz.admin.base import HistoryAdmin
from coe_kz.admin.forms import CitationForm
from coe_kz.admin.inlines import StepDisplayMixin
from coe_kz.admin.utils import count_of, excerpt
from coe_kz.dates import edtf_human
from coe_kz.status import order_problems


class CitationAdmin(HistoryAdmin):
    """The one citation admin: each app's concrete one sets `list_select_related` to
    what its record's label needs, and `search_fields` for the record."""

    form = CitationForm
    list_display = ("record", "source", "rank", "paragraph", "quote_start")
    list_filter = ("rank", "source")
    search_fields = ("quote", "note", "rank_reason", "source__key", "source__title")
    autocomplete_fields = ("record", "source")
    # Found where the quote stands in the source's archived text (CitationBase.clean).
    readonly_fields = ("paragraph",)
    ordering = ("source", "paragraph", "pk")

    @admin.display(description="quote", ordering="quote")
    def quote_start(self, obj):
        return excerpt(obj.quote)


class RejectedFilter(admin.SimpleListFilter):
    """Steps whose every citation is deprecated: claims editors reject (never counted)."""

    title = "rejected claim"
    parameter_name = "rejected"

    def lookups(self, request, model_admin):
        return (("yes", "Rejected (every citation deprecated)"), ("no", "Counted"))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_deprecated=self.value() == "yes")
        return queryset


class OrderWarnings:
    """After a save, warns the editor about steps that contradict the order of the
    others (coe_kz.status.order_problems, in the order the record's model declares):
    flagged, not refused, since sources can be wrong."""

    def warn_about_order(self, request, record, steps) -> None:
        for problem in order_problems(steps, *record.STEP_ORDER):
            self.message_user(
                request, f"Check the order of the steps on {record}: {problem}", messages.WARNING
            )


class StepAdmin(OrderWarnings, StepDisplayMixin, HistoryAdmin):
    """A step's own page: its fields, its citations inline, and whether editors reject it.
    Subclasses set `record_field`, the step's foreign key to its record."""

    readonly_fields = ("rejected",)
    list_filter = ("status", RejectedFilter)
    record_field = ""

    def get_queryset(self, request):
        # A step's label names its record: in autocomplete answers and the change page too.
        return (
            super()
            .get_queryset(request)
            .select_related(self.record_field)
            .annotate(n_citations=count_of(self.model, "citations"))
        )

    @admin.display(description="citations", ordering="n_citations")
    def citation_count(self, obj):
        return obj.n_citations

    def history_label(self, obj) -> str:
        # A step's __str__ names its record, which a deleted version may no longer have.
        return f"{obj.get_status_display()} ({obj.date})"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.after_bulk_save(request, [form.instance])

    def after_bulk_save(self, request, objs: list) -> None:
        """Check the order of the steps of every record the saved steps belong to."""
        records = {getattr(obj, f"{self.record_field}_id"): getattr(obj, self.record_field) for obj in objs}
        steps = self.opts.get_field(self.record_field).remote_field.get_accessor_name()
        for record in records.values():
            self.warn_about_order(request, record, getattr(record, steps).all())


class StepStatusFilter(admin.SimpleListFilter):
    """Records with any (counted or not) step of a given status."""

    title = "any step's status"
    parameter_name = "step_status"

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return model_admin.step_field().choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.model_admin.steps}__status": self.value()}).distinct()
        return queryset


class RecordAdmin(OrderWarnings, HistoryAdmin):
    """A record with dated steps (a treaty, a body): its status today and step count."""

    @property
    def steps(self) -> str:
        return self.model.STEPS  # the reverse relation to the record's steps

    def step_field(self):
        return self.model._meta.get_field(self.steps).related_model._meta.get_field("status")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_steps=count_of(self.model, self.steps))

    @admin.display(description="steps", ordering="n_steps")
    def step_count(self, obj):
        return obj.n_steps

    @admin.display(description="status today")
    def status_today(self, obj):
        """The public site's answer (coe_kz.status), from the prefetched steps."""
        answer = obj.status_on(timezone.localdate())
        labels = {code: str(label) for code, label in self.step_field().flatchoices}
        label = labels.get(answer.status, answer.status)
        if answer.step:
            label = f"{label} {edtf_human(answer.since, 'since')}"  # the public site's words
        if not answer.certain:
            maybe = " or ".join(labels.get(c, c) for c in answer.possible)
            label += f" (uncertain: a step that may already have happened would make it {maybe})"
        return label

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.warn_about_order(request, form.instance, getattr(form.instance, self.steps).all())
