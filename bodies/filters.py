"""The body list's filters, shared with /export/bodies.csv."""

import django_filters

from bodies.models import Body, BodyKind, Standing
from coe_kz.filters import PublicFilterSet, SearchFilter, StatusTodayFilter
from coe_kz.text import fold


class BodyFilter(PublicFilterSet):
    """Bodies by kind, by Kazakhstan's standing today, and by name, acronym or key."""

    kind = django_filters.ChoiceFilter(choices=BodyKind.choices, label="Kind", empty_label="Any")
    status = StatusTodayFilter(choices=Standing.choices, label="Standing today", empty_label="Any")
    q = SearchFilter(help_text="Part of the name, acronym or key.")

    class Meta:
        model = Body
        fields = ["kind", "status", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(search_text__contains=fold(value))
