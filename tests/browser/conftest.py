"""Browser tests: Playwright driving Debian's Chromium against a live server.

They skip, saying why, only where no Chromium is installed; CI installs it.
Screenshots land in screenshots/ (git-ignored) for a person to look at
(tests/browser/helpers.py).
"""

import importlib
import os

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.db import connection, connections
from django.test.testcases import LiveServerThread
from pytest_django.live_server_helper import LiveServer

from coe_kz import publication
from coe_kz.site.releases import cut_release
from events.models import Event
from tests.browser.helpers import CHROMIUM, SKIP_REASON, VIEWPORTS
from tests.helpers import ensure_roles

# Flags for a closed network and a root user, as this machine needs. The UI language is
# pinned because it decides the order of a date field's parts (month/day/year in en-US),
# which the keyboard tests type into.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=en-US",
]
# The module fixtures below that commit data for a live server of their own.
COMMITTED_SITES = ("shared_site", "release_site")
# The database's guard on releases (never changed or deleted), lifted to empty the database.
RELEASE_GUARDS = importlib.import_module("coe_kz.migrations.0006_releases")


class OneRequestAtATimeServer(WSGIServer):
    """The live server answers one request at a time. On SQLite the test database lives in
    memory and the server shares the test's one connection; two requests at once (a page
    and its autocomplete, say) would meet inside it and fail with "cannot open savepoint -
    SQL statements in progress". Django closes each connection after its response when the
    server is not threaded, so the browser never waits on a kept-alive socket."""

    def __init__(self, *args, connections_override=None, **kwargs):
        # The thread installs connections_override itself; the plain server takes none.
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATimeServer


@pytest.hookimpl(trylast=True)  # after pytest-django has sorted the tests
def pytest_collection_modifyitems(config, items):
    # The tests on a committed site are database tests to pytest-django (the marker makes it
    # create the test database even when they run alone), and they run last: their data
    # is committed, and emptied after them, which no later test may meet.
    on_shared_site = [item for item in items if set(COMMITTED_SITES) & set(getattr(item, "fixturenames", ()))]
    for item in on_shared_site:
        item.add_marker(pytest.mark.django_db)
    items[:] = [item for item in items if item not in on_shared_site] + on_shared_site
    if CHROMIUM:
        return
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items:
        return
    # Said on the terminal, not only in the -ra summary, so nobody mistakes a skip for a pass.
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    message = f"Skipping {len(browser_items)} browser tests: {SKIP_REASON}"
    if reporter:
        reporter.write_line(message, yellow=True, bold=True)
    else:
        print(message)
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session")
def browser(shared_data):
    # Playwright's sync API runs its own event loop; Django must allow ORM calls beside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # With that loop running, Django's connections are other objects (asgiref keeps them
    # per context): shared data opened on the old connection is rolled back first, and
    # what later tests open beside the loop (tests after these, under pytest-xdist) is
    # rolled back before the loop stops.
    shared_data.leave()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
        shared_data.leave()
        # The connections of the loop's context are closed too, or the test database
        # could not be dropped at the end (PostgreSQL refuses while a session is open).
        connections.close_all()


@pytest.fixture
def site(transactional_db, live_server):
    """The live site with the curated data loaded, as `make run` serves it, for a test
    that changes data: seeded for it alone, emptied after it."""
    call_command("seed", verbosity=0)
    return live_server.url


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture(scope="module")
def shared_site(django_db_setup, django_db_blocker, shared_data):
    """The live site with the curated data loaded, seeded once for a module of tests that
    only read it (a module of tests that write uses `site`).

    The data is committed, outside any transaction, as for a transactional test: on
    PostgreSQL the server answers on a connection of its own, which sees nothing
    uncommitted. The server is this module's own, not pytest-django's `live_server`,
    which would empty the database after each test. Each test still runs in a
    transaction of its own (the django_db marker, added above), which on SQLite, where
    the server shares the test's connection, also rolls back whatever a request wrote.
    After the module the row counts of every table are checked against those just after
    seeding, so a test that wrote would fail here rather than change what the next one
    sees; then the database is emptied as after a transactional test."""
    shared_data.leave()
    # Unblocked for the whole module: the server's thread reads the database while the
    # tests, which never touch it themselves, drive the browser.
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)
        seeded = row_counts()
        server = LiveServer("localhost:0")
        try:
            yield server.url
        finally:
            server.stop()
            after = row_counts()
            changed = {
                label: (seeded[label], after[label]) for label in seeded if after[label] != seeded[label]
            }
            empty_database()
        assert not changed, f"a test of this module changed the shared data: {changed}"


@pytest.fixture(scope="module")
def release_site(django_db_setup, django_db_blocker, shared_data):
    """As shared_site, with two releases of the curated data cut an edit apart: the
    address of the site and the second release's version."""
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
            empty_database()


def empty_database():
    """Empty the database as after a transactional test, but for the migrations' role
    groups. Releases are never deleted, so
    the database's guard on them is lifted for this and put back after it."""
    with connection.cursor() as cursor:
        for statement in RELEASE_GUARDS.lifting_guards(connection.vendor):
            cursor.execute(statement)
        call_command("flush", verbosity=0, interactive=False)
        for statement in RELEASE_GUARDS.guards(connection.vendor):
            cursor.execute(statement)
    ensure_roles()  # as after a transactional test (tests/conftest.py)
    # As after a transactional test: these are connections of Playwright's context,
    # which nothing else closes before the test database is dropped.
    connections.close_all()


@pytest.fixture
def new_page(browser):
    """Open pages at a named width from VIEWPORTS. Each page records console errors and
    uncaught script errors in page.console_errors, as "message [url]"."""
    contexts = []

    def open_page(viewport: str = "desktop"):
        context = browser.new_context(viewport=VIEWPORTS[viewport])
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and page.console_errors.append(f"{msg.text} [{msg.location.get('url', '')}]")
            ),
        )
        page.on("pageerror", lambda error: page.console_errors.append(f"{error} [{page.url}]"))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page that records console errors in page.console_errors."""
    return new_page("desktop")
