"""/changes/: the latest edits to every published record, newest first, and its Atom feed
(the engine is coe_kz.changes)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coe_kz.changes import Entry, latest_changes, public_log_page
from coe_kz.listing import taking
from coe_kz.params import PAGE, check_ignored_page, gate

FEED_SIZE = 50


@taking(PAGE)
def change_log(request):
    page, log = public_log_page(request)
    return render(request, "changes.html", {"page_obj": page, "entries": log})


class ChangeFeed(Feed):
    """/changes/feed/: the change log's newest entries as Atom, as /changes/ words them:
    what changed in which record, when, and the editor's reason, never who. It takes what
    the change log takes, its page number too (checked, then ignored: the feed is the
    newest entries), as the events feed does."""

    feed_type = Atom1Feed
    title = _("Kazakhstan and the Council of Europe: recent changes")
    subtitle = _("Every edit to the published records, newest first, with the reason the editor gave.")

    def get_object(self, request, *args, **kwargs):
        check_ignored_page(gate(request.GET, (PAGE,)))

    def link(self):
        return reverse("site:changes")

    def items(self):
        return latest_changes(FEED_SIZE)

    def item_title(self, entry: Entry) -> str:
        return f"{entry.label}: {entry.action}"

    def item_description(self, entry: Entry) -> str:
        if entry.loaded:
            what = ngettext(
                "%(count)s record, in its first version, in one import.",
                "%(count)s records, each in its first version, in one import.",
                entry.loaded,
            ) % {"count": entry.loaded}
        elif entry.changed:
            if entry.fields:
                what = _("Fields changed: %(fields)s.") % {"fields": entry.fields}
            else:
                what = _("No field changed.")
        else:
            what = f"{entry.action}."
        # <summary type="html">: the editor's reason is escaped as HTML, as an event's
        # summary is, so a reader runs no script written in it.
        if entry.reason:
            reason = _("Reason: %(reason)s") % {"reason": entry.reason}
        else:
            reason = _("Reason: none given.")
        return escape(f"{what} {reason}")

    def item_link(self, entry: Entry) -> str:
        # The record's page (a load names no one record: the change log), marked with the
        # entry's key, so that each link is the entry's own id in the feed.
        return f"{entry.url or reverse('site:changes')}#change-{entry.key}"

    def item_pubdate(self, entry: Entry):
        return entry.when

    def item_updateddate(self, entry: Entry):
        return entry.when
