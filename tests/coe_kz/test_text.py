"""Folding text for search, and the search column every save (and the migration) fills."""

import pytest
from django.apps import apps

from coe_kz.text import fold, refill_search_text
from events.models import Person, PersonName
from treaties.models import Treaty


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Björn", "bjorn"),
        ("BJÖRN", "bjorn"),
        ("Xuclà", "xucla"),
        ("Bjørn", "bjorn"),  # ø has no decomposition of its own
        ("Straße", "strasse"),
        ("CETS № 198", "cets no 198"),
        ("Қазақстан", "қазақстан"),  # Cyrillic letters are kept, lowercased
        ("Ёлка", "елка"),  # ё and е are written interchangeably
    ],
)
def test_fold_ignores_case_and_accents(raw, folded):
    assert fold(raw) == folded


def test_saving_fills_the_search_text_of_the_searched_fields(db):
    treaty = Treaty.objects.create(number=141, title="Convention on Laundering", short_title="Blanchiment")
    assert treaty.search_text == "convention on laundering\nblanchiment"
    person = Person.objects.create(slug="bjorn-berge", name="Björn Berge", description="Deputy")
    # Then each text's skeleton (coe_kz.text.skeleton), where it differs.
    assert Person.objects.get(pk=person.pk).search_text == "bjorn berge\nbiorn berge"
    other = PersonName.objects.create(person=person, name="BJØRN BERGE")
    assert PersonName.objects.get(pk=other.pk).search_text == "bjorn berge\nbiorn berge"


def test_the_migration_fills_rows_saved_before_the_column_existed(db):
    person = Person.objects.create(slug="bjorn-berge", name="Björn Berge")
    Person.objects.update(search_text="")
    refill_search_text("events.Person")(apps, None)
    assert Person.objects.get(pk=person.pk).search_text == "bjorn berge\nbiorn berge"
