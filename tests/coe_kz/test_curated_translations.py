"""The curated data in Russian and Kazakh: every treaty, body, event and person carries
its title, name and summary in both, official names where there are (the Council of
Europe's and Kazakhstan's), and its quotes stay verbatim in their source's language."""

import pytest
from django.utils import translation

from bodies.models import Body
from events.models import Event, Person
from tests.helpers import text
from treaties.models import Treaty

TEXTS = {Treaty: ("title",), Body: ("name",), Event: ("title", "summary"), Person: ("name",)}


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
                assert any("а" <= char.lower() <= "я" or char in "әғқңөұүһі" for char in translated)


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


def test_a_cyrillic_query_finds_the_curated_person_and_the_latin_one_too(client, curated):
    for q in ("Василенко", "Vassilenko"):
        assert "People (1) Roman Vassilenko" in text(client.get("/search/", {"q": q}).content.decode()), q
    assert "Venice" in text(client.get("/search/", {"q": "Венецианская"}).content.decode())
