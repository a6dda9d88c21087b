"""The editors' admin: the base every app's admin is built from, and the sources' own.

Apps import what they need from here: HistoryAdmin (coe_kz.admin.base), the inlines
(coe_kz.admin.inlines) and the shared admins of records, steps and citations
(coe_kz.admin.records).
"""

from coe_kz.admin.base import HistoryAdmin
from coe_kz.admin.inlines import AutocompleteInline, CitationInline, EditInline, StepInline
from coe_kz.admin.records import (
    CitationAdmin,
    RecordAdmin,
    RejectedFilter,
    StepAdmin,
    StepStatusFilter,
)
from coe_kz.admin.sources import SourceAdmin
from coe_kz.admin.utils import count_of

__all__ = [
    "AutocompleteInline",
    "CitationAdmin",
    "CitationInline",
    "EditInline",
    "HistoryAdmin",
    "RecordAdmin",
    "RejectedFilter",
    "SourceAdmin",
    "StepAdmin",
    "StepInline",
    "StepStatusFilter",
    "count_of",
]
