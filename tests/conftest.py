"""Fixtures shared by the whole suite. App-specific ones live in tests/<app>/conftest.py."""

import pytest
from django.core.management import call_command


@pytest.fixture
def curated(db):
    """The curated data from fixtures/, loaded the way `make run` loads it."""
    call_command("seed", verbosity=0)


@pytest.fixture
def editor_client(client, django_user_model):
    """A logged-in superuser, for admin pages."""
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-admin-1234")
    client.force_login(user)
    return client
