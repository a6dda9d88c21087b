"""The site in Kazakhstan's languages in a real browser: every main page in Kazakh, Russian
and English at a desktop's and a phone's width, fitting the screen with the longer Kazakh
and Russian words, without a console error, saved as screenshots (screenshots/languages/,
git-ignored) for a person to look at; and the switcher, a plain link, keeps the reader on
the same record and query."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import VIEWPORTS, screenshot
from tests.browser.test_public_site import MAIN_PAGES, OVERFLOWING, errors_besides_own_status

pytestmark = pytest.mark.browser

LANGUAGES = {"en": "", "kk": "/kk", "ru": "/ru"}


@pytest.fixture
def site(shared_site):
    """The curated site, seeded once for this module: its tests only read."""
    return shared_site


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_in_each_language_fit_the_screen_and_are_saved(site, new_page, language, viewport):
    page = new_page(viewport)
    for name, path, status in MAIN_PAGES:
        url = f"{site}{LANGUAGES[language]}{path}"
        response = page.goto(url)
        assert response.status == status, url
        assert page.evaluate("document.documentElement.lang") == language
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate(OVERFLOWING) == [], f"{url} overflows at {viewport} width"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
        screenshot(page, f"languages/{language}-{name}-{viewport}")
        assert errors_besides_own_status(page, url, status) == [], url
        page.console_errors.clear()


def test_the_switcher_takes_the_reader_to_the_same_record_and_query(site, new_page):
    page = new_page("phone")
    page.goto(f"{site}/events/?kind=visit")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    expect(page).to_have_url(re.compile(r"/ru/events/\?kind=visit$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("События")
    page.get_by_role("navigation", name="Язык").get_by_role("link", name="Қазақша").click()
    expect(page).to_have_url(re.compile(r"/kk/events/\?kind=visit$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Оқиғалар")
    page.goto(f"{site}/kk/treaties/141/")
    page.get_by_role("navigation", name="Тіл").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/treaties/141/$"))
    assert page.console_errors == []
