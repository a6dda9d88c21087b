"""The API answers as its OpenAPI document (/api/schema/) says, for any input the document
allows and much it does not: schemathesis generates requests for every operation and
checks each answer (no server error, a documented status, content type and headers, a
body that matches the documented schema, bad input refused)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

# Examples per operation: enough to meet every parameter's edge cases, while the whole
# run stays well under a minute.
EXAMPLES = 25


# The document /api/schema/ serves, made as its view makes it (reading it through the
# view would open a transaction, and no database is open while tests are collected); its
# operations are called through the WSGI application in this process.
schema = schemathesis.openapi.from_dict(
    SchemaGenerator().get_schema(request=None, public=True),
    # Not asked: that every request the document allows is answered with rows. A
    # document cannot say which keys name a published record, nor how many pages a
    # filtered list has: those requests get the documented 400.
    config=schemathesis.Config.from_dict({"checks": {"positive_data_acceptance": {"enabled": False}}}),
)
schema.app = get_wsgi_application()


@pytest.fixture
def _requests_keep_the_test_s_connection():
    """Each request is handled as a server would, but for one thing, as Django's test
    client does: it does not close the test's database connection, which holds the
    test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no example database left in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_document_says(case, curated, _requests_keep_the_test_s_connection):
    case.call_and_validate()


def test_the_document_types_null_keys_and_unset_codes_and_documents_every_refusal(client, db):
    document = client.get("/api/schema/?format=json").json()
    types = document["components"]["schemas"]
    # A body with no parent (or a draft one) has "parent": null; a step that names no
    # kind of consent has "consent": "".
    assert types["Bodies"]["properties"]["parent"]["nullable"] is True
    consent = [ref["$ref"].split("/")[-1] for ref in types["TreatySteps"]["properties"]["consent"]["oneOf"]]
    assert [types[name]["enum"] for name in consent] == [
        ["ratification", "accession", "acceptance", "approval"],
        [""],
    ]
    # Numbers and days that are never missing are not nullable.
    assert "nullable" not in types["TreatySteps"]["properties"]["id"]
    # A list answers rows or a 400; one row's address also a 404 when there is no such row.
    for path, operations in document["paths"].items():
        responses = operations["get"]["responses"]
        expected = {"200", "400", "404"} if "{" in path else {"200", "400"}
        assert set(responses) == expected, path
        for status in expected - {"200"}:
            refusal = responses[status]["content"]["application/json"]["schema"]
            assert refusal == {"$ref": "#/components/schemas/Refusal"}, (path, status)
