"""Search in any language and script (coe_kz.text: every language's text and each text's
Latin skeleton): a Cyrillic query finds a record named in Latin letters, and back."""

import pytest

from bodies.models import Body
from events.models import Person
from tests.helpers import get_csv, text


def test_a_cyrillic_query_finds_a_person_named_in_latin_letters_only(client, site_data):
    assert not Person.objects.get(slug="roman-vassilenko").name_ru
    page = text(client.get("/search/", {"q": "Василенко"}).content.decode())
    assert "People (1) Roman Vassilenko" in page
    assert "Events (1) Deputy minister visits Strasbourg" in page, "he took part in it"
    people = text(client.get("/people/", {"q": "василенко"}).content.decode())
    assert "Roman Vassilenko" in people


def test_a_name_in_russian_and_kazakh_is_found_in_either_script(client, site_data):
    person = Person.objects.get(slug="mustafa-ferati")
    person.name_ru, person.name_kk = "Мустафа Ферати", "Мұстафа Ферати"
    person.save()
    for q in ("Мустафа Ферати", "Мұстафа", "ФЕРАТИ", "Ferati", "Ferrati"):
        assert "People (1) Mustafa Ferati" in text(client.get("/search/", {"q": q}).content.decode()), q


def test_a_body_is_found_by_its_official_russian_name_and_its_kazakh_one(client, site_data):
    greco = Body.objects.get(slug="greco")
    greco.name_ru, greco.name_kk = (
        "Группа государств против коррупции",
        "Сыбайлас жемқорлыққа қарсы мемлекеттер тобы",
    )
    greco.save()
    assert "Bodies (1) Group of States" in text(
        client.get("/search/", {"q": "против коррупции"}).content.decode()
    )
    assert "Bodies (1) Group of States" in text(client.get("/search/", {"q": "жемқорлыққа"}).content.decode())
    _, _, rows = get_csv(client, "/export/bodies.csv?q=коррупции")
    assert [row["slug"] for row in rows] == ["greco"]


@pytest.mark.parametrize("q", ["Вассиленко", "Vasilenko", "VASSILENKO"])
def test_a_spelling_that_differs_by_a_doubled_letter_or_script_finds_the_same_person(client, site_data, q):
    assert "People (1) Roman Vassilenko" in text(client.get("/search/", {"q": q}).content.decode())


def test_a_query_in_no_record_finds_nothing_in_any_script(client, site_data):
    assert "Nothing found for “Занзибар”." in text(client.get("/search/", {"q": "Занзибар"}).content.decode())
