"""The bodies' texts in every language (django-modeltranslation reads this module): names
and notes; standings' notes and citations' notes, reasons and quote translations come from
the core's bases (coe_kz/translation.py)."""

from bodies.models import Body, BodyStanding, BodyStandingCitation
from coe_kz.languages import translatable

translatable(Body, "name", "note", required=("name",))
translatable(BodyStanding)
translatable(BodyStandingCitation)
