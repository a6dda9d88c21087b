"""coe_kz.middleware: every address answers HEAD as GET without a body; methods no
address takes (TRACE, PUT, DELETE...) are a 405 everywhere, the API's in its own JSON."""

import pytest
from django.core.handlers.base import BaseHandler
from django.test import RequestFactory

from tests.helpers import public_addresses

# Headers a HEAD must repeat from its GET (RFC 9110, 9.3.2); Date-like ones may differ.
SAME_HEADERS = ("Content-Type", "Content-Length", "Content-Disposition", "ETag", "Last-Modified", "Allow")


def served(request):
    """What the application hands the WSGI server, before any server strips a HEAD's
    body (the test client strips it itself, so it cannot show whether the site does)."""
    handler = BaseHandler()
    handler.load_middleware()
    return handler.get_response(request)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_address_answers_head_as_get_without_a_body(released):
    factory = RequestFactory()
    for url in public_addresses():
        get, head = served(factory.get(url)), served(factory.head(url))
        assert (head.status_code, get.status_code) == (200, 200), url
        assert body(get), url
        assert body(head) == b"", url
        for name in SAME_HEADERS:
            assert head.get(name) == get.get(name), (url, name)


@pytest.mark.parametrize("method", ["TRACE", "PUT", "PATCH", "DELETE", "POST", "OPTIONS", "CONNECT", "BREW"])
def test_a_method_no_public_address_takes_is_a_405_naming_get_and_head(client, released, method):
    for url in [url for url in public_addresses() if not url.startswith("/api/")]:
        response = client.generic(method, url)
        assert response.status_code == 405, (url, response.status_code)
        assert response["Allow"] == "GET, HEAD", url


def test_the_admin_takes_get_head_and_post_only(client, db):
    assert client.head("/admin/login/").status_code == 200
    assert client.post("/admin/login/", {"username": "nobody", "password": "x"}).status_code == 200
    response = client.generic("TRACE", "/admin/login/")
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD, POST")


@pytest.mark.parametrize("method", ["TRACE", "PUT", "PATCH", "DELETE", "POST"])
def test_the_api_refuses_other_methods_in_its_own_format(client, curated, method):
    for url in [url for url in public_addresses() if url.startswith("/api/")]:
        response = client.generic(method, url)
        assert response.status_code == 405, (url, method)
        if url == "/api/schema/":  # its refusals come in the schema's own format
            assert f'Method "{method}" not allowed.' in response.content.decode()
        else:
            assert response.json() == {"detail": f'Method "{method}" not allowed.'}, url


def test_an_address_that_does_not_exist_is_a_404_whatever_the_method(client, db):
    for method in ("GET", "TRACE", "POST"):
        assert client.generic(method, "/no-such-page/").status_code == 404
    # The API's own: a JSON 404, for any method its endpoints know.
    assert (
        client.generic("DELETE", "/api/no-such-endpoint/").json()["detail"].startswith("There is no endpoint")
    )
