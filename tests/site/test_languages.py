"""The public site in Kazakh, Russian and English: each page at its address in each language
(English unprefixed, as always; /kk/, /ru/), with the page's language declared, a switcher
to the same page and query in the others, hreflang alternates, dates in each language's
words, translated refusals, and no English left in the interface of a Kazakh or Russian
page but the records' own texts (which are the translations' to give, or marked lang="en")."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from bodies.models import BodyKind, Standing
from coe_kz.dates import day_words, edtf_human
from coe_kz.site.datasets import DATASETS
from events.models import Event, EventKind, Person
from tests.helpers import text
from tests.site.test_pages import PAGES, structure
from treaties.models import TreatyKind, TreatyStatus

LANGUAGES = ("kk", "ru")
# What a Kazakh or Russian page may show in Latin letters besides the records' texts:
# names of formats, standards and tools, codes, and the site's own name.
LATIN = set(
    [
        "API",
        "Atom",
        "CC",
        "CETS",
        "coe",
        "CSV",
        "csv",
        "datapackage",
        "EDTF",
        "ETS",
        "Excel",
        "Frictionless",
        "frictionless",
        "GRECO",
        "EXT",  # GR-EXT
        "ISO",
        "JSON",
        "json",
        "No",
        "OpenAPI",
        "pysbd",
        "README",
        "SHA",
        "UTC",
        "UTF",
        "validate",
        "YYYY",
        "zip",
        "bom",
        "URL",
        "Creative",
        "Commons",
        "Attribution",
        "International",
    ]
)


def prefixed(url: str, language: str) -> str:
    return url if language == "en" else f"/{language}{url}"


class Interface(HTMLParser):
    """The words a reader meets on a page (text, and the attributes shown or read aloud),
    except inside code, quotes and any element marked as in another language."""

    VOID = {"br", "hr", "img", "input", "link", "meta", "rect", "circle", "line", "path", "wbr"}
    READ = ("aria-label", "placeholder", "alt", "title")

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language, self.open, self.texts = language, [], []

    def skipping(self):
        return any(skipped for _tag, skipped in self.open)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skipped = tag in {"code", "script", "style", "blockquote"} or (
            tag != "html" and a.get("lang", self.language) != self.language
        )
        if not (self.skipping() or skipped):
            self.texts += [a[name] for name in self.READ if a.get(name)]
            if tag == "meta" and a.get("name") == "description":
                self.texts.append(a["content"])
        if tag not in self.VOID:
            self.open.append((tag, skipped))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        if not self.skipping():
            self.texts.append(data)


def record_texts() -> list[str]:
    """Every text the records hold (titles, names, quotes, notes, the editors' reasons...),
    longest first: what a page shows of the data, not of its interface."""
    texts = set()
    for label in ("treaties", "bodies", "events", "coe_kz"):
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
            ]
            for row in model._default_manager.all():
                texts.update(str(getattr(row, name)).strip() for name in fields)
                texts.add(str(row))
                texts.update(
                    str(getattr(row, extra))
                    for extra in ("label", "short_name", "log_label")
                    if hasattr(row, extra)
                )
    # Texts of a letter or two, or with no letter ("en", "2015"), would cut codes apart.
    texts = [text for text in texts if len(text) > 2 and re.search("[^\\W\\d_]", text)]
    return sorted(texts, key=len, reverse=True)


def english_left(html: str, language: str, data: list[str]) -> set[str]:
    parser = Interface(language)
    parser.feed(html)
    text = "\n".join(parser.texts)
    for record_text in data:
        # Whole words only: a code stored as a record's text ("member") is no part of
        # another word ("membership").
        text = re.sub(rf"(?<!\w){re.escape(record_text)}(?!\w)", " ", text)
    # Addresses, file names, codes with a number in them (keys, dates, versions), and
    # snake_case names (as_of, treaty_steps).
    text = re.sub(r"https?://\S+|/\S*|\b[\w-]+\.(?:csv|zip|json)\b|[\w-]*\d[\w-]*|\w+_\w+", " ", text)
    return {word for word in re.findall(r"[A-Za-z][A-Za-z’']+", text) if len(word) > 2} - LATIN - codes()


def codes() -> set[str]:
    """The codes and parameter names a refusal names (“status: «x» is not one of: party, ...”):
    the same in every language, as the exports and the API use them."""
    words = {"status", "kind", "as_of", "page", "year", "treaty", "body", "person", "language", "key"}
    for model in (TreatyStatus, Standing, TreatyKind, BodyKind, EventKind):
        words.update(model.values)
    return words


def dictionary_words() -> list[str]:
    """The exports' contract, which /export/'s data dictionary names in its running text
    in every language (column names are code, and snake_case names are no words): the
    datasets' names, the columns' codes, the booleans. Allowed on /export/ alone, so that
    "events" or "deprecated" left in English on any other page is still found."""
    words = {"true", "false", *DATASETS}
    words.update(code for dataset in DATASETS.values() for column in dataset.columns for code in column.codes)
    return sorted(words)


@pytest.mark.parametrize("language", ("en", *LANGUAGES))
@pytest.mark.parametrize("url", PAGES)
def test_every_public_page_answers_in_each_language(client, site_data, url, language):
    english = client.get(url)
    response = client.get(prefixed(url, language))
    assert response.status_code == english.status_code
    assert response["Content-Language"] == language
    assert "Vary" not in response or "Accept-Language" not in response["Vary"]
    page = structure(response.content.decode())
    assert page.html_lang == language
    assert page.headings.count(1) == 1
    assert page.external == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("url", [*PAGES, "/export/"])  # /export/: the data dictionary too
def test_no_english_interface_string_is_left(client, site_data, url, language):
    html = client.get(prefixed(url, language)).content.decode()
    query = re.findall(r"=(\w+)", url)  # a search's words and a refused value come back
    data = record_texts() + query + ["Initial import"] + (dictionary_words() if url == "/export/" else [])
    assert english_left(html, language, data) == set()


def test_the_language_switcher_keeps_the_page_and_its_query(client, site_data):
    html = client.get("/ru/events/?year=2013&utm_source=newsletter").content.decode()
    switcher = html.split('<nav class="languages"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/events/?year=2013" lang="en" hreflang="en">' in switcher
    assert '<a href="/kk/events/?year=2013" lang="kk" hreflang="kk">' in switcher
    assert '<a href="/ru/events/?year=2013" lang="ru" aria-current="true">' in switcher
    for name in ("English", "Қазақша", "Русский"):  # each named in its own language
        assert f'<span class="language-name">{name}</span>' in switcher
    assert "utm_" not in switcher  # tracking parameters are dropped, as every page drops them
    # A record's page links to the same record; a plain <a>, so it works without script.
    html = client.get("/treaties/141/").content.decode()
    assert 'href="/kk/treaties/141/" lang="kk"' in html and 'href="/ru/treaties/141/" lang="ru"' in html
    # A page that does not exist offers the home page in each language (its address may
    # name a draft, which no page names).
    html = client.get("/kk/nowhere/").content.decode()
    assert 'href="/ru/" lang="ru"' in html and 'href="/" lang="en"' in html and "nowhere" not in html


def test_each_page_names_its_alternates_in_the_other_languages(client, site_data):
    html = client.get("/kk/bodies/greco/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="/bodies/greco/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="/bodies/greco/">' in html
    assert '<link rel="alternate" hreflang="kk" href="/kk/bodies/greco/">' in html
    assert '<link rel="alternate" hreflang="ru" href="/ru/bodies/greco/">' in html


def test_the_sitemap_lists_every_page_in_each_language_with_its_alternates(client, site_data):
    sections = ("pages", "treaties", "bodies")
    xml = "".join(client.get(f"/sitemap-{section}.xml").content.decode() for section in sections)
    for location in ("/treaties/141/", "/kk/treaties/141/", "/ru/treaties/141/", "/kk/about/"):
        assert f"<loc>http://testserver{location}</loc>" in xml
    assert '<xhtml:link rel="alternate" hreflang="ru" href="http://testserver/ru/bodies/greco/"/>' in xml
    assert '<xhtml:link rel="alternate" hreflang="x-default" href="http://testserver/bodies/greco/"/>' in xml
    assert client.get("/kk/sitemap.xml").status_code == 404
    assert client.get("/kk/sitemap-treaties.xml").status_code == 404


@pytest.mark.parametrize(
    ("edtf", "form", "en", "kk", "ru"),
    [
        ("2023-10-07", "", "7 October 2023", "2023 жылғы 7 қазан", "7 октября 2023 г."),
        ("2012-03", "", "March 2012", "2012 жылғы наурыз", "март 2012 г."),
        ("1997", "", "1997", "1997 ж.", "1997 г."),
        (
            "../2023-10-07",
            "",
            "on or before 7 October 2023",
            "2023 жылғы 7 қазан немесе одан ертерек",
            "7 октября 2023 г. или ранее",
        ),
        (
            "2018-01-01/..",
            "",
            "on or after 1 January 2018",
            "2018 жылғы 1 қаңтар немесе одан кейін",
            "1 января 2018 г. или позднее",
        ),
        (
            "2013-12-19/2018-09-20",
            "",
            "between 19 December 2013 and 20 September 2018",
            "2013 жылғы 19 желтоқсан – 2018 жылғы 20 қыркүйек аралығында",
            "в период: 19 декабря 2013 г. — 20 сентября 2018 г.",
        ),
        ("XXXX", "", "date unknown", "күні белгісіз", "дата неизвестна"),
        ("", "", "no date given", "күні көрсетілмеген", "дата не указана"),
        ("201X", "", "the 2010s", "2010 жылдар", "2010-е годы"),
        ("2012-22", "", "summer 2012", "2012 жылғы жаз", "лето 2012 г."),
        ("2012-03", "since", "since March 2012", "2012 жылғы наурыздан бастап", "с марта 2012 г."),
        (
            "2013-12-19",
            "since",
            "since 19 December 2013",
            "2013 жылғы 19 желтоқсаннан бастап",
            "с 19 декабря 2013 г.",
        ),
        ("1997", "since", "since 1997", "1997 жылдан бастап", "с 1997 г."),
        (
            "../2023-10-07",
            "since",
            "since 7 October 2023 or earlier",
            "ең кеші 2023 жылғы 7 қазаннан бастап",
            "с 7 октября 2023 г. или ранее",
        ),
        (
            "XXXX",
            "since",
            "since a day no source gives",
            "ешбір дереккөз көрсетпеген күннен бастап",
            "со дня, не указанного ни в одном источнике",
        ),
    ],
)
def test_dates_read_in_each_language(edtf, form, en, kk, ru):
    with translation.override("kk"):
        assert edtf_human(edtf, form) == kk
    with translation.override("ru"):
        assert edtf_human(edtf, form) == ru
    with translation.override("en"):
        assert edtf_human(edtf, form) == en  # English as the site always wrote it


def test_a_page_s_dates_are_in_its_language(client, site_data):
    import datetime

    with translation.override("ru"):
        assert day_words(datetime.date(2015, 6, 30)) == "30 июня 2015 г."
    assert (
        "<h1>Статус Казахстана на 30 июня 2015 г.</h1>"
        in client.get("/ru/status/?as_of=2015-06-30").content.decode()
    )
    assert (
        "<h1>Қазақстанның 2015 жылғы 30 маусым күнгі мәртебесі</h1>"
        in client.get("/kk/status/?as_of=2015-06-30").content.decode()
    )
    assert (
        "<h1>Kazakhstan's standing on 30 June 2015</h1>"
        in client.get("/status/?as_of=2015-06-30").content.decode()
    )
    # A Russian date ends in its own "г.": a sentence ending on one takes no second full stop.
    html = client.get("/ru/about/").content.decode()
    assert "дата обращения: " in html and "г.." not in html


def test_a_source_s_text_names_the_records_it_quotes_for_in_the_page_s_language(client, site_data):
    ferati = Person.objects.get(slug="mustafa-ferati")
    ferati.name_kk = "Мұстафа Ферати"
    ferati.save()
    html = client.get("/kk/sources/news-2023/").content.decode()
    # The text stays in its own language; what the site says about it is in the page's.
    assert '<div class="reader" lang="en">' in html
    cited = re.findall(r'<span class="cited-for" lang="(\w+)">\[(.*?)\]</span>', html, re.S)
    assert cited and {language for language, _links in cited} == {"kk"}
    links = " ".join(links for _language, links in cited)
    assert "Мұстафа Ферати" in links and "Mustafa Ferati" not in links
    assert re.search(r'<p class="set-aside" lang="kk"><strong>Шетке қойылған <span lang="en">“', html)


def test_an_event_s_place_reads_in_the_page_s_language_or_is_marked_english(client, site_data):
    with translation.override("en"):  # a query on a translated field reads the active language
        visit = Event.objects.get(location="Strasbourg")
    html = client.get(f"/kk/events/{visit.pk}/").content.decode()
    assert '<span lang="en">Strasbourg</span> <span class="in-english">(ағылшын тілінде)</span>' in html
    visit.location_kk = "Страсбург"
    visit.save()
    for url in (f"/kk/events/{visit.pk}/", "/kk/events/"):
        html = client.get(url).content.decode()
        assert "Страсбург" in html and '<span lang="en">Strasbourg</span>' not in html
    assert "Strasbourg" in client.get(f"/events/{visit.pk}/").content.decode()


def test_a_source_s_own_words_keep_its_language_on_every_page(client, site_data):
    # Its publisher as it names itself, and a quote found by a search.
    for url in ("/ru/sources/", "/ru/sources/news-2023/", "/ru/", "/ru/search/?q=readiness"):
        assert '<span lang="en">Agency</span>' in client.get(url).content.decode(), url
    html = client.get("/ru/search/?q=readiness").content.decode()
    assert '<span lang="en">“Mustafa Ferrati expressed readiness to assist.”</span>' in html


def test_the_change_log_names_records_in_the_page_s_language(client, site_data):
    page = text(client.get("/ru/changes/").content.decode())
    assert "Mustafa Ferati, другое написание: «Mustafa Ferrati»" in page
    assert "цитата — Mustafa Ferati" in page
    assert "also spelt" not in page and "citation on" not in page


def test_refusals_and_missing_pages_speak_the_page_s_language(client, site_data):
    response = client.get("/ru/treaties/99999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Страница не найдена" in html and "Нет записи (договор) с номером 99999." in html
    response = client.get("/kk/events/?kynd=visit")
    assert response.status_code == 400
    assert "Белгісіз параметр «kynd»; бұл деректер жиыны мыналарды қабылдайды:" in response.content.decode()
    response = client.get("/ru/treaties/?status=bogus")
    assert response.status_code == 400
    assert "«bogus» — не одно из значений: none, interested, invited, signed, party, denounced." in (
        response.content.decode()
    )
    # Django's own form messages too, where its Kazakh catalogue lacks them (coe_kz/django_locale).
    html = client.get("/kk/people/?q=" + "x" * 201).content.decode()
    assert "q: Бұл мән 200 таңбадан аспауы керек (қазір 201)." in html
    html = client.get("/kk/status/?as_of=2015-13-45").content.decode()
    assert "as_of: «2015-13-45» — күнтізбелік күн емес; ЖЖЖЖ-АА-КК түрінде жазыңыз" in html
    # English as before, at the addresses it always had.
    assert "No treaty with the number 99999." in client.get("/treaties/99999/").content.decode()


def test_exports_the_api_and_the_admin_keep_one_address_in_english(client, site_data):
    for url in ("/export/events.csv", "/api/treaties/141/", "/api/", "/export/coe-kz.zip", "/robots.txt"):
        assert client.get(url).status_code == 200
        assert client.get(f"/kk{url}").status_code == 404
    assert client.get("/ru/admin/").status_code == 404
    # An export's refusal is in English whatever the reader's browser asks for.
    response = client.get("/export/events.csv?kynd=visit", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400 and "Unknown parameter" in response.content.decode()
    assert response["Content-Language"] == "en"
