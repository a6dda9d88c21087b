"""Fixtures for the admin tests: staff in each role, and one record of every model."""

import pytest

from tests.helpers import build_records, logged_in, staff_user
from tests.shared_data import shared


@pytest.fixture
def editor(db, django_user_model):
    """A client logged in as a member of the Editor group."""
    return logged_in(staff_user(django_user_model, "edith", "Editor"))


@pytest.fixture
def publisher(db, django_user_model):
    """A client logged in as a member of the Publisher group."""
    return logged_in(staff_user(django_user_model, "pablo", "Publisher"))


@shared()
def records(param: int = 1):
    """One published record of every model, with every relation filled (tests/helpers.py
    build_records); `param` of each where a test parametrizes `records` indirectly.
    The first record of each model, by model."""
    return build_records(param)


@pytest.fixture
def released(curated):
    """The curated data with a release cut from it, so that release pages and files exist."""
    from coe_kz.site.releases import cut_release

    return cut_release(notes="The curated data.", homepage="https://coe-kz.example.org")
