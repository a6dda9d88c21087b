"""The events' and people's texts in every language (django-modeltranslation reads this
module): events' titles, summaries and places, people's names and descriptions, the roles they
held; citations' notes, reasons and quote translations come from the core's base
(coe_kz/translation.py). Other names (PersonName) are spellings, each in its own script:
not translated, and searched as they are."""

from coe_kz.languages import translatable
from events.models import Event, EventCitation, Participation, Person, PersonCitation

translatable(Event, "title", "summary", "location", required=("title",))
translatable(Person, "name", "description", required=("name",))
translatable(Participation, "role", required=("role",))
translatable(EventCitation)
translatable(PersonCitation)
