"""What a body record says of itself."""

from bodies.models import Body


def test_a_body_is_named_in_a_few_words_by_its_acronym_or_the_name_in_brackets():
    assert Body(name="Group of States against Corruption", acronym="GRECO").short_name == "GRECO"
    venice = Body(name="European Commission for Democracy through Law (Venice Commission)")
    assert venice.short_name == "Venice Commission"
    assert Body(name="Partial Agreement «Youth Card»").short_name == "Partial Agreement «Youth Card»"
