"""Public pages for bodies and partial agreements: the filtered list and one body's standing."""

from django.db.models import Prefetch
from django.views.generic import DetailView

from bodies.filters import BodyFilter
from bodies.models import Body, BodyStanding, BodyStandingCitation
from coe_kz.listing import FilteredListView, GatedMixin, StatusOnDayMixin
from coe_kz.records import PREVIEW_PARAM
from coe_kz.visibility import PreviewMixin, judge_shown_citations, shown_or_none, shown_rows

RELATED_EVENTS = 10


class BodyListView(StatusOnDayMixin, FilteredListView):
    filterset_class = BodyFilter
    dataset = "bodies"

    def get_base_queryset(self):
        return Body.objects.for_status(published_only=True).select_related("parent")


class BodyDetailView(PreviewMixin, GatedMixin, StatusOnDayMixin, DetailView):
    """A body, Kazakhstan's standing in it step by step with citations, and events about it.
    The public sees only what is published; staff may preview drafts (PreviewMixin)."""

    model = Body
    takes = (PREVIEW_PARAM,)

    def get_queryset(self):
        citations = shown_rows(BodyStandingCitation.objects.select_related("source"), self.preview)
        standings = shown_rows(BodyStanding.objects.all(), self.preview).prefetch_related(
            Prefetch("citations", queryset=citations)
        )
        return (
            super()
            .get_queryset()
            .select_related("parent")
            .prefetch_related(
                Prefetch("standings", queryset=standings),
                Prefetch("children", queryset=shown_rows(Body.objects.all(), self.preview)),
            )
        )

    def get_object(self, queryset=None):
        body = super().get_object(queryset)
        if self.preview:
            judge_shown_citations(body.standings.all())
        return body

    def get_context_data(self, **kwargs):
        # The events app links events to records; the reverse relation reads them.
        events = shown_rows(self.object.events.all(), self.preview)
        return super().get_context_data(
            parent=shown_or_none(self.object.parent, self.preview),
            events=events.recent_first()[:RELATED_EVENTS],
            event_count=events.count(),
            **kwargs,
        )
