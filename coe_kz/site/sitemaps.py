"""/sitemap.xml: the site's fixed pages and every published record's page."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from bodies.models import Body
from coe_kz.models import Source
from events.models import Event, Person
from treaties.models import Treaty


class PageSitemap(Sitemap):
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


class RecordSitemap(Sitemap):
    """Every published record of one model, at its get_absolute_url()."""

    def __init__(self, model):
        self.model = model

    def items(self):
        # Only the key is needed to build each address.
        return self.model._default_manager.published().only("pk").order_by("pk")


SITEMAPS = {
    "pages": PageSitemap(),
    "treaties": RecordSitemap(Treaty),
    "bodies": RecordSitemap(Body),
    "events": RecordSitemap(Event),
    "people": RecordSitemap(Person),
    "sources": RecordSitemap(Source),
}
