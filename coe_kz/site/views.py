"""The site's own pages: home, status on a day, search, about, sources, robots.txt, 404.

Site-level like coe_kz/standing.py: these pages compose the apps. They show only what
the public may see (coe_kz.visibility); a source's page has a staff preview.
"""

from collections import Counter

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import CharField, Count, IntegerField, OuterRef, Prefetch, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import Resolver404, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.views.generic import DetailView

from bodies.filters import BodyFilter
from bodies.models import STANDING_DEFINITIONS, BodyKind, BodyStandingCitation, Standing
from coe_kz.filters import MAX_QUERY_LENGTH, SourceFilter, in_list_order
from coe_kz.languages import current, text_expression
from coe_kz.listing import FilteredListView, GatedMixin, bad_request, gated, get_page, taking
from coe_kz.models import CitationBase, Rank, Source
from coe_kz.params import PAGE, check_ignored_page, filtered
from coe_kz.passages import marked
from coe_kz.records import PREVIEW_PARAM, citation_models, no_record_with, status_labels
from coe_kz.site.address import site_address
from coe_kz.site.datasets import DATASETS, LICENCE, STATUS
from coe_kz.site.standing import all_change_days, standing_on
from coe_kz.site.timeline import build_timeline
from coe_kz.visibility import PreviewMixin, is_draft_expression, public, shown_rows
from events.filters import EventFilter, PersonFilter
from events.models import Event, EventCitation, EventKind, Person, PersonCitation, PersonName
from treaties.filters import TreatyFilter
from treaties.models import TREATY_STATUS_DEFINITIONS, Treaty, TreatyKind, TreatyStatus, TreatyStepCitation

LATEST_EVENTS = 6
HOME_SOURCES = 8
SEARCH_HITS = 10
# Examples of each EDTF form the site uses, shown on the about page in words and code.
EDTF_EXAMPLES = ["1997", "2012-03", "2013-12-19", "../2023-10-07", "2013-12-19/2018-09-20", "XXXX"]


@taking()
def home(request):
    today = timezone.localdate()
    rows = standing_on(today)
    in_force = Counter((row.kind, row.answer.status) for row in rows)
    uncertain = Counter((row.kind, row.answer.status) for row in rows if not row.answer.certain)
    figures = [
        (
            "treaty",
            TreatyStatus.PARTY,
            ngettext_lazy("treaty Kazakhstan is party to", "treaties Kazakhstan is party to", "count"),
        ),
        (
            "treaty",
            TreatyStatus.INVITED,
            ngettext_lazy("invitation to accede", "invitations to accede", "count"),
        ),
        ("body", Standing.MEMBER, ngettext_lazy("membership", "memberships", "count")),
        ("body", Standing.OBSERVER, ngettext_lazy("observer seat", "observer seats", "count")),
        ("body", Standing.APPLICANT, ngettext_lazy("application", "applications", "count")),
    ]
    numbers = [
        {
            "count": in_force[kind, code],
            "uncertain": uncertain[kind, code],
            "label": label % {"count": in_force[kind, code]},
            "url": reverse("treaties:list" if kind == "treaty" else "bodies:list") + f"?status={code}",
        }
        for kind, code, label in figures
    ]
    return render(
        request,
        "home.html",
        {
            "today": today,
            "numbers": numbers,
            "timeline": build_timeline(rows, today),
            "events": Event.objects.published().recent_first()[:LATEST_EVENTS],
            "sources": in_list_order(Source.objects.published())[:HOME_SOURCES],
        },
    )


@gated(STATUS.gate)
def status(request):
    """The whole standing on one day (today unless ?as_of= names another), with links to
    the dated changes either side of it: the status dataset's rows, so the page reads its
    parameters as its CSV twin and API endpoint do."""
    selection = STATUS.select(request.GET)
    check_ignored_page(request.GET)  # one page holds the whole list
    day, rows, today = selection.as_of, selection.rows, timezone.localdate()
    days = all_change_days(rows)
    return render(
        request,
        "status.html",
        {
            "day": day,
            "today": today,
            # Records with no standing on the day are folded under those with one.
            "treaty_rows": [row for row in rows if row.kind == "treaty" and not row.answer.certainly_none],
            "treaty_folded": [row for row in rows if row.kind == "treaty" and row.answer.certainly_none],
            "body_rows": [row for row in rows if row.kind == "body" and not row.answer.certainly_none],
            "body_folded": [row for row in rows if row.kind == "body" and row.answer.certainly_none],
            "treaty_count": sum(row.kind == "treaty" for row in rows),
            "body_count": sum(row.kind == "body" for row in rows),
            "uncertain_count": sum(not row.answer.certain for row in rows),
            "previous_change": max((d for d in days if d < day), default=None),
            "next_change": min((d for d in days if d > day), default=None),
        },
    )


@taking("q")
def search(request):
    """One text, searched with the q filter of every list, so a hit here is a hit there."""
    q = request.GET.get("q", "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        return bad_request(request, [_("q: use at most %(count)s characters.") % {"count": MAX_QUERY_LENGTH}])
    sections = []
    if q:
        for title, more, filterset_class, queryset, url_name, template in [
            (
                _("Treaties"),
                ngettext_lazy(
                    "All %(count)s treaty matching “%(q)s”",
                    "All %(count)s treaties matching “%(q)s”",
                    "count",
                ),
                TreatyFilter,
                None,
                "treaties:list",
                "search/_treaty.html",
            ),
            (
                _("Bodies"),
                ngettext_lazy(
                    "All %(count)s body matching “%(q)s”", "All %(count)s bodies matching “%(q)s”", "count"
                ),
                BodyFilter,
                None,
                "bodies:list",
                "search/_body.html",
            ),
            (
                _("Events"),
                ngettext_lazy(
                    "All %(count)s event matching “%(q)s”", "All %(count)s events matching “%(q)s”", "count"
                ),
                EventFilter,
                None,
                "events:list",
                "search/_event.html",
            ),
            # Other spellings are shown, so a hit on one of them is plain to see.
            (
                _("People"),
                ngettext_lazy(
                    "All %(count)s person matching “%(q)s”", "All %(count)s people matching “%(q)s”", "count"
                ),
                PersonFilter,
                Person.objects.prefetch_related(
                    Prefetch("other_names", queryset=PersonName.objects.published())
                ),
                "people:list",
                "search/_person.html",
            ),
            # A source found by a quote shows the quote, so the reader sees why.
            (
                _("Sources"),
                ngettext_lazy(
                    "All %(count)s source matching “%(q)s”", "All %(count)s sources matching “%(q)s”", "count"
                ),
                SourceFilter,
                with_quote_containing(q),
                "sources:list",
                "search/_source.html",
            ),
        ]:
            hits = filtered(filterset_class({"q": q}, queryset=queryset))
            count = hits.count()
            if count:  # a kind of record with no hit is left out, not listed as empty
                sections.append(
                    {
                        "title": title,
                        "more": more % {"count": count, "q": q},
                        "count": count,
                        "hits": hits[:SEARCH_HITS],
                        "more_url": reverse(url_name) + "?" + request.GET.urlencode(),
                        "template": template,
                    }
                )
    return render(
        request,
        "search.html",
        {"q": q, "sections": sections, "total": sum(s["count"] for s in sections)},
    )


def with_quote_containing(text: str):
    """Sources, each with `quote_hit`: a quote the public sees cited from it that contains
    `text` (as SourceFilter's search matches quotes), or None."""
    quotes = [
        Subquery(
            public(model.objects.filter(source=OuterRef("pk"), quote__icontains=text))
            .order_by("pk")
            .values("quote")[:1]
        )
        for model in citation_models()
    ]
    return Source.objects.annotate(quote_hit=Coalesce(*quotes, output_field=TextField()))


@taking()
def about(request):
    """Method, vocabularies and citation advice; every definition comes from the models."""
    rank_field = CitationBase._meta.get_field("rank")
    return render(
        request,
        "about.html",
        {
            "treaty_statuses": [
                (code, label, _(TREATY_STATUS_DEFINITIONS[code])) for code, label in TreatyStatus.choices
            ],
            "standings": [(code, label, _(STANDING_DEFINITIONS[code])) for code, label in Standing.choices],
            "ranks": Rank.choices,
            "rank_help": rank_field.help_text,
            "treaty_kinds": TreatyKind.choices,
            "body_kinds": BodyKind.choices,
            "event_kinds": EventKind.choices,
            "edtf_examples": EDTF_EXAMPLES,
            "datasets": DATASETS.values(),
            "licence": LICENCE,
            "site_name": settings.SITE_NAME,
            "site_url": site_address(request),
            "today": timezone.localdate(),
        },
    )


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the API, a CSV file)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    """The 404 page, saying what was not found: the record a detail page's address names
    ("No treaty with the number 99999."), or a view's own message, but never the URL
    resolver's internals or Django's generic "No treaty found matching the query"."""
    message = ""
    if isinstance(exception, Http404) and not isinstance(exception, Resolver404):
        message = missing_record(request) or (str(exception.args[0]) if exception.args else "")
    return render(request, "404.html", {"message": message}, status=404)


def missing_record(request) -> str:
    """What a record page's address asked for, when the page found no such record: each
    detail and history view takes the record's key as `pk` and names its model, either as
    a class attribute or (for the shared history view) in the URL map."""
    match = request.resolver_match
    key = match.kwargs.get("pk") if match else None
    func = getattr(match, "func", None)
    model = getattr(func, "view_initkwargs", {}).get("model") or getattr(
        getattr(func, "view_class", None), "model", None
    )
    if key is None or model is None:
        return ""
    return no_record_with(model, key)


def citation_count():
    """How many public citations draw on each source, across every kind of record; one
    subquery per citation table, so no join multiplies rows."""
    counts = [
        Coalesce(
            Subquery(
                public(model.objects.filter(source=OuterRef("pk")))
                .order_by()
                .values("source")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )
        for model in (TreatyStepCitation, BodyStandingCitation, EventCitation, PersonCitation)
    ]
    return sum(counts[1:], start=counts[0])


class SourceListView(FilteredListView):
    filterset_class = SourceFilter
    dataset = "sources"

    def get_base_queryset(self):
        return Source.objects.published().annotate(citation_count=citation_count())


CITATION_COLUMNS = ("id", "quote", "paragraph", "rank", "rank_reason", "note")
# The page of each kind of record a citation supports (a step's is its treaty's or body's).
CITED_PAGES = {
    "treaty": "treaties:detail",
    "body": "bodies:detail",
    "event": "events:detail",
    "person": "people:detail",
}


def _cited(queryset, order: int, kind: str, key, name, short=None, status=None, date=None):
    """One citation table as rows of the source page's single list; the four are joined
    with UNION ALL, so one query counts them and one reads a page, whatever their size.
    `short` names the record where space is short (a body's acronym). `is_draft` marks,
    in a preview, a citation the public cannot see yet."""
    text = CharField()
    name = text_expression(name, current(), text)  # a translated field, in the page's language
    return queryset.order_by().values(
        *CITATION_COLUMNS,
        is_draft=is_draft_expression(queryset.model),
        kind_order=Value(order, output_field=IntegerField()),
        kind=Value(kind, output_field=text),
        key=Cast(key, output_field=text),
        name=Cast(name, output_field=text),
        short=Cast(short or name, output_field=text),
        step_status=Cast(status, output_field=text) if status else Value("", output_field=text),
        step_date=Cast(date, output_field=text) if date else Value("", output_field=text),
    )


class SourceDetailView(PreviewMixin, GatedMixin, DetailView):
    """A source and every citation drawn from it that the page may show. A source with
    an archived text is shown as a reader: its paragraphs (all of them, or where its full
    text may not be shown those quoted from), each quoted passage marked once and followed
    by the records it supports, each paragraph with its permalink (#p7). A source with no
    text (a register) lists its citations, paginated."""

    model = Source
    takes = (PAGE, PREVIEW_PARAM)

    def get_context_data(self, **kwargs):
        source = self.object
        citations = self.citations().order_by("kind_order", "name", "id")
        if source.text:
            check_ignored_page(self.request.GET)  # the reader is one page
            reading = {"paragraphs": self.read(list(citations))}
        else:
            page = get_page(Paginator(citations, 50), self.request.GET.get(PAGE))
            reading = {"page_obj": page, "citations": page.object_list}
        return super().get_context_data(
            treaties_described=shown_rows(source.treaties_described.all(), self.preview),
            **reading,
            **kwargs,
        )

    def citations(self):
        source = self.object

        def drawn(model):
            return shown_rows(model.objects.filter(source=source), self.preview)

        return _cited(
            drawn(TreatyStepCitation),
            1,
            "treaty",
            "record__treaty_id",
            "record__treaty__title",
            status="record__status",
            date="record__date",
        ).union(
            _cited(
                drawn(BodyStandingCitation),
                2,
                "body",
                "record__body_id",
                "record__body__name",
                short=Coalesce(
                    NullIf("record__body__acronym", Value("")),
                    text_expression("record__body__name", current(), CharField()),
                ),
                status="record__status",
                date="record__date",
            ),
            _cited(drawn(EventCitation), 3, "event", "record_id", "record__title"),
            _cited(drawn(PersonCitation), 4, "person", "record_id", "record__name"),
            all=True,
        )

    def read(self, citations: list[dict]) -> list[dict]:
        """The text's paragraphs for the reader: each passage quoted, once, with links to
        the records its quotes support; the reasons of the passages set aside."""
        source = self.object
        paragraphs = marked(source.text, ((i, row["quote"]) for i, row in enumerate(citations)))
        shown_all = source.full_text_public
        set_aside = {}
        for row in shown_rows(source.set_asides.all(), self.preview):
            set_aside.setdefault(row.paragraph, []).append(row)
        return [
            {
                "number": paragraph.number,
                "shown": shown_all or paragraph.is_cited,
                "segments": [
                    {"text": segment.text, "links": [cited_link(citations[i]) for i in segment.cited]}
                    for segment in paragraph.segments
                ],
                "set_aside": set_aside.get(paragraph.number, []),
            }
            for paragraph in paragraphs
        ]


def cited_link(row: dict) -> dict:
    """A record a quoted passage supports, as the reader links to it: a step by its treaty
    or body and status ("ETS No. 141: Party"), an event or a person by name."""
    if row["kind"] in ("treaty", "body"):
        name = Treaty(number=int(row["key"])).label if row["kind"] == "treaty" else row["short"]
        label = f"{name}: {status_labels(row['kind']).get(row['step_status'], row['step_status'])}"
    else:
        label = row["name"]
    return {
        "url": reverse(CITED_PAGES[row["kind"]], args=[row["key"]]),
        "label": label,
        "rejected": row["rank"] == Rank.DEPRECATED,
        "is_draft": row["is_draft"],
    }
