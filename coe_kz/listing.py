"""What every public list page shares: a FilterSet from the query string, a page
number, and a clear 400 for bad parameters. (The CSV twin's address is a template tag,
coe_kz_tags.csv_twin.)

Kept apart from coe_kz/views.py (the site's own pages, which compose the apps) so
that the apps' views can import it without importing each other.
"""

import functools

from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.generic import ListView

PAGE_SIZE = 50


class BadParameters(Exception):
    """The query string asks for something that cannot be answered; `problems` says what,
    one sentence each, for the 400 page."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


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


class BadParametersMixin:
    """For class-based views: BadParameters from any method becomes the 400 page."""

    @classmethod
    def as_view(cls, **initkwargs):
        return answering_bad_parameters(super().as_view(**initkwargs))


def form_problems(form) -> list[str]:
    """A form's errors as sentences naming the URL parameter: "kind: Select a valid choice…"."""
    return [f"{name}: {message}" for name, errors in form.errors.items() for message in errors]


def get_page(paginator: Paginator, number: str | None):
    """The page the `page` parameter asks for, or BadParameters saying why there is none."""
    try:
        return paginator.page(number or 1)
    except InvalidPage:
        pass
    if not (str(number).isascii() and str(number).isdigit()):  # "²" is a digit to Python
        problem = f"page: “{number}” is not a page number; use a whole number from 1."
    else:
        problem = (
            f"page: there is no page {number}; this list has "
            f"{paginator.num_pages} page{'s' if paginator.num_pages != 1 else ''}."
        )
    raise BadParameters([problem])


class FilteredListView(BadParametersMixin, ListView):
    """A list filtered by its FilterSet, paginated, answering bad parameters with a 400.

    Subclasses set `filterset_class`, `dataset` (the CSV twin's name) and `get_base_queryset()`
    with the named joins the template needs.
    """

    filterset_class = None
    dataset = ""
    paginate_by = PAGE_SIZE

    def get_base_queryset(self):
        return self.filterset_class._meta.model._default_manager.all()

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET, queryset=self.get_base_queryset())
        if not self.filterset.is_valid():
            raise BadParameters(form_problems(self.filterset.form))
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = get_page(paginator, self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filterset.form
        context["dataset"] = self.dataset
        context["is_filtered"] = any(
            value not in (None, "") for value in self.filterset.form.cleaned_data.values()
        )
        return context


class StatusTodayMixin:
    """Treaty and body pages show Kazakhstan's status in each record today: `answer`
    on a detail page, `rows` of (record, answer) on a list. The records come with
    their steps prefetched, so this adds no query."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["today"] = today
        if "object" in context:
            context["answer"] = context["object"].status_on(today)
        else:
            context["rows"] = [(record, record.status_on(today)) for record in context["object_list"]]
        return context
