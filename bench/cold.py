"""Benchmark: cold public pages at the curated size and at many generated events.

    .venv/bin/python bench/cold.py [--events 200000] [--postgres URL] [--repeat 7] [--keep]

Not a test. On the PostgreSQL server in --postgres it makes two throwaway databases:
`coe_kz_bench_curated` (the curated data, `manage.py seed`) and `coe_kz_bench_big` (the
same plus --events synthetic events, bench/data.py), unless --keep kept them from an
earlier run with the same --events. For each, in a fresh process, it calls the production
WSGI application (coe_kz.wsgi: prod settings, every middleware) for each page below,
every cache emptied before each request (a cold page: nothing computed earlier helps),
and reports the median time of --repeat requests, and the ratio of the big database's
time to the curated one's. Issue 10 asks for at most 2.0.
"""

import argparse
import json
import os
import statistics
import tempfile
import time

from harness import call_wsgi, database_on, django_setup, postgres_admin, run_phase

DATABASES = {"curated": "coe_kz_bench_curated", "big": "coe_kz_bench_big"}
PAGES = [
    "/",
    "/events/",
    "/status/",
    "/status/?as_of=2015-06-30",
    "/people/",
    "/sitemap.xml",
    "/sitemap-events.xml",
]


def fill(events: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)
    if events:
        from bench.data import fill as fill_events

        fill_events(events, analyze=False)
    # Statistics and the visibility map, as autovacuum leaves them on a live server
    # after a bulk load (a count then reads an index only).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def measure(pages: list[str], repeat: int) -> dict:
    from django.core.cache import caches
    from django.core.management import call_command

    from coe_kz.wsgi import application

    call_command("migrate", verbosity=0)  # a kept database gets this code's indexes
    call_command("collectstatic", interactive=False, verbosity=0)  # into the run's STATIC_ROOT
    results = {}
    for page in pages:
        size, _ = call_wsgi(application, page)  # warm up: imports, connection, templates
        times = []
        for _ in range(repeat):
            for cache in caches.all(initialized_only=True):
                cache.clear()
            started = time.perf_counter()
            call_wsgi(application, page)
            times.append(time.perf_counter() - started)
        results[page] = {"seconds": statistics.median(times), "bytes": size}
    return results


def event_count(database_url: str) -> int | None:
    import psycopg

    try:
        with psycopg.connect(database_url) as connection:
            return connection.execute("SELECT count(*) FROM events_event").fetchone()[0]
    except psycopg.Error:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="Keep the bench databases, and reuse kept ones.")
    parser.add_argument(
        "--page", action="append", help="A page to time (repeatable); the default is every page."
    )
    parser.add_argument("--phase", choices=["fill", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    options = parser.parse_args()
    pages = options.page or PAGES

    if options.phase:
        django_setup(options.database_url)
        if options.phase == "fill":
            fill(options.events)
        else:
            print(json.dumps(measure(pages, options.repeat)))
        return

    # Production settings serve static files from a manifest: one collected for this run.
    static = tempfile.TemporaryDirectory()
    os.environ["STATIC_ROOT"] = static.name
    server = options.postgres
    urls = {size: database_on(server, name) for size, name in DATABASES.items()}
    results = {}
    try:
        for size, url in urls.items():
            events = options.events if size == "big" else 0
            name = DATABASES[size]
            kept = event_count(url) if options.keep else None
            if kept is None or (size == "big" and kept < events):
                postgres_admin(server, f'DROP DATABASE IF EXISTS "{name}"')
                postgres_admin(server, f'CREATE DATABASE "{name}"')
                run_phase(__file__, "fill", url, "--events", str(events))
            results[size] = json.loads(
                run_phase(
                    __file__, "measure", url, "--repeat", str(options.repeat), *(f"--page={p}" for p in pages)
                )
            )
            results[size]["events"] = event_count(url)
    finally:
        static.cleanup()
        if not options.keep:
            for name in DATABASES.values():
                postgres_admin(server, f'DROP DATABASE IF EXISTS "{name}"')
    curated, big = results["curated"], results["big"]
    print(
        f"Cold pages (every cache emptied), median of {options.repeat}, PostgreSQL: "
        f"{curated.pop('events'):,} events (curated) and {big.pop('events'):,}."
    )
    print(f"{'page':<28} {'curated':>10} {'big':>10} {'big/curated':>12} {'big page':>10}")
    for page in pages:
        small, large = curated[page]["seconds"], big[page]["seconds"]
        print(
            f"{page:<28} {small * 1000:>8.1f}ms {large * 1000:>8.1f}ms {large / small:>12.2f} "
            f"{big[page]['bytes'] / 1024:>8.0f}KiB"
        )


if __name__ == "__main__":
    main()
