"""The security headers of every response (coe_kz/settings): a Content-Security-Policy
that lets no inline script or style run, and pages, public and admin, that need none."""

import contextlib
import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import NoReverseMatch

from tests.helpers import public_addresses, url

POLICY = {
    "default-src": "'self'",  # and so script-src and style-src: no inline script or style
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response) -> dict[str, str]:
    return dict(directive.split(" ", 1) for directive in response["Content-Security-Policy"].split("; "))


class InlineCode(HTMLParser):
    """Collects what a strict policy would block: <script> without src, <style>,
    style="" and on…="" attributes, javascript: addresses."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs.items():
            if name == "style" or name.startswith("on"):
                self.found.append(f'<{tag} {name}="{value}">')
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f'<{tag} {name}="{value}">')


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_finder_finds_inline_code():
    html = (
        '<style>p{}</style><script>x()</script><p style="color:red" onclick="x()"><a href="javascript:x()">'
    )
    assert len(inline_code(html)) == 5
    assert inline_code('<script src="/static/a.js"></script><link rel="stylesheet" href="/a.css">') == []


def test_every_public_response_carries_the_policy(client, released):
    for address in [*public_addresses(), "/no-such-page/", "/treaties/?status=bogus", "/admin/login/"]:
        response = client.get(address)
        assert policy(response) == POLICY, address
        assert response["X-Frame-Options"] == "DENY", address


def test_no_public_page_has_inline_script_or_style(client, released):
    pages = [address for address in public_addresses() if not address.startswith(("/export/", "/api/"))]
    pages += ["/export/", "/no-such-page/", "/treaties/?status=bogus"]
    for address in pages:
        response = client.get(address)
        if response["Content-Type"].startswith("text/html"):
            assert inline_code(response.content.decode()) == [], address
    assert inline_code(render_to_string("500.html")) == []


def admin_pages(records) -> list[str]:
    """Every page of every admin (ours, Django's users and groups, django-axes' logs):
    list, add, and for a record that exists its change, history, version and delete pages,
    with our deleted-records and import pages."""
    pages = [
        "/admin/",
        "/admin/password_change/",
        *(f"/admin/{app}/" for app in ("coe_kz", "events", "auth")),
    ]
    for model in admin.site._registry:
        pages += [url(model, "changelist"), url(model, "add")]
        for view in ("deleted", "import"):
            with contextlib.suppress(NoReverseMatch):
                pages.append(url(model, view))
        record = records.get(model) or model._default_manager.first()
        if record is None:
            continue
        pages += [url(model, view, record.pk) for view in ("change", "history", "delete")]
        if hasattr(record, "history"):
            pages.append(url(model, "simple_history", record.pk, record.history.first().pk))
    return pages


def test_no_admin_page_has_inline_script_or_style(editor_client, records, released):
    shown = 0
    for address in admin_pages(records):
        # A deletion that would leave a record uncited sends the editor back, saying why.
        response = editor_client.get(address, follow=True)
        assert policy(response) == POLICY, address
        # 403: what no one may do, a superuser included (add to django-axes' logs,
        # delete a release).
        assert response.status_code in (200, 403), address
        assert inline_code(response.content.decode()) == [], address
        shown += response.status_code == 200
    assert shown > 100


def test_no_template_of_ours_has_inline_script_or_style():
    # Templates no test page reaches (a lockout, a confirmation) are read as they are.
    templates = list(Path(settings.BASE_DIR, "templates").rglob("*.html"))
    assert len(templates) > 40
    for template in templates:
        # Template tags stand in for attribute values, so read the text as HTML-ish.
        text = re.sub(r"{%.*?%}|{{.*?}}", "x", template.read_text(), flags=re.S)
        assert inline_code(text) == [], template
