"""Exports stay a contract in every language: `lang` (en, kk, ru; English when absent)
chooses the language of the translated text columns only. Columns, codes, keys, dates,
quotes and row order are the same in all three; a bad `lang` is a 400 naming the
languages; release files never change."""

import io
import json
import zipfile

import pytest

from bodies.models import Body
from coe_kz.site.datasets import DATASETS
from tests.helpers import get_csv
from treaties.models import Treaty

LANGUAGES = ("en", "kk", "ru")
# What a translated text column may hold in another language; every other column must be
# the same in all three.
TEXT_COLUMNS = {"title", "short_title", "name", "summary", "note", "description", "role", "rank_reason"}
TEXT_COLUMNS |= {"record_label", "reason", "reasons"}


def file_bytes(client, address: str) -> bytes:
    response = client.get(address)
    assert response.status_code == 200, address
    return b"".join(response.streaming_content)


@pytest.fixture
def translated(site_data):
    treaty = Treaty.objects.get(number=141)
    treaty.title_ru = (
        "Конвенция об отмывании, выявлении, изъятии и конфискации доходов от преступной деятельности"
    )
    treaty.title_kk = "Қылмыстық жолмен алынған кірістерді жылыстату туралы конвенция"
    treaty.save()
    greco = Body.objects.get(slug="greco")
    # "А" sorts before every Latin name: the rows' order must not follow it.
    greco.name_ru = "А Группа государств против коррупции"
    greco.save()
    return site_data


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_every_dataset_has_the_same_columns_codes_and_rows_in_every_language(client, translated, dataset):
    files = {lang: get_csv(client, f"/export/{dataset}.csv?lang={lang}") for lang in LANGUAGES}
    assert file_bytes(client, f"/export/{dataset}.csv") == file_bytes(
        client, f"/export/{dataset}.csv?lang=en"
    )
    headers = {lang: header for lang, (_, header, _) in files.items()}
    assert headers["kk"] == headers["ru"] == headers["en"]
    kept = [name for name in headers["en"] if name not in TEXT_COLUMNS]
    for lang in ("kk", "ru"):
        rows = files[lang][2]
        assert [[row[c] for c in kept] for row in rows] == [[row[c] for c in kept] for row in files["en"][2]]


def test_the_label_columns_follow_lang_and_fall_back_to_english(client, translated):
    by_lang = {
        lang: {r["number"]: r for r in get_csv(client, f"/export/treaties.csv?lang={lang}")[2]}
        for lang in LANGUAGES
    }
    assert by_lang["en"]["141"]["title"] == "Convention on Laundering"
    assert by_lang["ru"]["141"]["title"].startswith("Конвенция об отмывании")
    assert by_lang["kk"]["141"]["title"].startswith("Қылмыстық жолмен")
    untranslated = [n for n in by_lang["en"] if n != "141"]
    assert untranslated and all(by_lang["ru"][n]["title"] == by_lang["en"][n]["title"] for n in untranslated)
    status = {r["key"]: r["name"] for r in get_csv(client, "/export/status.csv?lang=ru")[2]}
    assert status["141"] == f"ETS No. 141 {Treaty.objects.get(number=141).title_ru}"
    bodies = get_csv(client, "/export/bodies.csv?lang=ru")
    assert "bodies-lang-ru" in bodies[0]["Content-Disposition"]
    assert "А Группа государств против коррупции" in [row["name"] for row in bodies[2]]


def test_the_api_takes_lang_too_with_the_same_keys(client, translated):
    english = client.get("/api/treaties/141/").json()
    russian = client.get("/api/treaties/141/?lang=ru").json()
    assert english.keys() == russian.keys()
    assert (english["title"], russian["title"][:20]) == ("Convention on Laundering", "Конвенция об отмыван")
    assert {k: v for k, v in russian.items() if k != "title"} == {
        k: v for k, v in english.items() if k != "title"
    }
    page = client.get("/api/bodies/?lang=ru").json()
    assert [row["slug"] for row in page["results"]] == [
        row["slug"] for row in client.get("/api/bodies/").json()["results"]
    ]


@pytest.mark.parametrize(
    "address",
    [
        "/export/treaties.csv?lang=de",
        "/export/coe-kz.zip?lang=fr",
        "/api/treaties/?lang=RU",
        "/api/treaties/141/?lang=x",
    ],
)
def test_a_language_the_data_has_not_is_a_400_naming_the_languages(client, translated, address):
    response = client.get(address)
    assert response.status_code == 400
    body = response.content.decode()
    assert "is not a language of the data; use one of: en, kk, ru." in body


def test_the_data_package_takes_lang_for_every_file(client, translated):
    russian = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get("/export/coe-kz.zip?lang=ru").streaming_content))
    )
    treaties = russian.read("data/treaties.csv").decode()
    assert "Конвенция об отмывании" in treaties
    english = zipfile.ZipFile(io.BytesIO(b"".join(client.get("/export/coe-kz.zip").streaming_content)))
    assert english.read("data/treaties.csv") == file_bytes(client, "/export/treaties.csv")


def test_the_data_dictionary_reads_in_the_page_s_language_and_the_files_keep_it_in_english(
    client, translated
):
    # /export/ reads each dataset's title, description and column meanings in its language,
    # with the column names and codes as the files have them.
    html = client.get("/kk/export/").content.decode()
    assert 'lang="en"' not in html.split("<main", 1)[1]
    assert '<h2 id="bodies-heading">Органдар</h2>' in html
    assert '<th scope="row"><code>name</code></th>' in html and "Органның атауы." in html
    assert "Кодтары: convention, protocol, agreement." in html
    html = client.get("/ru/export/").content.decode()
    assert "Название органа." in html and "Коды: convention, protocol, agreement." in html
    assert 'Ссылается на <code>number</code> в <a href="#treaties"><code>treaties</code></a>.' in html
    # datapackage.json and README.md give the dictionary in English whatever `lang` is.
    packages = {
        lang: zipfile.ZipFile(io.BytesIO(file_bytes(client, f"/export/coe-kz.zip?lang={lang}")))
        for lang in LANGUAGES
    }
    descriptors = {lang: json.loads(package.read("datapackage.json")) for lang, package in packages.items()}
    resources = {lang: descriptor["resources"] for lang, descriptor in descriptors.items()}
    assert resources["kk"] == resources["ru"] == resources["en"]
    bodies = next(resource for resource in resources["en"] if resource["name"] == "bodies")
    assert bodies["title"] == "Bodies"
    assert bodies["schema"]["fields"][1] == {
        "name": "name",
        "type": "string",
        "description": "The body's name.",
    }
    assert packages["kk"].read("README.md") == packages["en"].read("README.md")


def test_release_files_are_english_and_take_no_lang(client, translated):
    from coe_kz.site.releases import cut_release

    released = cut_release(notes="Before the Russian name.", homepage="https://coe-kz.example.org")
    body = Body.objects.get(slug="venice-commission")
    body.name_ru = "Европейская комиссия за демократию через право (Венецианская комиссия)"
    body.save()
    version = released.version
    kept = bytes(released.files.get(name="data/bodies.csv").content)
    assert file_bytes(client, f"/releases/{version}/bodies.csv") == kept
    assert "Венецианская".encode() not in kept
    assert "Венецианская" in file_bytes(client, "/export/bodies.csv?lang=ru").decode()
    assert client.get(f"/releases/{version}/bodies.csv?lang=ru").status_code == 400
