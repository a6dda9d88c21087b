"""Public pages for treaties: the filtered list and one treaty's steps with their evidence."""

from django.db.models import Prefetch
from django.views.generic import DetailView

from coe_kz.listing import FilteredListView, GatedMixin, StatusOnDayMixin
from coe_kz.records import PREVIEW_PARAM
from coe_kz.visibility import PreviewMixin, judge_shown_citations, shown_or_none, shown_rows
from treaties.filters import TreatyFilter
from treaties.models import Treaty, TreatyStep, TreatyStepCitation

RELATED_EVENTS = 10


class TreatyListView(StatusOnDayMixin, FilteredListView):
    filterset_class = TreatyFilter
    dataset = "treaties"

    def get_base_queryset(self):
        return Treaty.objects.for_status(published_only=True)


class TreatyDetailView(PreviewMixin, GatedMixin, StatusOnDayMixin, DetailView):
    """A treaty, Kazakhstan's steps on it, each with its citations, and events about it.
    The public sees only what is published; staff may preview drafts (PreviewMixin)."""

    model = Treaty
    takes = (PREVIEW_PARAM,)

    def get_queryset(self):
        citations = shown_rows(TreatyStepCitation.objects.select_related("source"), self.preview)
        steps = shown_rows(TreatyStep.objects.all(), self.preview).prefetch_related(
            Prefetch("citations", queryset=citations)
        )
        return (
            super()
            .get_queryset()
            .select_related("amends", "reference_source")
            .prefetch_related(
                Prefetch("steps", queryset=steps),
                Prefetch("protocols", queryset=shown_rows(Treaty.objects.all(), self.preview)),
            )
        )

    def get_object(self, queryset=None):
        treaty = super().get_object(queryset)
        if self.preview:
            judge_shown_citations(treaty.steps.all())
        return treaty

    def get_context_data(self, **kwargs):
        # The events app links events to records; the reverse relation reads them.
        events = shown_rows(self.object.events.all(), self.preview)
        return super().get_context_data(
            amends=shown_or_none(self.object.amends, self.preview),
            reference_source=shown_or_none(self.object.reference_source, self.preview),
            events=events.recent_first()[:RELATED_EVENTS],
            event_count=events.count(),
            **kwargs,
        )
