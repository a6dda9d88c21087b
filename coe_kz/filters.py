"""Filters shared by every list and its CSV twin, and the sources' own FilterSet.

A FilterSet here knows nothing of pages or responses: the list views and the CSV
exports both build one from the query string and use `.qs`, so a CSV holds exactly
the rows its page shows. Every one of them is public: it lets only published records
through, whatever queryset it is given.
"""

import datetime
import functools

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ModelChoiceField

from coe_kz.dates import parse_day
from coe_kz.models import Source
from coe_kz.records import RECORD_WORDS, citation_models
from coe_kz.text import matches_text
from coe_kz.visibility import public

# Longer search text than this is not a search but an attack or an accident.
MAX_QUERY_LENGTH = 200


class SearchFilter(django_filters.CharFilter):
    """Free text, matched by the FilterSet's `search(queryset, text)` method; searches
    match it against the records' folded `search_text` (coe_kz.text), so case and
    accents do not matter."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Contains"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        kwargs.setdefault("strip", True)
        super().__init__(method="search", **kwargs)


class PublicFilterSet(django_filters.FilterSet):
    """The base of every public list's filters: only published records pass, so no
    page, CSV, feed or API built on one can show a draft."""

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        super().__init__(data, queryset.published(), **kwargs)
        for flt in self.filters.values():
            say_what_is_valid(flt)


@functools.cache
def parameter_names(filterset_class: type[django_filters.FilterSet]) -> tuple[str, ...]:
    """The query parameters a FilterSet reads, in its form's order: what its list, CSV,
    API endpoint and feed take (coe_kz.params.list_gate)."""
    return tuple(name for bound in filterset_class(QueryDict()).form for name in widget_names(bound))


def widget_names(bound) -> list[str]:
    """The query parameter names one filter field reads, range widgets' suffixes included."""
    widget = bound.field.widget
    if hasattr(widget, "suffixes"):  # django-filter's SuffixedMultiWidget (ranges)
        return [widget.suffixed(bound.html_name, suffix) for suffix in widget.suffixes]
    if hasattr(widget, "widgets_names"):  # Django's MultiWidget
        return [bound.html_name + suffix for suffix in widget.widgets_names]
    return [bound.html_name]


def say_what_is_valid(flt: django_filters.Filter) -> None:
    """A choice the filter does not know gets a message naming what it would accept
    (Django's own says only "Select a valid choice")."""
    if isinstance(flt, django_filters.ModelChoiceFilter):
        model = flt.field.queryset.model
        pk = model._meta.pk
        # A slug is a "key" here, an integer key a "number".
        key = _("key") if isinstance(pk, models.SlugField) else pgettext_lazy("record key", "number")
        message = format_lazy(
            _("“%(value)s” is not the {key} of a {record} on this site."),
            key=key,
            record=RECORD_WORDS.get(model._meta.model_name, model._meta.verbose_name),
        )
    elif isinstance(flt, django_filters.ChoiceFilter):
        codes = [str(value) for value, _label in flt.field.choices if value not in EMPTY_VALUES]
        message = format_lazy(_("“%(value)s” is not one of: {codes}."), codes=", ".join(codes))
    else:
        return
    flt.field.error_messages["invalid_choice"] = message


class KeyInput(forms.TextInput):
    """A record's key typed in (or arrived at from a link), with the chosen record's name
    shown beside it once the field has found it."""

    chosen = None

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if self.chosen is None:
            return html
        return html + format_html(' <span class="chosen">{}</span>', self.chosen)


class KeyChoiceField(ModelChoiceField):
    """A record by its key, as a ModelChoiceField takes it (the same values, the same
    refusal of a key no published record has), typed into a text field: a drop-down of
    every record would list thousands of options, all read from the database on each
    page. The record found is named beside the field (KeyInput)."""

    widget = KeyInput

    def clean(self, value):
        record = super().clean(value)
        self.widget.chosen = record
        return record


class KeyChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter on one record, given by its key (KeyChoiceField)."""

    field_class = KeyChoiceField


class DayField(forms.Field):
    """A calendar day typed as YYYY-MM-DD, read by coe_kz.dates.parse_day as the status
    page reads its `as_of`, so a bad day is refused in the same words everywhere."""

    widget = forms.DateInput(attrs={"type": "date"})

    def to_python(self, value):
        if value in EMPTY_VALUES:
            return None
        try:
            return parse_day(value.strip())
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class AsOfFilter(django_filters.Filter):
    """The day a list's status filter and its status column answer for (`as_of`); today
    when empty. It selects nothing itself: StatusOnFilter and the list read it through
    their FilterSet's `day`."""

    field_class = DayField

    def filter(self, qs, value):
        return qs


class StatusOnFilter(django_filters.ChoiceFilter):
    """Kazakhstan's status in a treaty or body on the FilterSet's day (StatusFilterSet.day),
    as coe_kz.status answers it.

    Status is derived from dated steps, not stored, so the database cannot filter on
    it without a second copy of status_on. Instead the filter loads the records with
    their published steps (the model's `for_status()`: two queries, whatever the number
    of records; records are at most a few hundred), asks each one, and keeps the keys
    that match. An uncertain answer matches the status in force, the one the list
    shows; the pages mark it uncertain. The records that a step of uncertain date may
    already have given the status are kept in the FilterSet's `perhaps`, so the list
    page can name them.
    """

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        day = self.parent.day
        # The list's own prefetches are cleared: a second Prefetch of the same steps
        # with another queryset object is refused by Django, and only steps are needed.
        records = qs.prefetch_related(None).for_status(published_only=True)
        answers = [(record, record.status_on(day)) for record in records]
        self.parent.perhaps = [
            record for record, answer in answers if answer.status != value and value in answer.possible
        ]
        return qs.filter(pk__in=[record.pk for record, answer in answers if answer.status == value])


class StatusFilterSet(PublicFilterSet):
    """The filters of a list of records with dated steps (treaties, bodies): each
    subclass declares its `status` (a StatusOnFilter with its own codes) and lists
    `as_of` beside it in Meta.fields. `day` is the day both answer for."""

    as_of = AsOfFilter(
        label=_("Day"),
        help_text=_(
            "The day the status is for, as YYYY-MM-DD (for example 2015-06-30); today when left empty."
        ),
    )

    # Records not selected, whose status on the day may already be the one asked for.
    perhaps: list = ()

    @property
    def day(self) -> datetime.date:
        """The `as_of` day, or today; only once the FilterSet is valid (its .qs is read)."""
        return self.form.cleaned_data.get("as_of") or timezone.localdate()


class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number from 1 to 9999 (what a date can hold)."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(**kwargs)


class SourceFilter(PublicFilterSet):
    """Sources by words in their title, publisher or quotes, by language, and by exact key,
    newest first (undated ones last, then by title), as the list shows them. (The
    citations export takes the same parameters: `key` gives one source's citations.)"""

    q = SearchFilter(help_text=_("Words from the title or publisher, or from a quote cited from the source."))
    language = django_filters.CharFilter(
        max_length=8, label=_("Language"), help_text=_("ISO 639-1 code, for example en or ru.")
    )
    key = django_filters.CharFilter(
        max_length=Source._meta.get_field("key").max_length,
        label=_("Key"),
        help_text=_("A source's key, as in its address, for example mfa-2023-10-07."),
    )

    class Meta:
        model = Source
        fields = ["q", "language", "key"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Source.objects.all()
        super().__init__(data, in_list_order(queryset), **kwargs)

    def search(self, queryset, name, value):
        match = matches_text(value)
        # Quotes keep their source's spelling and are not folded: matched regardless of case.
        for citation in citation_models():
            match |= Q(pk__in=public(citation.objects.filter(quote__icontains=value)).values("source"))
        return queryset.filter(match)


def in_list_order(sources: models.QuerySet) -> models.QuerySet:
    """Sources as their list shows them: the latest publication date first, undated
    sources last, then by title."""
    return sources.order_by(
        Coalesce("published_latest", "published_earliest").desc(nulls_last=True), "title", "key"
    )
