"""The treaties' texts in every language (django-modeltranslation reads this module):
titles, short titles, notes and the places they were opened for signature; steps' notes
and citations' notes, reasons and quote translations come from the core's bases
(coe_kz/translation.py)."""

from coe_kz.languages import translatable
from treaties.models import Treaty, TreatyStep, TreatyStepCitation

translatable(Treaty, "title", "short_title", "note", "opened_place", required=("title",))
translatable(TreatyStep)
translatable(TreatyStepCitation)
