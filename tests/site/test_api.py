"""The read-only JSON API: the CSV datasets as typed, paginated JSON, with the same filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from drf_spectacular.validation import validate_schema

from coe_kz import urls as site_urls
from coe_kz.site.datasets import DATASETS
from events.models import Event
from tests.helpers import get_csv, make_events, published
from treaties.models import Treaty

# The site's URLs with the API mounted at /api/, as coe_kz/urls.py is to mount it.
urlpatterns = [path("api/", include("coe_kz.site.api_urls")), *site_urls.urlpatterns]
pytestmark = pytest.mark.urls(__name__)


def test_events_endpoint_gives_typed_rows(client, world):
    response = client.get("/api/events/")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    assert body["results"] == [
        {
            "id": world["event"].pk,
            "date": "../2023-10-07",
            "date_earliest": None,
            "date_latest": "2023-10-07",
            "title": "Vassilenko visits the Council of Europe",
            "kind": "visit",
            "location": "Strasbourg",
            "treaties": [141],
            "bodies": ["greco"],
            "people": ["roman-vassilenko"],
            "summary": "",
        }
    ]


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_has_the_csv_columns_in_order(client, world, name):
    response = client.get(f"/api/{name}/")
    assert response.status_code == 200
    results = response.json()["results"]
    _, header, rows = get_csv(client, f"/export/{name}.csv")
    assert len(results) == len(rows)
    assert list(results[0]) == header


def test_filters_are_the_list_pages(client, world):
    published(Event, date="2004", title="PACE cooperation agreement", kind="signature")
    assert [r["title"] for r in client.get("/api/events/?kind=signature").json()["results"]] == [
        "PACE cooperation agreement"
    ]
    status = client.get("/api/status/?as_of=2013-01-01").json()["results"]
    treaty = next(row for row in status if row["key"] == "141")
    assert (treaty["status"], treaty["since"], treaty["certain"], treaty["as_of"]) == (
        "signed",
        "2012-03",
        True,
        "2013-01-01",
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "/api/events/?kind=party",
            "kind: “party” is not one of: cooperation, meeting, visit, signature, accession,",
        ),
        ("/api/status/?as_of=2015-02-30", "as_of: “2015-02-30” is not a calendar day"),
        ("/api/people/?colour=red", "Unknown parameter “colour”; this dataset takes: q."),
    ],
)
def test_bad_parameters_get_400_with_the_reason(client, world, url, reason):
    response = client.get(url)
    assert response.status_code == 400
    assert reason in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("page=abc", "page: “abc” is not a page number; use a whole number from 1."),
        ("page=-1", "page: “-1” is not a page number; use a whole number from 1."),
        ("page=last", "page: “last” is not a page number; use a whole number from 1."),
        ("page=0", "page: there is no page 0; this list has 1 page."),
        ("page=99", "page: there is no page 99; this list has 1 page."),
        ("page_size=abc", "page_size: “abc” is not a page size; use a whole number from 1 to 1000."),
        ("page_size=0", "page_size: “0” is not a page size; use a whole number from 1 to 1000."),
        ("page_size=1001", "page_size: “1001” is not a page size; use a whole number from 1 to 1000."),
        (
            f"page_size={'9' * 5000}",
            f"page_size: “{'9' * 5000}” is not a page size; use a whole number from 1 to 1000.",
        ),
    ],
)
def test_bad_page_or_page_size_gets_400_in_the_list_pages_words(client, world, query, detail):
    response = client.get(f"/api/events/?{query}")
    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    # The HTML list says the same about a page number.
    if query.startswith("page="):
        assert detail in client.get(f"/events/?{query}").content.decode()


def test_a_good_page_and_page_size_are_served(client, world):
    published(Event, date="2004", title="PACE cooperation agreement", kind="signature")
    second = client.get("/api/events/?page=2&page_size=1").json()
    assert (second["count"], second["next"], len(second["results"])) == (2, None, 1)
    assert second["previous"] == "http://testserver/api/events/?page_size=1"


def test_citation_pages_run_across_the_citation_tables(client, world):
    first = client.get("/api/citations/?page_size=3").json()
    second = client.get(first["next"]).json()
    assert first["count"] == 4
    assert [r["record_type"] for r in first["results"]] == ["treaty_step", "body_standing", "event"]
    assert [(r["record_type"], r["record_key"]) for r in second["results"]] == [
        ("person", "roman-vassilenko")
    ]


@pytest.mark.parametrize("name", [name for name, dataset in DATASETS.items() if dataset.primary_key])
def test_every_dataset_with_a_key_has_an_endpoint_per_row(client, world, name):
    listed = client.get(f"/api/{name}/").json()["results"][0]
    key = "/".join(str(listed[column]) for column in DATASETS[name].primary_key)
    response = client.get(f"/api/{name}/{key}/")
    assert response.status_code == 200, (key, response.content)
    assert response.json() == listed


def test_one_treaty_and_its_status_on_a_day(client, world):
    treaty = client.get("/api/treaties/141/").json()
    assert (treaty["number"], treaty["label"], treaty["opened"]) == (141, "ETS No. 141", "1990-11-08")
    status = client.get("/api/status/treaty/141/?as_of=2013-01-01").json()
    assert (status["status"], status["since"], status["as_of"]) == ("signed", "2012-03", "2013-01-01")


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("/api/treaties/99999/", "No treaty with the number 99999."),
        ("/api/treaties/999/", "No treaty with the number 999."),  # a draft
        ("/api/treaties/99999999999999999999999/", "No treaty with the number 99999999999999999999999."),
        ("/api/treaties/abc/", "No treaty with the number “abc”."),
        ("/api/bodies/no-such-body/", "No body with the key “no-such-body”."),
        ("/api/people/not a slug/", "No person with the key “not a slug”."),
        ("/api/participations/1/nobody/", "No participation with the event “1” and the person “nobody”."),
        ("/api/status/club/greco/", "“club” is not a kind of record; use treaty or body."),
        ("/api/status/body/nope/", "No body with the key “nope”."),
    ],
)
def test_an_unknown_key_gets_a_json_404_saying_so(client, world, url, detail):
    Treaty.objects.create(number=999, title="Draft treaty")  # a draft: the public does not see it
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": detail}


def test_a_row_takes_no_list_parameters(client, world):
    response = client.get("/api/treaties/141/?status=party")
    assert response.status_code == 400
    assert response.json() == {"detail": "Unknown parameter “status”; this record takes no parameters."}
    assert client.get("/api/treaties/141/?utm_source=x&format=json").status_code == 200
    bad_day = client.get("/api/status/treaty/141/?as_of=2015-02-30").json()["detail"]
    assert bad_day.startswith("as_of: “2015-02-30” is not a calendar day")


def test_schema_documents_the_endpoint_of_one_row(client, db):
    schema = client.get("/api/schema/?format=json").json()
    treaty = schema["paths"]["/api/treaties/{number}/"]["get"]
    parameters = {p["name"]: p for p in treaty["parameters"]}
    assert parameters.keys() == {"number", "lang"}
    number, lang = parameters["number"], parameters["lang"]
    assert (number["in"], number["schema"]["type"]) == ("path", "integer")
    assert lang["in"] == "query", "the language of the row's text columns"
    ok = treaty["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/Treaties"}
    status = schema["paths"]["/api/status/{kind}/{key}/"]["get"]
    assert {(p["name"], p["in"]) for p in status["parameters"]} == {
        ("kind", "path"),
        ("key", "path"),
        ("as_of", "query"),
        ("lang", "query"),
    }
    assert "/api/participations/{event}/{person}/" in schema["paths"]
    assert not any(path.startswith("/api/citations/{") for path in schema["paths"])


def test_the_api_is_read_only(client, world):
    assert client.post("/api/events/", {"title": "x"}).status_code == 405


def test_query_count_per_page_does_not_grow(client, db):
    make_events(10)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get("/api/events/").json()["results"]) == 10
    make_events(490, start=10)
    with CaptureQueriesContext(connection) as large:
        assert len(client.get("/api/events/").json()["results"]) == 100
    assert len(large) == len(small)


def test_root_lists_every_dataset_and_the_schema(client, db):
    links = client.get("/api/").json()
    assert links == {
        **{name: f"http://testserver/api/{name}/" for name in DATASETS},
        "schema": "http://testserver/api/schema/",
    }


def test_schema_documents_each_endpoint_with_its_filters_and_fields(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # against the OpenAPI 3 JSON Schema; raises if invalid
    assert {f"/api/{name}/" for name in DATASETS} <= set(schema["paths"])
    events = schema["paths"]["/api/events/"]["get"]
    parameters = {p["name"]: p for p in events["parameters"]}
    assert {"year", "kind", "treaty", "body", "person", "q", "page", "page_size"} <= set(parameters)
    # Described by the list page's FilterSet, as the /export/ page describes them.
    for name, meaning in DATASETS["events"].parameters():
        assert parameters[name]["description"] == meaning
    fields = schema["components"]["schemas"]["Events"]["properties"]
    assert fields["treaties"]["type"] == "array"
    assert fields["treaties"]["items"]["type"] == "integer"
    kinds = schema["components"]["schemas"]["EventsKindEnum"]["enum"]
    assert kinds == [str(code) for code, _ in Event._meta.get_field("kind").choices]
    assert "post" not in schema["paths"]["/api/events/"]


def test_schema_names_the_api_and_its_version(client, db):
    info = client.get("/api/schema/?format=json").json()["info"]
    assert info["title"] == "coe-kz API"
    assert info["version"] == "1.0.0"
    assert "Council of Europe" in info["description"]


def test_export_page_links_to_the_api_when_it_is_mounted(client, db):
    page = client.get("/export/").content.decode()
    assert 'href="/api/"' in page
    assert 'href="/api/schema/"' in page


def test_an_unknown_api_address_gets_a_json_404(client, db):
    response = client.get("/api/nope/")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "There is no endpoint /api/nope/; http://testserver/api/ lists them."
    }
    # Whatever the method: the API is read-only, and the address does not exist.
    assert client.post("/api/nope/").status_code == 404
    # A known endpoint without its slash is still redirected to it.
    assert client.get("/api/events")["Location"] == "/api/events/"
