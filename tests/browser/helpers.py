"""Helpers for the browser tests: the browser, the screen sizes they use, and screenshots."""

import pathlib
import shutil

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SKIP_REASON = "no Chromium found on PATH (apt-get install chromium); .ci/run installs it"

SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


def screenshot(page, name: str) -> None:
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
