"""The release pages in a real browser, on the curated data with two releases cut
(tests/browser/conftest.py, release_site): they fit a phone's screen and a desktop's, and
every link is a target a finger can hit."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import VIEWPORTS, screenshot
from tests.browser.test_public_site import OVERFLOWING, TARGETS

pytestmark = pytest.mark.browser


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
