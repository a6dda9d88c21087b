"""What every public page shares: its query string through the parameter gate
(coe_kz.params), a clear 400 page for bad parameters, and for a list a FilterSet and a
page number. (The CSV twin's address is a template tag, coe_kz_tags.csv_twin.)

Kept apart from coe_kz/views.py (the site's own pages, which compose the apps) so
that the apps' views can import it without importing each other.
"""

import functools
from collections.abc import Callable

from django.core.paginator import InvalidPage, Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.generic import ListView

from coe_kz.filters import parameter_names
from coe_kz.params import PAGE, BadParameters, filtered, gate, list_gate, page_number

PAGE_SIZE = 50


def bad_request(request, problems: list[str]):
    """The 400 page, in the site's style, listing what was wrong with the request."""
    return render(request, "400.html", {"problems": problems}, status=400)


def answering_bad_parameters(view):
    """Wrap a view so that BadParameters raised anywhere inside it becomes the 400 page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadParameters as error:
            return bad_request(request, error.problems)

    return wrapped


def gated(check: Callable[[QueryDict], QueryDict]):
    """A view decorator: the query string passes `check` (a gate of coe_kz.params) before
    the view runs, and BadParameters raised anywhere inside becomes the 400 page."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            # Replaced, not only checked: all that follows reads the cleaned query, so no
            # link built from it (pagination, the CSV twin, the feed) carries tracking.
            request.GET = check(request.GET)
            return view(request, *args, **kwargs)

        return answering_bad_parameters(wrapped)

    return decorate


def taking(*names: str):
    """For a function view: the parameters it takes (none when left empty)."""
    return gated(functools.partial(gate, takes=names))


class GatedMixin:
    """For class-based views: the query string passes the gate with the parameters
    `takes` names before the view runs (override `gate` for more); BadParameters from
    any method becomes the 400 page."""

    takes: tuple[str, ...] = ()

    @classmethod
    def gate(cls, query: QueryDict) -> QueryDict:
        return gate(query, cls.takes)

    @classmethod
    def as_view(cls, **initkwargs):
        return gated(cls.gate)(super().as_view(**initkwargs))


def get_page(paginator: Paginator, number: str | None):
    """The page the `page` parameter asks for, or BadParameters saying why there is none."""
    try:
        return paginator.page(page_number(number))
    except InvalidPage:
        pages = paginator.num_pages
        message = ngettext(
            "%(page)s: there is no page %(number)s; this list has %(pages)s page.",
            "%(page)s: there is no page %(number)s; this list has %(pages)s pages.",
            pages,
        )
        raise BadParameters([message % {"page": PAGE, "number": number, "pages": pages}]) from None


class FilteredListView(GatedMixin, ListView):
    """A list filtered by its FilterSet, paginated, answering bad parameters with a 400.
    It takes what its CSV twin, API endpoint and feed take (coe_kz.params.list_gate).

    Subclasses set `filterset_class`, `dataset` (the CSV twin's name) and `get_base_queryset()`
    with the named joins the template needs.
    """

    filterset_class = None
    dataset = ""
    paginate_by = PAGE_SIZE

    @classmethod
    def gate(cls, query):
        return list_gate(query, parameter_names(cls.filterset_class))

    def get_base_queryset(self):
        return self.filterset_class._meta.model._default_manager.all()

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET, queryset=self.get_base_queryset())
        return filtered(self.filterset)

    def is_filtered(self) -> bool:
        """Whether a filter narrows the list (after get_queryset has run)."""
        return any(value not in (None, "") for value in self.filterset.form.cleaned_data.values())

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = get_page(paginator, self.request.GET.get(PAGE))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filterset.form
        context["dataset"] = self.dataset
        context["is_filtered"] = self.is_filtered()
        return context


class StatusOnDayMixin:
    """Treaty and body pages show Kazakhstan's status in each record on one day: a
    record's page today (`answer`); a list on the day its `as_of` filter names, today
    when empty (`day`). A list's `rows` are (record, answer) pairs; unless the list is
    filtered by status, records with no standing that day are set apart in `folded`, so
    they do not bury the ones that have one. Filtered by status, `perhaps` names the
    records a step of uncertain date may already have given that status. The records come with their steps
    prefetched, so this adds no query."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["today"] = today
        if "object" in context:
            context["answer"] = context["object"].status_on(today)
            return context
        day = context["day"] = self.filterset.day
        rows = [(record, record.status_on(day)) for record in context["object_list"]]
        if status := self.filterset.form.cleaned_data.get("status"):
            context["rows"], context["folded"] = rows, []
            context["asked_status"], context["perhaps"] = status, self.filterset.perhaps
        else:
            context["rows"] = [(record, answer) for record, answer in rows if not answer.certainly_none]
            context["folded"] = [(record, answer) for record, answer in rows if answer.certainly_none]
        return context
