"""The core's record texts in every language (django-modeltranslation reads this module):
sources' titles and notes, the reasons passages are set aside, and what every citation and
dated step declares (their concrete models are registered by their apps). A quote is never
translated: it stays as its source has it; an editor's translation of it, if any, is a
field of its own, shown beside it and labelled as a translation."""

from modeltranslation.translator import TranslationOptions, register

from coe_kz.languages import translatable
from coe_kz.models import CitationBase, DatedStepBase, SetAside, Source


@register(CitationBase)
class CitationTranslation(TranslationOptions):
    fields = ("note", "rank_reason", "quote_translation")


@register(DatedStepBase)
class DatedStepTranslation(TranslationOptions):
    fields = ("note",)


translatable(Source, "title", "note", required=("title",))
translatable(SetAside, "reason", required=("reason",))
