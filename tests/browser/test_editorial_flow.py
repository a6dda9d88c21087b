"""The editorial workflow end to end, in a real browser on the curated data: an editor
adds an event with a citation as a draft (not public), a publisher publishes it (now on
the site and in the change log), the editor changes a field with a reason (the
difference shows in the admin history), and the publisher restores the version before
it (the public page shows the old value again)."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from events.models import Event
from tests.browser.helpers import screenshot
from tests.helpers import PASSWORD, staff_user

pytestmark = pytest.mark.browser

TITLE = "Working visit of the Venice Commission rapporteurs"
RETITLED = "Working visit of the Venice Commission rapporteurs to Astana"
# A quote must stand in its source's archived text (here the regional-office article's).
QUOTE = "We cooperated also on the constitutional reform of the judiciary"


def log_in(page, site: str, username: str) -> None:
    """Through the admin's own login form, as a person would."""
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Curated records")).to_be_visible()


def choose_autocomplete(page, row, text: str, option: str) -> None:
    """Pick from one of the admin's autocomplete (select2) boxes by typing into it."""
    row.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=option).click()


def test_an_event_goes_from_draft_to_published_to_changed_to_restored(site, new_page):
    users = get_user_model()
    staff_user(users, "edith", "Editor")
    staff_user(users, "pablo", "Publisher")
    editor, publisher, reader = new_page(), new_page(), new_page()

    # The editor adds the event with a citation; it is saved as a draft.
    log_in(editor, site, "edith")
    editor.goto(f"{site}/admin/events/event/add/")
    # The event's own state, above the citation rows that have one too.
    expect(editor.locator(".field-publication .readonly").first).to_have_text("Draft")
    editor.get_by_label("Date:").fill("2024-06-12")
    editor.get_by_label("Title:").fill(TITLE)
    editor.get_by_label("Kind:").select_option("visit")
    editor.get_by_role("button", name="Add another Event citation").click()
    citation = editor.locator("#citations-0")
    choose_autocomplete(editor, citation, "regional", "Council of Europe to Open Regional Office")
    citation.locator("textarea[name='citations-0-quote']").fill(QUOTE)
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")
    event = Event.objects.get(title=TITLE)
    assert (event.publication, event.citations.get().publication) == ("draft", "draft")

    reader.goto(f"{site}/events/")
    expect(reader.get_by_role("heading", level=1)).to_be_visible()
    expect(reader.get_by_text(TITLE)).to_have_count(0)
    assert reader.goto(f"{site}/events/{event.pk}/").status == 404

    # The publisher publishes it, with its draft citation.
    log_in(publisher, site, "pablo")
    publisher.goto(f"{site}/admin/events/event/?publication__exact=draft")
    publisher.get_by_role("row", name=re.compile(TITLE)).get_by_role("checkbox").check()
    publisher.get_by_label("Action:").select_option("publish_selected")
    publisher.get_by_role("button", name="Go").click()
    expect(publisher.locator("#draft-parts")).to_contain_text(QUOTE[:40])
    expect(publisher.get_by_label("Also publish this draft part")).to_be_checked()
    screenshot(publisher, "admin-publish-confirmation")
    publisher.get_by_role("button", name="Publish").click()
    expect(publisher.locator(".messagelist")).to_contain_text("Published 1 event and 1 of their draft parts.")

    reader.goto(f"{site}/events/")
    expect(reader.get_by_role("link", name=TITLE)).to_be_visible()
    reader.goto(f"{site}/events/{event.pk}/")
    expect(reader.get_by_text(QUOTE)).to_be_visible()
    reader.goto(f"{site}/changes/")
    expect(reader.get_by_text(TITLE).first).to_be_visible()

    # The editor changes the title of the published event, saying why.
    editor.goto(f"{site}/admin/events/event/{event.pk}/change/")
    editor.get_by_label("Title:").fill(RETITLED)
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".errornote")).to_be_visible()  # published: a reason is required
    expect(editor.locator(".field-change_reason .errorlist")).to_contain_text("say why you are changing it")
    editor.get_by_label("Reason for this change:").fill("Place named in the ministry's report")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    editor.goto(f"{site}/admin/events/event/{event.pk}/history/")
    latest = editor.locator("#record-versions tbody tr").first
    expect(latest).to_contain_text("Place named in the ministry's report")
    expect(latest).to_contain_text("edith")
    expect(latest.locator("del")).to_have_text(TITLE)
    expect(latest.locator("ins")).to_have_text(RETITLED)
    screenshot(editor, "admin-history")
    reader.goto(f"{site}/events/{event.pk}/")
    expect(reader.get_by_role("heading", level=1)).to_contain_text(RETITLED)

    # The publisher restores the version before the change.
    publisher.goto(f"{site}/admin/events/event/{event.pk}/history/")
    publisher.locator("#record-versions tbody tr").nth(1).get_by_role(
        "link", name="Restore this version"
    ).click()
    expect(publisher.get_by_label("Title:")).to_have_value(TITLE)
    expect(publisher.get_by_label("Reason for this change:")).to_have_value(
        re.compile(r"^Restored version of ")
    )
    publisher.get_by_role("button", name="Restore this version").first.click()
    expect(publisher.locator(".messagelist")).to_contain_text("was changed successfully")

    reader.goto(f"{site}/events/{event.pk}/")
    expect(reader.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(reader.get_by_role("heading", level=1)).not_to_contain_text("Astana")
    event.refresh_from_db()
    assert (event.title, event.publication) == (TITLE, "published")
    assert event.history.first().history_change_reason.startswith("Restored version of ")
    assert editor.console_errors == [] and publisher.console_errors == []


def test_the_events_list_shows_every_column_at_1280_px(site, new_page):
    staff_user(get_user_model(), "edith", "Editor")
    page = new_page()  # 1280 px wide
    log_in(page, site, "edith")
    page.goto(f"{site}/admin/events/event/")
    results = page.locator(".results")
    # The table fits its box: nothing scrolls off to the right.
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth"), "the list scrolls sideways"
    width = page.viewport_size["width"]
    for name in ("Citations", "Publication"):
        header = page.get_by_role("columnheader", name=name)
        box = header.bounding_box()
        assert box["x"] + box["width"] <= width, f"{name} is off the screen"
    screenshot(page, "admin-events-desktop")
