"""The treaty list's filters, shared with /export/treaties.csv."""

import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coe_kz.filters import SearchFilter, StatusFilterSet, StatusOnFilter
from coe_kz.text import fold, matches_text
from treaties.models import Treaty, TreatyKind, TreatyStatus

# CETS numbers have three digits today; more than nine cannot be a treaty number.
MAX_NUMBER_DIGITS = 9
# A treaty's number as people write it, once folded: 141, ETS 141, No. 141, CETS No. 198,
# CETS n° 198, CETS #198 (№ and º fold to "no").
TREATY_NUMBER = re.compile(rf"(?:c?ets)?[\s.]*(?:no\.?|nr\.?|n°|#)?\s*(\d{{1,{MAX_NUMBER_DIGITS}}})")


class TreatyFilter(StatusFilterSet):
    """Treaties by Kazakhstan's status on a day (today unless `as_of` names another), by
    kind, and by number or title."""

    status = StatusOnFilter(choices=TreatyStatus.choices, label=_("Status on the day"), empty_label=_("Any"))
    kind = django_filters.ChoiceFilter(choices=TreatyKind.choices, label=_("Kind"), empty_label=_("Any"))
    q = SearchFilter(
        help_text=_("A CETS/ETS number (141, ETS 141, CETS No. 198), or part of the title or short title.")
    )

    class Meta:
        model = Treaty
        fields = ["status", "as_of", "kind", "q"]

    def search(self, queryset, name, value):
        folded = fold(value)
        match = matches_text(value)
        if number := TREATY_NUMBER.fullmatch(folded):
            match |= Q(number=int(number[1]))
        return queryset.filter(match)
