"""The public site in a real browser, on the curated data: what a reader sees and can do
with a mouse, a keyboard, a desktop screen and a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import VIEWPORTS, screenshot
from tests.helpers import contrast

pytestmark = pytest.mark.browser


@pytest.fixture
def site(shared_site):
    """The curated site, seeded once for this module: its tests only read
    (tests/browser/conftest.py checks that they changed nothing)."""
    return shared_site


# The main pages, as a person would check them by eye at each width: (name, path, status).
MAIN_PAGES = [
    ("home", "/", 200),
    ("status", "/status/?as_of=2015-06-30", 200),
    ("treaties", "/treaties/", 200),
    ("treaty-141", "/treaties/141/", 200),
    ("bodies", "/bodies/", 200),
    ("body-greco", "/bodies/greco/", 200),
    ("events", "/events/", 200),
    ("event-16", "/events/16/", 200),  # the visit to Strasbourg: people, places and sources
    ("people", "/people/", 200),
    ("person-mustafa-ferati", "/people/mustafa-ferati/", 200),
    ("sources", "/sources/", 200),
    ("source-mfa-2023-10-07", "/sources/mfa-2023-10-07/", 200),
    ("search-greco", "/search/?q=GRECO", 200),
    ("about", "/about/", 200),
    # Its column tables name long columns (entry_into_force_earliest) and codes.
    ("export", "/export/", 200),
    ("not-found", "/treaties/99999/", 404),
]

# The elements wider than the window, for a message that says where a page overflows.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => !el.parentElement.closest(".table-scroll, .timeline-scroll"))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.getAttribute("class") ? "." + el.getAttribute("class") : ""));
}"""


def errors_besides_own_status(page, url: str, status: int) -> list[str]:
    """The console errors, less the one Chromium logs for a page served with an error
    status on purpose (the 404 page)."""
    own = f"the server responded with a status of {status}"
    return [e for e in page.console_errors if not (status >= 400 and own in e and e.endswith(f"[{url}]"))]


def as_hex(rgb: str) -> str:
    """A computed CSS colour ("rgb(27, 31, 36)") as "#1b1f24", for the contrast check."""
    return "#" + "".join(f"{int(c):02x}" for c in re.findall(r"\d+", rgb)[:3])


def computed_hex(locator, prop: str) -> str:
    return as_hex(locator.evaluate(f"el => getComputedStyle(el).{prop}"))


def standing_of(page, href: str):
    """The standing cell of the status page's row for one record."""
    return page.locator("tr", has=page.locator(f'th a[href="{href}"]')).locator(".status")


def test_home_page_renders_with_its_timeline(site, page):
    page.goto(site)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Kazakhstan and the Council of Europe at a glance")

    picture = page.locator(".timeline-picture")
    expect(picture).to_be_visible()
    box = picture.bounding_box()
    assert box["width"] > 600 and box["height"] > 100, box
    # One lane per treaty and body, GRECO's among them, with coloured bars and a today line.
    expect(picture.locator(".lane-name:visible", has_text="GRECO")).to_have_count(1)
    assert picture.locator("rect.bar").count() >= 5
    expect(picture.locator("line.today")).to_have_count(1)
    expect(page.locator("#timeline-caption")).to_contain_text("Kazakhstan's standing in each treaty and body")

    # The same facts in words, behind a disclosure a reader opens.
    table = page.locator("figure.timeline table")
    expect(table).to_be_hidden()
    page.locator("summary", has_text="The timeline as a table").click()
    expect(table).to_be_visible()
    greco = table.locator("tbody", has=page.locator('a[href="/bodies/greco/"]'))
    # An applicant first, a member today.
    standings = greco.locator(".status").all_inner_texts()
    assert "Applicant" in standings and standings[-1] == "Member", standings
    expect(greco.locator("tr").last.locator("td").nth(1)).to_have_text("today")
    assert page.console_errors == []


def test_changing_the_date_on_the_status_page_changes_the_answers(site, page):
    page.goto(f"{site}/status/")
    greco = standing_of(page, "/bodies/greco/")

    page.get_by_label("Day", exact=True).fill("2015-06-30")
    page.get_by_role("button", name="Show standing").click()
    expect(page).to_have_url(re.compile(r"/status/\?as_of=2015-06-30$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kazakhstan's standing on 30 June 2015")
    expect(greco).to_have_text("Applicant")
    expect(greco).to_have_class(re.compile(r"\bst-applicant\b"))

    page.get_by_label("Day", exact=True).fill("2024-01-01")
    page.get_by_role("button", name="Show standing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kazakhstan's standing on 1 January 2024")
    expect(greco).to_have_text("Member")
    expect(greco).to_have_class(re.compile(r"\bst-member\b"))
    assert page.console_errors == []


def test_search_finds_a_person_by_the_other_spelling(site, page):
    page.goto(site)
    field = page.get_by_role("searchbox", name="Search treaties, bodies, events, people and sources")
    field.fill("Ferrati")
    # The words typed show on the white field (not in the header's white).
    assert contrast(computed_hex(field, "color"), computed_hex(field, "backgroundColor")) >= 4.5
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Ferrati$"))

    people = page.locator("section", has=page.get_by_role("heading", name=re.compile(r"^People")))
    hit = people.locator("li", has=page.get_by_role("link", name="Mustafa Ferati", exact=True))
    expect(hit).to_have_count(1)
    # The hit shows the spelling it was found by.
    expect(hit).to_contain_text("Also spelt: Mustafa Ferrati")

    hit.get_by_role("link").click()
    expect(page).to_have_url(f"{site}/people/mustafa-ferati/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mustafa Ferati")
    assert page.console_errors == []


def test_every_page_in_the_navigation_opens_without_console_errors(site, page):
    page.goto(site)
    nav = page.get_by_role("navigation", name="Main")
    names = nav.get_by_role("link").all_inner_texts()
    assert names == ["Home", "Status", "Treaties", "Bodies", "Events", "People", "Sources", "About"]

    for name in names:
        link = nav.get_by_role("link", name=name, exact=True)
        with page.expect_navigation() as navigation:
            link.click()
        assert navigation.value.status == 200, name
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(link).to_have_attribute("aria-current", "page")
        # The stylesheet loaded: the header has the site's dark background.
        header = page.locator(".site-header")
        assert header.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(35, 48, 61)", name
        assert page.console_errors == [], name


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(site, page):
    page.goto(f"{site}/treaties/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    # Hidden until focused, then on screen where a sighted keyboard user sees it.
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0, box

    page.keyboard.press("Enter")
    main = page.locator("main")
    expect(main).to_be_focused()
    # Focus moved without painting the whole content in the focus colour.
    assert main.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"
    # The next Tab goes into the content, past the header and the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert page.evaluate("document.activeElement.closest('header, nav') === null")


def tab_to(page, locator, limit: int = 40) -> None:
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {locator}")


def test_status_form_can_be_used_by_keyboard_alone(site, page):
    page.goto(f"{site}/status/")
    day = page.get_by_label("Day", exact=True)
    tab_to(page, day)
    # A date field takes digits part by part, in the browser's order (month/day/year in en-US).
    page.keyboard.type("06302015")
    expect(day).to_have_value("2015-06-30")
    tab_to(page, page.get_by_role("button", name="Show standing"), limit=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kazakhstan's standing on 30 June 2015")
    expect(standing_of(page, "/bodies/greco/")).to_have_text("Applicant")

    # The dated changes either side are links a keyboard user can follow too.
    next_change = page.get_by_role("link", name=re.compile(r"^Next change"))
    tab_to(page, next_change)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Kazakhstan's standing on 30 June 2015")
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_main_pages_fit_the_screen_and_are_saved_as_screenshots(site, new_page, viewport):
    page = new_page(viewport)
    for name, path, status in MAIN_PAGES:
        url = f"{site}{path}"
        response = page.goto(url)
        assert response.status == status, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # Nothing but a table or the timeline (which scroll inside their own boxes) may be
        # wider than the window: a phone reader never scrolls the whole page sideways.
        assert page.evaluate(OVERFLOWING) == [], f"{path} overflows at {viewport} width"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        screenshot(page, f"{name}-{viewport}")
        assert errors_besides_own_status(page, url, status) == [], path
        page.console_errors.clear()


@pytest.mark.parametrize("path", ["/treaties/", "/bodies/", "/status/?as_of=2024-01-01", "/about/"])
def test_a_phone_reader_sees_every_status_without_scrolling_sideways(site, new_page, path):
    page = new_page("phone")
    page.goto(f"{site}{path}")
    badges = page.locator("main .status")
    assert badges.count() >= 6
    width = VIEWPORTS["phone"]["width"]
    hidden = [
        text
        for text, right in badges.evaluate_all(
            "els => els.map(el => [el.textContent, el.getBoundingClientRect().right])"
        )
        if right > width
    ]
    assert hidden == [], f"{path}: statuses past the right edge at {width} px"


def test_the_timeline_keeps_its_text_size_on_a_phone_and_scrolls_by_keyboard(site, new_page):
    page = new_page("phone")
    page.goto(site)
    picture = page.locator("svg.timeline-axis")
    drawn, designed = picture.evaluate("el => [el.getBoundingClientRect().width, el.viewBox.baseVal.width]")
    # Drawn at least at its own size, the 11-12.5 px labels stay readable; the picture
    # scrolls sideways in its own box instead, and the page does not.
    assert drawn >= designed
    scroller = page.locator(".timeline-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # A keyboard reader reaches the picture, sees where the focus is, and scrolls it.
    tab_to(page, scroller)
    assert scroller.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    assert scroller.evaluate("el => getComputedStyle(el).backgroundColor") != "rgb(255, 221, 0)"
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    # Arrow keys scroll smoothly: wait for the box to move back towards the earlier years
    # (a right-to-left box counts its scroll from its right end, in negative numbers).
    page.wait_for_function("() => document.querySelector('.timeline-scroll').scrollLeft < 0", timeout=5000)


def test_the_timeline_on_a_phone_opens_at_today(site, new_page):
    page = new_page("phone")
    page.goto(site)
    scroller = page.locator(".timeline-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth"), "the picture is wider than a phone"
    # Today's line and today's standing (the bars' right ends) are in view without scrolling;
    # the first year on the axis is not.
    box = scroller.bounding_box()
    today = page.locator(".timeline-picture line.today").bounding_box()
    assert box["x"] < today["x"] < box["x"] + box["width"], (box, today)
    first_year = page.locator("svg.timeline-axis text.tick").first.bounding_box()
    assert first_year["x"] + first_year["width"] < box["x"], "the picture opens on its oldest years"
    # Each lane's name is in view too, not left behind at the picture's far left.
    names = page.locator(".timeline-picture .lane-name")
    expect(names.filter(has_text="GRECO")).to_have_count(1)
    for name in names.all():
        name_box = name.bounding_box()
        assert box["x"] <= name_box["x"] < name_box["x"] + name_box["width"] <= box["x"] + box["width"], name
    # The picture itself still reads left to right: the years grow rightwards.
    years = page.locator("svg.timeline-axis text.tick")
    assert years.first.bounding_box()["x"] < years.last.bounding_box()["x"]


def test_every_timeline_bar_wide_enough_for_a_label_has_one_that_can_be_read(site, page):
    page.goto(site)
    bars = page.locator(".timeline-picture rect.bar").evaluate_all(
        """bars => bars.map(bar => {
          let label = bar.nextElementSibling;
          while (label && !label.matches("rect.bar") && !label.matches("text.bar-label")) {
            label = label.nextElementSibling;
          }
          label = label && label.matches("text.bar-label") ? label : null;
          return {
            width: bar.width.baseVal.value,
            // A solid bar's colour is its pattern's background (fill="url(#pat-party)").
            fill: getComputedStyle(document.querySelector(bar.getAttribute("fill").slice(4, -1) + " .bg"))
              .fill,
            label: label && label.textContent,
            onSolid: label !== null && label.classList.contains("on-solid"),
            colour: label && getComputedStyle(label).fill,
          };
        })"""
    )
    # 64 units hold "Invited", the shortest status label bar a certain bar may carry.
    unlabelled = [bar for bar in bars if bar["width"] >= 64 and not bar["label"]]
    assert unlabelled == [], unlabelled
    assert any(bar["label"] == "Invited" for bar in bars), "invitations to accede are labelled"
    # Light text on the solid green bars, dark text (on a white halo) on the light patterns.
    for bar in bars:
        if bar["onSolid"]:
            assert contrast(as_hex(bar["colour"]), as_hex(bar["fill"])) >= 4.5, bar
        elif bar["label"]:
            assert bar["colour"] == "rgb(27, 31, 36)", bar


def within(inner: dict, outer: dict) -> bool:
    return outer["x"] - 1 <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1


def test_on_a_phone_each_lane_name_is_whole_and_in_view_wherever_the_picture_scrolls(site, new_page):
    page = new_page("phone")
    page.goto(site)
    scroller = page.locator(".timeline-scroll")
    box = scroller.bounding_box()
    names = page.locator(".timeline-picture .lane-name")
    # Whole: the names the table gives, none cut short, wrapped inside the visible box.
    assert names.all_inner_texts() == page.locator("figure.timeline table th a").all_text_contents()
    expect(names.filter(has_text="Venice")).to_have_text(
        "European Commission for Democracy through Law (Venice Commission)"
    )
    assert names.evaluate_all("els => els.filter(el => el.scrollWidth > el.clientWidth).length") == 0
    for where in ("today", "the earliest years"):
        outside = [name.inner_text() for name in names.all() if not within(name.bounding_box(), box)]
        assert outside == [], f"names out of view at {where}"
        # A right-to-left box scrolls towards its start in negative numbers.
        scroller.evaluate("el => { el.scrollLeft = -el.scrollWidth; }")
        page.wait_for_function("() => document.querySelector('.timeline-scroll').scrollLeft < -300")


def test_on_a_phone_the_bars_that_reach_today_are_labelled_where_the_picture_opens(site, new_page):
    page = new_page("phone")
    page.goto(site)
    box = page.locator(".timeline-scroll").bounding_box()
    for lane in page.locator(".timeline-picture .lane").all():
        label = lane.locator("text.bar-label").last
        expect(label).to_have_count(1)
        assert within(label.bounding_box(), box), lane.locator(".lane-name").inner_text()
    labels = page.locator(".timeline-picture text.bar-label").all_text_contents()
    # The Venice Commission's and PACE's bars began long before the part a phone shows first.
    assert {"Member", "Cooperation"} <= set(labels)
    # The uncertain stretches are quiet bands, never labelled with a guess.
    assert not [label for label in labels if "?" in label or "maybe" in label]


def test_a_focused_link_in_the_header_can_be_read(site, page):
    page.goto(f"{site}/bodies/")
    nav = page.get_by_role("navigation", name="Main")
    for link in [page.locator("a.brand"), *nav.get_by_role("link").all()]:
        tab_to(page, link)
        ground = computed_hex(link, "backgroundColor")
        assert ground == "#ffdd00", "the focus field"
        assert contrast(computed_hex(link, "color"), ground) >= 4.5, link.inner_text()
    tagline = page.locator("a.brand small")
    tab_to(page, page.locator("a.brand"))
    assert contrast(computed_hex(tagline, "color"), "#ffdd00") >= 4.5


def test_on_a_phone_the_filters_fold_so_the_list_starts_on_the_first_screen(site, new_page):
    page = new_page("phone")
    page.goto(f"{site}/events/")
    form = page.get_by_role("form", name="Filter this list")
    expect(form).to_be_hidden()
    first = page.locator("main .records > li").first
    assert first.bounding_box()["y"] + 40 < VIEWPORTS["phone"]["height"], "the first event is in view"
    page.locator("summary", has_text="Filter this list").click()
    expect(form).to_be_visible()
    # Two fields a row, each on the screen.
    kind, treaty = page.get_by_label("Kind"), page.get_by_label("Treaty")
    assert abs(kind.bounding_box()["y"] - page.get_by_label("Year").bounding_box()["y"]) < 2
    assert treaty.bounding_box()["y"] > kind.bounding_box()["y"]
    for field in (kind, treaty, page.get_by_label("Contains")):
        assert within(field.bounding_box(), {"x": 0, "width": VIEWPORTS["phone"]["width"]})
    kind.select_option("visit")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"/events/\?(.*&)?kind=visit"))
    # A filtered list shows its filters, open.
    expect(form).to_be_visible()
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["/events/", "/treaties/", "/bodies/", "/sources/", "/people/"])
def test_on_a_desktop_the_filters_are_shown_with_apply_beside_them(site, page, path):
    page.goto(f"{site}{path}")
    expect(page.locator("summary", has_text="Filter this list")).to_be_hidden()
    apply = page.get_by_role("button", name="Apply").bounding_box()
    field = page.locator(".filters .field select, .filters .field input").first.bounding_box()
    assert abs((apply["y"] + apply["height"] / 2) - (field["y"] + field["height"] / 2)) < 4, (apply, field)


def test_event_tags_name_bodies_in_a_few_words(site, page):
    page.goto(f"{site}/events/")
    tags = page.locator("main .tags a")
    venice = tags.filter(has_text="Venice Commission").first
    expect(venice).to_have_text("Venice Commission")
    expect(venice).to_have_attribute(
        "title", "European Commission for Democracy through Law (Venice Commission)"
    )
    assert max(len(text) for text in tags.all_inner_texts()) <= 24


def test_the_sources_list_stacks_on_a_phone_with_each_value_named(site, new_page):
    page = new_page("phone")
    page.goto(f"{site}/sources/")
    first = page.locator("main table tbody tr").first
    title = first.locator("th a")
    # The title runs across the screen, not one word a line.
    assert title.bounding_box()["width"] > 200
    count = first.locator("td.num")
    box = count.bounding_box()
    assert box["x"] + box["width"] <= VIEWPORTS["phone"]["width"]
    label = count.evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"Citations: "', label


def test_the_404_page_names_the_missing_record_and_no_current_section(site, page):
    response = page.goto(f"{site}/treaties/99999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main .lead")).to_have_text("No treaty with the number 99999.")
    expect(page.locator('.site-nav [aria-current="page"]')).to_have_count(0)


def test_the_search_page_has_one_main_form_with_the_button_level_with_the_field(site, page):
    page.goto(f"{site}/search/?q=GRECO")
    main_form = page.get_by_role("search", name="Search", exact=True)
    field = main_form.get_by_role("searchbox", name="Words, a name in any spelling, or a treaty number")
    expect(field).to_have_value("GRECO")
    # The header's quick search is a separate, empty form: no second copy of the words.
    expect(page.get_by_role("search", name="Quick search").get_by_role("searchbox")).to_have_value("")
    label = main_form.locator("label").bounding_box()
    assert label["height"] < 30, "the label fits on one line"
    box = field.bounding_box()
    button = main_form.get_by_role("button", name="Search").bounding_box()
    assert abs(button["y"] - box["y"]) <= 1 and abs(button["height"] - box["height"]) <= 1, (box, button)
    assert box["width"] >= 400, "the main field is wider than the header's"


def test_the_status_hint_is_true_of_the_date_picker(site, page):
    page.goto(f"{site}/status/")
    hint = page.locator("#as_of_help")
    expect(hint).to_contain_text("Pick a day")
    expect(hint).to_contain_text("YYYY-MM-DD")
    expect(hint).not_to_have_text(re.compile(r"^As YYYY"))


TARGETS = """() => [...document.querySelectorAll("a[href], button, summary, input, select")]
  .filter((el) => el.getClientRects().length)
  .map((el) => [el.tagName.toLowerCase(), el.textContent.trim().slice(0, 40), el.getBoundingClientRect()])
  .filter(([, , box]) => box.width < 24 || box.height < 24)
  .map(([tag, text, box]) => `${tag} "${text}" ${Math.round(box.width)}x${Math.round(box.height)}`)"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_link_and_button_is_a_target_of_at_least_24_px(site, new_page, viewport):
    # WCAG 2.2 target size (minimum): each link, button and field at least 24 by 24 px.
    page = new_page(viewport)
    for _, path, _ in MAIN_PAGES:
        page.goto(f"{site}{path}")
        assert page.evaluate(TARGETS) == [], f"{path} at {viewport} width"
