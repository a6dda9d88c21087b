"""/events/feed/: the latest events as Atom, filterable like the event list."""

from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from coe_kz.dates import edtf_human
from coe_kz.filters import parameter_names
from coe_kz.params import check_ignored_page, filtered, list_gate
from events.filters import EventFilter
from events.models import Event

FEED_SIZE = 50


class EventFeed(Feed):
    """The most recent events first: the event list's order (see EventFilter) reversed,
    so each event sits where the list files it ("2007/.." under 2007, "../2023-10-07"
    under 7 October 2023), except that events no source dates stay last. Each entry's
    `updated` is when editors last changed the record (its newest history row): an
    event's own date is often partial, and the feed's readers want to know what is new
    to them."""

    feed_type = Atom1Feed
    title = _("Kazakhstan and the Council of Europe: events")
    subtitle = _("Dated events of Kazakhstan's relations with the Council of Europe, most recent first.")

    def get_object(self, request, *args, **kwargs):
        # The event list's gate: the feed takes what the list takes, its page number too
        # (checked, then ignored: the feed is the latest events).
        query = list_gate(request.GET, parameter_names(EventFilter))
        events = filtered(EventFilter(query))
        check_ignored_page(query)
        return events

    def link(self, events):
        return reverse("events:list")

    def items(self, events):
        last_change = (
            Event.history.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")[:1]
        )
        return events.recent_first().annotate(last_change=Subquery(last_change))[:FEED_SIZE]

    def item_title(self, event):
        return f"{edtf_human(event.date)}: {event.title}"

    def item_description(self, event):
        # Atom's <summary type="html"> is HTML once the XML is read: an editor's text is
        # escaped as HTML first, or a reader would run a <script> written in it.
        return escape(event.summary)

    def item_updateddate(self, event):
        return event.last_change
