"""/sitemap.xml: the site's fixed pages and every published record's page, in each language,
each address with its alternates in the others (hreflang) and English as x-default.

/sitemap.xml is a sitemap index (the sitemaps protocol's): it names one file per section
(/sitemap-pages.xml, /sitemap-events.xml, ...), and a section of more than
RECORDS_PER_FILE addresses is split into pages (/sitemap-events.xml?p=2). So no request
lists every record: however many events there are, each answer is small.
"""

from collections.abc import Callable

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from bodies.models import Body
from coe_kz.models import Source
from events.models import Event, Person, published_event_count
from treaties.models import Treaty


class LanguagesSitemap(Sitemap):
    """Every page once per language (settings.LANGUAGES), with its alternates."""

    i18n = True
    alternates = True
    x_default = True


class PageSitemap(LanguagesSitemap):
    """The pages that are not a record's: home, lists, status, the change log, about, releases."""

    def items(self):
        return [
            "site:home",
            "site:status",
            "treaties:list",
            "bodies:list",
            "events:list",
            "people:list",
            "sources:list",
            "site:changes",
            "site:about",
            "releases:list",
        ]

    def location(self, item):
        return reverse(item)


# Addresses per sitemap file: the protocol allows 50,000, but a file is built per request.
RECORDS_PER_FILE = 2000


class InEachLanguage:
    """The (record, language) pairs of a sitemap in every language, as its Paginator reads
    them: a count, then one page's records. Django's own list of the pairs would read every
    record on every request, whichever file was asked for."""

    def __init__(self, records: QuerySet, languages: list[str], counted: Callable[[], int] | None = None):
        self.records, self.languages = records, languages
        self.counted = counted or records.count

    def count(self) -> int:
        return self.counted() * len(self.languages)

    def __getitem__(self, index: slice) -> list[tuple]:
        per = len(self.languages)
        first, last = index.start // per, -(-index.stop // per)  # the records the page touches
        pairs = [(record, language) for record in self.records[first:last] for language in self.languages]
        return pairs[index.start - first * per : index.stop - first * per]


class RecordSitemap(LanguagesSitemap):
    """Every published record of one model, at its get_absolute_url(), in each language."""

    limit = RECORDS_PER_FILE

    def __init__(self, model, count: Callable[[], int] | None = None):
        """`count`: how many records are published, where something faster than counting
        them knows (the events' number, which the database keeps)."""
        self.model, self.count = model, count

    def _items(self):
        # Django's Sitemap pages through _items(); for i18n its own is a list of every pair.
        return InEachLanguage(self.items(), list(self._languages()), self.count)

    def items(self):
        # Only the key is needed to build each address.
        return self.model._default_manager.published().only("pk").order_by("pk")


SITEMAPS = {
    "pages": PageSitemap(),
    "treaties": RecordSitemap(Treaty),
    "bodies": RecordSitemap(Body),
    "events": RecordSitemap(Event, count=published_event_count),
    "people": RecordSitemap(Person),
    "sources": RecordSitemap(Source),
}
