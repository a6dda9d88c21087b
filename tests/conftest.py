"""Fixtures shared by the whole suite. Plain helpers are in tests/helpers.py, what the
shared data holds in tests/worlds.py, and how it is built once and rolled back per test
in tests/shared_data.py. The admin's fixtures are in tests/coe_kz/conftest.py, the
browser's in tests/browser/conftest.py.
"""

import copy

import pytest
from django.core.cache import cache

from tests import worlds
from tests.browser.helpers import CHROMIUM, SKIP_REASON
from tests.helpers import ensure_roles, manage, production_environment, remember_roles
from tests.postgres import NO_INITDB, PG_BIN, Cluster
from tests.shared_data import SharedData, group_by_shared_data, shared, wanted

# How pytest-xdist shares the files between its workers.
pytest_plugins = ["tests.scheduling"]


def pytest_report_header(config):
    # Printed by the run itself, not only by its workers, so nobody mistakes a skip for a pass.
    if not CHROMIUM:
        return f"Browser tests will be skipped: {SKIP_REASON}"


# --- the database: shared data first, then the test's own transaction -------------------


@pytest.hookimpl(trylast=True)  # after pytest-django has put the database tests first
def pytest_collection_modifyitems(items):
    items[:] = group_by_shared_data(items)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, its roles remembered as migrated (helpers.ensure_roles)."""
    with django_db_blocker.unblock():
        remember_roles()


@pytest.fixture(scope="session")
def shared_data(django_db_setup, django_db_blocker):
    """The shared data built so far (tests/shared_data.py), rolled back at the end."""
    data = SharedData(django_db_blocker)
    yield data
    data.leave()


# Fixtures that make pytest-django's test transactional: its writes are committed.
TRANSACTIONAL = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.fixture
def _enter_shared_data(request, shared_data):
    keys = wanted(request.node)
    if keys and TRANSACTIONAL & set(request.fixturenames):
        raise pytest.UsageError(
            f"{request.node.nodeid}: shared data ({', '.join(name for name, _ in keys)}) lives in a "
            "transaction that a transactional test cannot sit in; build the data in the test"
        )
    shared_data.enter(keys)


@pytest.fixture
def db(_enter_shared_data, db):
    """pytest-django's `db` (each test in a transaction rolled back after it), opened
    inside the shared data this test asks for and no other."""


@pytest.fixture
def _leave_shared_data(shared_data):
    shared_data.leave()


@pytest.fixture
def _roles_after_flush(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        ensure_roles()


@pytest.fixture
def transactional_db(_leave_shared_data, _roles_after_flush, transactional_db):
    """pytest-django's `transactional_db`, with no shared data open: what a transactional
    test writes is committed (then flushed), so it cannot sit inside an outer transaction.
    The flush empties every table, the migrations' role groups included: they are made
    again after it (`_roles_after_flush` is torn down after the flush) for the tests that
    run next on this worker."""


@pytest.fixture
def shared_values(shared_data):
    """This test's own deep copy of the shared data's values (as setUpTestData gives)."""
    return copy.deepcopy(shared_data.values)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as it starts with its own data."""
    cache.clear()


# --- shared data -------------------------------------------------------------------------


curated = shared()(worlds.curated)
site_data = shared()(worlds.site_data)
spellings = shared(requires=("site_data",))(worlds.spellings)
world = shared()(worlds.world)


# --- people ------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, django_user_model):
    """A logged-in superuser, for admin pages."""
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-admin-1234")
    client.force_login(user)
    return client


# --- a PostgreSQL server of the test run's own ----------------------------------------------


@pytest.fixture(scope="session")
def cluster():
    """A throwaway PostgreSQL server (tests/postgres.py), for the tests that restart it or
    restore a dump of it, whichever database the suite itself runs on. They skip, saying
    why, only where no PostgreSQL server is installed."""
    if PG_BIN is None:
        pytest.skip(NO_INITDB)
    server = Cluster()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def curated_on_cluster(cluster, tmp_path_factory) -> dict[str, str]:
    """The production environment of a database on the throwaway server that holds the
    curated data, migrated and seeded as `make run` does, its static files collected."""
    directory = tmp_path_factory.mktemp("cluster-site")
    cluster.client("createdb", "coe_kz")
    environment = production_environment(directory, DATABASE_URL=cluster.url("coe_kz"))
    for command in (("migrate", "--noinput"), ("seed",), ("collectstatic", "--noinput")):
        result = manage(environment, *command, "--verbosity", "0")
        assert result.returncode == 0, result.stderr
    return environment
