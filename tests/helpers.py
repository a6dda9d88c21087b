"""Plain helpers shared by the test modules: reading pages and CSV files, making records,
generating worlds of any size, and logging staff in. Fixtures live in conftest.py files;
nothing here touches the database until a test (or a fixture) calls it."""

import contextlib
import csv
import datetime
import functools
import io
import itertools
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.db import models
from django.test import Client
from django.urls import reverse

from bodies.models import Body, BodyStanding, BodyStandingCitation
from coe_kz.dates import DateBounds, edtf_fields, parse_bounds
from coe_kz.models import Release, SetAside, Source
from coe_kz.text import fill_search_text
from events.models import Event, EventCitation, Participation, Person, PersonCitation, PersonName
from treaties.models import Treaty, TreatyStep, TreatyStepCitation

# --- reading what a reader gets ---------------------------------------------------------


def rows(html: str) -> list[str]:
    """The text of each row in the page's first table body, tags and extra spaces removed."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>")[:-1]]


def text(html: str) -> str:
    """A page's text as a reader sees it: tags removed, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def sitemap_addresses(client) -> list[str]:
    """Every address the sitemap gives, as a search engine reads it: /sitemap.xml is an
    index of files, each read in turn (each a 200 of XML)."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and "<sitemapindex" in index.content.decode()
    addresses = []
    for file in re.findall(r"<loc>([^<]+)</loc>", index.content.decode()):
        response = client.get(file.replace("http://testserver", "").replace("&amp;", "&"))
        assert response.status_code == 200, file
        addresses += re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    return addresses


def get_csv(client, url: str):
    """The response, the header row, and the rows as dicts."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    return response, rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def public_addresses() -> list[str]:
    """One address of every kind the public reads, from the published data in the
    database: the site's pages, each list, a record of each kind with its history, every
    CSV, the data package, the feeds, the sitemap, the releases (the latest one's page and
    files, when there is one), and the API's endpoints, a row of two, and the schema."""
    from coe_kz.site.datasets import DATASETS  # the composing layer, read only here

    pages = ["/", "/status/?as_of=2015-06-30", "/search/?q=greco", "/about/", "/changes/", "/export/"]
    pages += ["/treaties/", "/bodies/", "/events/", "/people/", "/sources/", "/releases/"]
    for model in (Treaty, Body, Event, Person, Source):
        record = model.objects.published().first()
        pages += [record.get_absolute_url(), record.get_absolute_url() + "history/"]
    feeds = ["/events/feed/", "/changes/feed/", "/releases/feed/"]
    files = [*feeds, "/sitemap.xml", "/sitemap-events.xml", "/robots.txt", "/export/coe-kz.zip"]
    files += [f"/export/{name}.csv" for name in DATASETS]
    if release := Release.objects.first():
        pages.append(f"/releases/{release.version}/")
        files += [
            f"/releases/{release.version}/{name}" for name in ("coe-kz.zip", "changes.csv", "people.csv")
        ]
    api = ["/api/", "/api/schema/", *(f"/api/{name}/" for name in DATASETS)]
    api += [f"/api/treaties/{Treaty.objects.published().first().pk}/", "/api/status/treaty/141/"]
    return pages + files + api


# --- making records ------------------------------------------------------------------------

PUBLISHED = "published"


def published(model, **fields):
    """Create a record the public sees: records start as drafts."""
    return model.objects.create(publication=PUBLISHED, **fields)


def cite(model, record, source, quote, **fields):
    """A published citation (unless `publication` says otherwise)."""
    fields.setdefault("publication", PUBLISHED)
    return model.objects.create(record=record, source=source, quote=quote, **fields)


# The records the admin tests make are public, as the curated data is: what the site shows
# counts only published records (a step's rejection counts only published citations).
PUBLIC = {"publication": PUBLISHED}


@functools.cache
def _bounds(text: str) -> DateBounds:
    return parse_bounds(text) if text else DateBounds(None, None)


def _as_saved(obj):
    """bulk_create sends no pre_save signal: fill the date bounds and the search text as a
    save would (parsing each distinct date string once, which keeps thousands of rows quick)."""
    fill_search_text(obj)
    for field in edtf_fields(type(obj)):
        bounds = _bounds(getattr(obj, field.attname))
        setattr(obj, f"{field.attname}_earliest", bounds.earliest)
        setattr(obj, f"{field.attname}_latest", bounds.latest)
    return obj


def generate(*, events: int, treaties: int, bodies: int, people: int, sources: int = 4) -> dict:
    """Bulk-create a world of the given size, every record cited, every event linked to a
    treaty, a body and two people. Returns the first of each, for detail pages; the
    first treaty, body, person and source gather citations or events from everywhere."""
    source_rows = Source.objects.bulk_create(
        _as_saved(
            Source(
                publication=PUBLISHED,
                key=f"gen-source-{i}",
                title=f"Generated source {i}",
                published=f"{2000 + i}",
            )
        )
        for i in range(sources)
    )
    treaty_rows = Treaty.objects.bulk_create(
        _as_saved(
            Treaty(
                publication=PUBLISHED, number=1000 + i, title=f"Generated convention {i}", kind="convention"
            )
        )
        for i in range(treaties)
    )
    steps = TreatyStep.objects.bulk_create(
        _as_saved(TreatyStep(publication=PUBLISHED, treaty=t, status=status, date=date))
        for t in treaty_rows
        for status, date in (("signed", "2001-05"), ("party", "2003/2005"))
    )
    TreatyStepCitation.objects.bulk_create(
        TreatyStepCitation(
            publication=PUBLISHED, record=s, source=source_rows[i % sources], quote=f"Step {i} happened."
        )
        for i, s in enumerate(steps)
    )
    body_rows = Body.objects.bulk_create(
        _as_saved(
            Body(
                publication=PUBLISHED,
                slug=f"gen-body-{i}",
                name=f"Generated body {i}",
                kind="partial_agreement",
            )
        )
        for i in range(bodies)
    )
    standings = BodyStanding.objects.bulk_create(
        _as_saved(BodyStanding(publication=PUBLISHED, body=b, status=status, date=date))
        for b in body_rows
        for status, date in (("applicant", "2010"), ("member", "../2023-10-07"))
    )
    BodyStandingCitation.objects.bulk_create(
        BodyStandingCitation(
            publication=PUBLISHED, record=s, source=source_rows[i % sources], quote=f"Standing {i} held."
        )
        for i, s in enumerate(standings)
    )
    person_rows = Person.objects.bulk_create(
        _as_saved(Person(publication=PUBLISHED, slug=f"gen-person-{i:04d}", name=f"Person {i:04d}"))
        for i in range(people)
    )
    PersonName.objects.bulk_create(
        _as_saved(PersonName(publication="published", person=p, name=f"Persson {p.slug[-4:]}"))
        for p in person_rows
    )
    PersonCitation.objects.bulk_create(
        PersonCitation(publication=PUBLISHED, record=p, source=source_rows[0], quote=f"{p.name} was there.")
        for p in person_rows
    )
    dates = itertools.cycle(["2015-03", "2016-07-01", "../2019-10-07", "2017/2019", "XXXX", "2020"])
    kinds = itertools.cycle(["visit", "meeting", "signature", "report"])
    event_rows = Event.objects.bulk_create(
        _as_saved(
            Event(publication=PUBLISHED, date=next(dates), title=f"Generated event {i}", kind=next(kinds))
        )
        for i in range(events)
    )
    Event.treaties.through.objects.bulk_create(
        Event.treaties.through(event=e, treaty=treaty_rows[0 if i % 2 else i % treaties])
        for i, e in enumerate(event_rows)
    )
    Event.bodies.through.objects.bulk_create(
        Event.bodies.through(event=e, body=body_rows[0 if i % 2 else i % bodies])
        for i, e in enumerate(event_rows)
    )
    Participation.objects.bulk_create(
        Participation(publication="published", event=e, person=person_rows[p], role=f"Role {p % 3}")
        for i, e in enumerate(event_rows)
        for p in {0, 1 + i % (people - 1)}
    )
    EventCitation.objects.bulk_create(
        EventCitation(publication=PUBLISHED, record=e, source=source_rows[0], quote=f"Event {i} took place.")
        for i, e in enumerate(event_rows)
    )
    return {
        "treaty": treaty_rows[0],
        "body": body_rows[0],
        "person": person_rows[0],
        "source": source_rows[0],
        "event": event_rows[0],
    }


def make_events(count: int, start: int = 0) -> None:
    """`count` more events, each with a treaty, a body, a person and citations (bulk, for speed)."""
    source, _ = Source.objects.get_or_create(key="bulk", defaults={"title": "Bulk", "publication": PUBLISHED})
    treaty, _ = Treaty.objects.get_or_create(
        number=185, defaults={"title": "Convention on Cybercrime", "publication": PUBLISHED}
    )
    body, _ = Body.objects.get_or_create(slug="cepej", defaults={"name": "CEPEJ", "publication": PUBLISHED})
    numbers = range(start, start + count)
    people = Person.objects.bulk_create(
        Person(slug=f"p{i}", name=f"Person {i}", publication=PUBLISHED) for i in numbers
    )
    events = Event.objects.bulk_create(
        Event(
            date="2018",
            date_earliest=datetime.date(2018, 1, 1),
            title=f"Event {i}",
            kind="meeting",
            publication=PUBLISHED,
        )
        for i in numbers
    )
    Event.treaties.through.objects.bulk_create(Event.treaties.through(event=e, treaty=treaty) for e in events)
    Event.bodies.through.objects.bulk_create(Event.bodies.through(event=e, body=body) for e in events)
    pairs = list(zip(events, people, strict=True))
    Participation.objects.bulk_create(
        Participation(publication="published", event=e, person=p, role="Speaker") for e, p in pairs
    )
    EventCitation.objects.bulk_create(
        EventCitation(record=e, source=source, quote="q", publication=PUBLISHED) for e in events
    )
    PersonCitation.objects.bulk_create(
        PersonCitation(record=p, source=source, quote="q", publication=PUBLISHED) for p in people
    )


def build_records(count: int) -> dict[type[models.Model], models.Model]:
    """`count` of every curated model, each with all its relations filled (treaty i
    amends treaty i-1, body i sits under body i-1), so a column that reads a relation
    without a join shows up as extra queries. Returns the first record of each model."""
    first = {}
    previous_treaty = previous_body = None
    for i in range(count):
        source = Source.objects.create(
            key=f"test-source-{i}", title=f"Test source {i}", published="2018-09", **PUBLIC
        )
        archive = Source.objects.create(
            key=f"test-archive-{i}", title=f"Test archive {i}", text=f"Test archive {i}\n\nA fact.", **PUBLIC
        )
        set_aside = SetAside.objects.create(
            source=archive, passage=f"Test archive {i}", paragraph=1, reason="The headline.", **PUBLIC
        )
        treaty = Treaty.objects.create(
            number=9000 + i,
            title=f"Test convention {i}",
            amends=previous_treaty,
            reference_source=source,
            opened="1990-11-08",
            **PUBLIC,
        )
        step = TreatyStep.objects.create(
            treaty=treaty, status="party", date="2014", consent="accession", **PUBLIC
        )
        step_citation = TreatyStepCitation.objects.create(
            record=step, source=source, quote=f"Test quote on treaty step {i}.", paragraph=2, **PUBLIC
        )
        body = Body.objects.create(
            slug=f"test-body-{i}", name=f"Test body {i}", parent=previous_body, **PUBLIC
        )
        standing = BodyStanding.objects.create(body=body, status="member", date="2012-03", **PUBLIC)
        standing_citation = BodyStandingCitation.objects.create(
            record=standing, source=source, quote=f"Test quote on standing {i}.", **PUBLIC
        )
        person = Person.objects.create(slug=f"test-person-{i}", name=f"Test Person {i}", **PUBLIC)
        other_name = PersonName.objects.create(publication="published", person=person, name=f"Tset Prson {i}")
        person_citation = PersonCitation.objects.create(
            record=person, source=source, quote=f"Test quote on person {i}.", **PUBLIC
        )
        event = Event.objects.create(date="2013-12-19", title=f"Test event {i}", kind="declaration", **PUBLIC)
        event.treaties.add(treaty)
        event.bodies.add(body)
        participation = Participation.objects.create(
            publication="published", event=event, person=person, role="Test role"
        )
        event_citation = EventCitation.objects.create(
            record=event, source=source, quote=f"Test quote {i}.", **PUBLIC
        )
        for record in (
            source,
            set_aside,
            treaty,
            step,
            step_citation,
            body,
            standing,
            standing_citation,
            event,
            person,
            other_name,
            participation,
            event_citation,
            person_citation,
        ):
            first.setdefault(type(record), record)
        previous_treaty, previous_body = treaty, body
    return first


# --- the admin -----------------------------------------------------------------------------

CURATED_APPS = ("coe_kz", "treaties", "bodies", "events")
PASSWORD = "pw-role-4321-ok"


def url(model_or_obj, view: str, *args) -> str:
    opts = model_or_obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def submitted(response) -> dict:
    """The POST data a browser would send back for an admin form page as rendered:
    the main form, then each inline's management form and rows."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:  # an unticked box or empty choice sends nothing
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


# The role groups' permissions as the migrations left them (app label, codename), read
# once the test database is migrated (tests/conftest.py), before any test could empty it.
ROLES_AS_MIGRATED: dict[str, list[tuple[str, str]]] = {}


def remember_roles() -> None:
    ROLES_AS_MIGRATED.update(
        (group.name, [(p.content_type.app_label, p.codename) for p in group.permissions.all()])
        for group in Group.objects.prefetch_related("permissions__content_type")
    )


def ensure_roles() -> None:
    """The role groups as the migrations made them, again after a transactional test (the
    browser tests) emptied every table (tests/conftest.py's `transactional_db`)."""
    if Group.objects.filter(name__in=ROLES_AS_MIGRATED).count() == len(ROLES_AS_MIGRATED):
        return
    for name, wanted in ROLES_AS_MIGRATED.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in wanted
        )


def staff_user(django_user_model, username: str, role: str | None = None):
    """A staff member, in the role's group if one is named, who can log in with PASSWORD."""
    user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown_messages(response) -> list[str]:
    """The messages (django.contrib.messages) the response's request left for the user."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def linked_treaties(version) -> list[int]:
    """The treaty numbers a version of an event links to."""
    return sorted(link.treaty_id for link in version.treaties.all())


# --- the production server ------------------------------------------------------------------

ROOT = settings.BASE_DIR


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(directory, **overrides) -> dict[str, str]:
    """What the Makefile's RUN_ENV gives `make run`, with a database and static directory
    of this test's own."""
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environment.update(
        DJANGO_SETTINGS_MODULE="coe_kz.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}",
        HTTPS_ONLY="0",
        STATIC_ROOT=str(directory / "static"),
    )
    environment.update(overrides)
    return environment


def manage(environment, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def opener(jar=None):
    """A client that ignores any proxy of the environment and, like a browser, keeps
    cookies (a Secure one it sends over HTTPS only)."""
    handlers = [urllib.request.ProxyHandler({})]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    return urllib.request.build_opener(*handlers)


def fetch(client, url, data=None):
    """(status, final address, body) of a request, whatever its status."""
    try:
        with client.open(url, data=data, timeout=30) as response:
            return response.status, response.url, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.url, error.read().decode()


@contextlib.contextmanager
def gunicorn(environment: dict[str, str], directory):
    """The production server as `make run` starts it (gunicorn.conf.py) with
    `environment` (its PORT free), until the block ends; its address. As a service
    manager keeps them, the access log (standard output) goes to directory/access.log and
    errors (gunicorn's own, and the site's log) to directory/error.log."""
    port = int(environment["PORT"])
    with open(directory / "access.log", "w") as access_log, open(directory / "error.log", "w") as error_log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "coe_kz.wsgi"],
            cwd=ROOT,
            env=environment,
            stdout=access_log,
            stderr=error_log,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, (directory / "error.log").read_text()
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "gunicorn did not start within 60 s"
                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def readme_blocks() -> list[str]:
    """The README's fenced code blocks, as text."""
    blocks, block = [], None
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("```") and block is None:
            block = []
        elif line.startswith("```"):
            blocks.append("\n".join(block))
            block = None
        elif block is not None:
            block.append(line)
    return blocks
