"""The curated data in Russian and Kazakh: every treaty, body, event and person carries
its title, name and summary in both, and every other text in English (sources' titles and
notes, reasons, notes) its Kazakh and Russian; official names where there are (the Council
of Europe's and Kazakhstan's), and its quotes stay verbatim in their source's language."""

import pytest
from django.utils import translation
from modeltranslation.translator import translator

from bodies.models import Body
from coe_kz.languages import text_in, translated_fields
from events.models import Event, Person
from tests.helpers import text
from treaties.models import Treaty

TEXTS = {Treaty: ("title",), Body: ("name",), Event: ("title", "summary"), Person: ("name",)}


def in_cyrillic(text: str) -> bool:
    """Whether `text` has a Russian or Kazakh letter."""
    return any("а" <= char.lower() <= "я" or char in "әғқңөұүһі" for char in text)


@pytest.mark.parametrize("model", list(TEXTS), ids=lambda model: model.__name__)
def test_every_curated_record_has_its_texts_in_kazakh_and_russian(curated, model):
    for record in model.objects.all():
        for name in TEXTS[model]:
            english = getattr(record, f"{name}_en")
            for language in ("kk", "ru"):
                translated = getattr(record, f"{name}_{language}")
                assert translated, f"{record.pk}: no {name} in {language}"
                assert translated != english or model is Person, (
                    f"{record.pk}: {name} in {language} is English"
                )
                assert in_cyrillic(translated)


def test_every_curated_text_in_english_has_its_kazakh_and_russian(curated):
    # Every translated field of every record (sources' titles and notes, the reasons
    # passages are set aside, notes and reasons of steps and citations, ...): wherever the
    # English has a text, so do Kazakh and Russian, in Cyrillic.
    missing, read = [], set()
    for model in translator.get_registered_models(abstract=False):
        for name in translated_fields(model):
            english = {f"{name}_en__gt": ""}
            for record in model._base_manager.filter(**english):
                read.add(f"{model.__name__}.{name}")
                for language in ("kk", "ru"):
                    translated = text_in(record, name, language)
                    if not in_cyrillic(translated):
                        missing.append(f"{model.__name__} {record.pk} {name}_{language}")
    assert {"Source.title", "Source.note", "SetAside.reason", "TreatyStep.note", "Body.note"} <= read
    assert {"BodyStandingCitation.rank_reason", "EventCitation.note"} <= read
    assert missing == []


def test_official_names_are_used(curated):
    venice = Body.objects.get(slug="venice-commission")
    assert venice.name_ru == "Европейская комиссия за демократию через право (Венецианская комиссия)"
    with translation.override("ru"):
        assert venice.short_name == "Венецианская комиссия"
    with translation.override("kk"):
        assert venice.short_name == "Венеция комиссиясы"
    assert Body.objects.get(slug="coe").name_kk == "Еуропа Кеңесі"
    assert Body.objects.get(slug="greco").name_ru == "Группа государств против коррупции"
    assert (
        Treaty.objects.get(number=127).title_ru
        == "Конвенция о взаимной административной помощи по налоговым делам"
    )
    assert Person.objects.get(slug="roman-vassilenko").name_ru == "Роман Василенко"


def test_one_term_for_one_thing_in_the_curated_texts(curated):
    # A body's acronym reads as the body's name gives it ("(GRECO)"), in every language's
    # texts; an invitation to accede is "қосылуға шақыру" in Kazakh, as on every page, and
    # ETS 141 the convention on "табыстар" (proceeds), as its Kazakh title has it.
    texts = [
        text_in(record, name, language)
        for model in translator.get_registered_models(abstract=False)
        for record in model._base_manager.all()
        for name in translated_fields(model)
        for language in ("kk", "ru")
    ]
    assert not [t for t in texts if "ГРЕКО" in t]
    assert not [t for t in texts if "қосылу шақыру" in t]
    assert not [t for t in texts if "кірістер туралы конвенция" in t]


def test_a_cyrillic_query_finds_the_curated_person_and_the_latin_one_too(client, curated):
    for q in ("Василенко", "Vassilenko"):
        assert "People (1) Roman Vassilenko" in text(client.get("/search/", {"q": q}).content.decode()), q
    assert "Venice" in text(client.get("/search/", {"q": "Венецианская"}).content.decode())
