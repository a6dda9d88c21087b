"""A record's text in the reader's language (coe_kz_tags.translated): where it has no
translation, its English text, marked lang="en" and "(in English)"; a quote stays as its
source has it, an editor's translation beside it, labelled (coe_kz_tags.quote_translation)."""

from django.template import Context, Template
from django.utils import translation

from bodies.models import BodyStandingCitation
from treaties.models import Treaty

TITLE = Template('{% load coe_kz_tags %}<h1>{% translated treaty "title" %}</h1>')
CITATION = Template('{% include "includes/citation.html" %}')


def rendered(template: Template, language: str, **context) -> str:
    with translation.override(language):
        return template.render(Context(context))


def test_a_title_reads_in_the_readers_language_or_in_english_marked_as_such(world):
    treaty = Treaty.objects.get(number=141)
    treaty.title_ru = "Конвенция об отмывании"
    treaty.save()
    assert rendered(TITLE, "en", treaty=treaty) == "<h1>Convention on Laundering</h1>"
    assert rendered(TITLE, "ru", treaty=treaty) == "<h1>Конвенция об отмывании</h1>"
    assert rendered(TITLE, "kk", treaty=treaty) == (
        '<h1><span lang="en">Convention on Laundering</span> '
        '<span class="in-english">(ағылшын тілінде)</span></h1>'  # the mark in the page's language
    )


def test_a_text_is_escaped_in_every_language(world):
    treaty = Treaty.objects.get(number=141)
    treaty.title_ru = "<b>Конвенция</b>"
    treaty.save()
    assert "&lt;b&gt;Конвенция&lt;/b&gt;" in rendered(TITLE, "ru", treaty=treaty)
    assert '<span lang="en">A &amp; B</span>' in rendered(TITLE, "ru", treaty=Treaty(number=1, title="A & B"))


def test_a_quote_stays_verbatim_and_its_translation_is_shown_beside_it_labelled(world):
    citation = BodyStandingCitation.objects.select_related("source").get()
    citation.quote_translation_ru = "заявка Казахстана на участие была подана в июле 2013 года"
    citation.rank_reason_kk = "Айға дейін күнделген."
    citation.save()
    russian = rendered(CITATION, "ru", citation=citation)
    assert f"“{citation.quote}”" in russian, "the quote is never translated in place"
    assert (
        '<p class="quote-translation" lang="ru"><span class="label">Перевод:</span> '
        "заявка Казахстана на участие была подана в июле 2013 года</p>"
    ) in russian
    assert '<span lang="en">Dated to the month.</span>' in russian, "no Russian reason: the English, marked"
    kazakh = rendered(CITATION, "kk", citation=citation)
    assert "quote-translation" not in kazakh and "Айға дейін күнделген." in kazakh
    english = rendered(CITATION, "en", citation=citation)
    assert "quote-translation" not in english, "an English reader reads the English source as it is"
    assert "in English" not in english
