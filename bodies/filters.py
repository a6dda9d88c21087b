"""The body list's filters, shared with /export/bodies.csv."""

import django_filters
from django.utils.translation import gettext_lazy as _

from bodies.models import Body, BodyKind, Standing
from coe_kz.filters import SearchFilter, StatusFilterSet, StatusOnFilter
from coe_kz.text import matches_text


class BodyFilter(StatusFilterSet):
    """Bodies by kind, by Kazakhstan's standing on a day (today unless `as_of` names
    another), and by name, acronym or key."""

    kind = django_filters.ChoiceFilter(choices=BodyKind.choices, label=_("Kind"), empty_label=_("Any"))
    status = StatusOnFilter(choices=Standing.choices, label=_("Standing on the day"), empty_label=_("Any"))
    q = SearchFilter(help_text=_("Part of the name, acronym or key."))

    class Meta:
        model = Body
        fields = ["kind", "status", "as_of", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(matches_text(value))
