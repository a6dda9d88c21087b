"""The release pages in a real browser, on the curated data with two releases cut: they fit
a phone's screen and a desktop's, and every link is a target a finger can hit."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from coe_kz import publication
from coe_kz.site.releases import cut_release
from events.models import Event
from tests.browser.helpers import VIEWPORTS, screenshot
from tests.browser.test_public_site import OVERFLOWING, TARGETS

pytestmark = pytest.mark.browser

GUARDS = importlib.import_module("coe_kz.migrations.0006_releases")


@pytest.fixture(scope="module")
def release_site(django_db_setup, django_db_blocker, shared_data):
    """The curated site with two releases, an edit apart, committed for this module's own
    server (see tests/browser/conftest.py's shared_site); emptied after it. Emptying it
    deletes the releases, which the database refuses on SQLite (migration 0006), so the
    guard is lifted for the flush and put back after it."""
    shared_data.leave()
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)
        cut_release(notes="The curated data.", homepage="https://coe-kz.example.org")
        event = Event.objects.published().order_by("pk").first()
        event.title += " (corrected)"
        publication.save_edit(event, user=None, reason="A correction.", created=False)
        second = cut_release(notes="A corrected title.", homepage="https://coe-kz.example.org")
        server = LiveServer("localhost:0")
        try:
            yield server.url, second.version
        finally:
            server.stop()
            with connection.cursor() as cursor:
                for statement in GUARDS.lifting_guards(connection.vendor):
                    cursor.execute(statement)
                call_command("flush", verbosity=0, interactive=False)
                for statement in GUARDS.guards(connection.vendor):
                    cursor.execute(statement)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_release_pages_fit_the_screen_with_targets_of_24_px(release_site, new_page, viewport):
    site, version = release_site
    page = new_page(viewport)
    for name, path in [("releases", "/releases/"), ("release", f"/releases/{version}/")]:
        response = page.goto(f"{site}{path}")
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate(OVERFLOWING) == [], f"{path} overflows at {viewport} width"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        assert page.evaluate(TARGETS) == [], f"{path} at {viewport} width"
        screenshot(page, f"{name}-{viewport}")
        assert page.console_errors == [], path
