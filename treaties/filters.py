"""The treaty list's filters, shared with /export/treaties.csv."""

import django_filters
from django.db.models import Q

from coe_kz.filters import PublicFilterSet, SearchFilter, StatusTodayFilter
from treaties.models import Treaty, TreatyKind, TreatyStatus

# CETS numbers have three digits today; more than nine cannot be a treaty number.
MAX_NUMBER_DIGITS = 9


class TreatyFilter(PublicFilterSet):
    """Treaties by Kazakhstan's status today, by kind, and by number or title."""

    status = StatusTodayFilter(choices=TreatyStatus.choices, label="Status today", empty_label="Any")
    kind = django_filters.ChoiceFilter(choices=TreatyKind.choices, label="Kind", empty_label="Any")
    q = SearchFilter(help_text="A CETS/ETS number, or part of the title or short title.")

    class Meta:
        model = Treaty
        fields = ["status", "kind", "q"]

    def search(self, queryset, name, value):
        match = Q(title__icontains=value) | Q(short_title__icontains=value)
        if value.isdigit() and len(value) <= MAX_NUMBER_DIGITS:
            match |= Q(number=int(value))
        return queryset.filter(match)
