"""Synthetic data for the benchmarks (bench/export.py, bench/cold.py, bench/pages.py, ...).

    from bench.data import fill
    fill(200_000)   # in a migrated database, seeded with the curated data or empty

Not a test fixture and never loaded into a real database: every record is named as what
it is ("Bench event 17", "Bench person 3") and cites nothing. `fill` adds published
events in bulk, each tied to a treaty, a body and a person as the curated ones are, so
every public page and export has rows to read. On top of `manage.py seed` the events name
the curated treaties and bodies, so pages that list every treaty and body (home, status)
hold the same records at any number of events; in an empty database it makes its own
(treaties 9001 to 9010, bodies `bench-<n>`). Its people (`bench-<n>`) are none of the
curated data's.

bulk_create sends no signal, so what the models compute on save (a date's two bounds,
the folded search text) is set here directly.
"""

import datetime

BATCH = 5000
TREATIES = 10
BODIES = 10
PEOPLE = 1000
FIRST_TREATY = 9001
START = datetime.date(1997, 1, 1)
SUMMARY = "A synthetic event for the benchmarks; no source describes it."


def fill(count: int, *, analyze: bool = True) -> None:
    """Add `count` published events, and PEOPLE people, to the current database (migrated
    already): each event names a treaty, a body and a person, in turn.

    Event n is dated 1997-01-01 plus n % 9000 days; every hundredth title starts like a
    formula (=), so an export's neutralising is exercised too. With `analyze`, the
    database gathers planner statistics afterwards, as autovacuum would on a live server
    after a bulk load.
    """
    from django.db import connection

    from bodies.models import Body
    from coe_kz.models import Publication
    from coe_kz.text import fold
    from events.models import Event, Participation, Person
    from treaties.models import Treaty

    # Published, or the public pages and exports (public records only) would not show them.
    published = Publication.PUBLISHED
    treaties = list(Treaty.objects.published().order_by("pk")) or Treaty.objects.bulk_create(
        Treaty(number=FIRST_TREATY + n, title=f"Bench treaty {n}", publication=published)
        for n in range(TREATIES)
    )
    bodies = list(Body.objects.published().order_by("pk")) or Body.objects.bulk_create(
        Body(slug=f"bench-{n}", name=f"Bench body {n}", publication=published) for n in range(BODIES)
    )
    people = Person.objects.bulk_create(
        Person(
            slug=f"bench-{n}",
            name=f"Bench person {n}",
            search_text=f"bench person {n}",
            publication=published,
        )
        for n in range(PEOPLE)
    )
    through_treaty, through_body = Event.treaties.through, Event.bodies.through
    for first in range(0, count, BATCH):
        events = Event.objects.bulk_create(
            _event(n, published, fold) for n in range(first, min(first + BATCH, count))
        )
        through_treaty.objects.bulk_create(
            through_treaty(event=e, treaty=treaties[i % len(treaties)]) for i, e in enumerate(events)
        )
        through_body.objects.bulk_create(
            through_body(event=e, body=bodies[i % len(bodies)]) for i, e in enumerate(events)
        )
        Participation.objects.bulk_create(
            Participation(
                event=e, person=people[(first + i) % len(people)], role="Speaker", publication=published
            )
            for i, e in enumerate(events)
        )
    if analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _event(n: int, published: str, fold):
    from events.models import Event

    day = START + datetime.timedelta(days=n % 9000)
    title = f"{'=' if n % 100 == 0 else ''}Bench event {n}"
    location = "Strasbourg"
    return Event(
        date=day.isoformat(),
        date_earliest=day,
        date_latest=day,
        title=title,
        kind="meeting",
        location=location,
        summary=SUMMARY,
        search_text="\n".join(fold(text) for text in (title, SUMMARY, location)),
        publication=published,
    )
