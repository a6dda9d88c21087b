"""Fixtures shared by the whole suite. Plain helpers are in tests/helpers.py; the way
shared data is built once and rolled back per test is in tests/shared_data.py.

The small worlds here are invented for tests only; they are never loaded into the site.
"""

import copy

import pytest
from django.core.cache import cache

from tests import worlds
from tests.shared_data import SharedData, group_by_shared_data, shared, wanted

# --- the database: shared data first, then the test's own transaction -------------------


@pytest.hookimpl(trylast=True)  # after pytest-django has put the database tests first
def pytest_collection_modifyitems(items):
    items[:] = group_by_shared_data(items)


@pytest.fixture(scope="session")
def shared_data(django_db_setup, django_db_blocker):
    """The shared data built so far (tests/shared_data.py), rolled back at the end."""
    data = SharedData(django_db_blocker)
    yield data
    data.leave()


@pytest.fixture
def _enter_shared_data(request, shared_data):
    shared_data.enter(wanted(request.node))


@pytest.fixture
def db(_enter_shared_data, db):
    """pytest-django's `db` (each test in a transaction rolled back after it), opened
    inside the shared data this test asks for and no other."""


@pytest.fixture
def _leave_shared_data(shared_data):
    shared_data.leave()


@pytest.fixture
def transactional_db(_leave_shared_data, transactional_db):
    """pytest-django's `transactional_db`, with no shared data open: what a transactional
    test writes is committed (then flushed), so it cannot sit inside an outer transaction."""


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
