"""Benchmark /export/events.csv: rows per second and peak memory through the WSGI stack.

    .venv/bin/python bench/export.py [--events 200000] [--postgres URL] [--repeat 3] [--no-sqlite] [--keep]

Not a test. For SQLite (a temporary file) and PostgreSQL (a throwaway database
`coe_kz_bench` on the server in --postgres, dropped afterwards unless --keep), it
migrates an empty database, fills it with --events synthetic events (bench/data.py: each
tied to a treaty, a body and a person, as the curated ones are), then in a fresh process
calls the production WSGI application (coe_kz.wsgi: prod settings, every middleware) for
/export/events.csv and reads the whole streamed body. It reports:

- rows/s of the export, timed without tracing: the median of --repeat runs;
- peak Python heap during the export (tracemalloc, a second run) and the growth of the
  process's peak RSS during the timed runs: both stay flat as --events grows when the
  export streams in constant memory;
- on PostgreSQL, rows/s of `COPY (same rows, same columns, same order) TO STDOUT`, the
  fastest the server can hand these rows out, and the export's speed as a share of it.
  Each timed export is followed by a COPY, so both meet the same load on a shared
  machine; the share is the median of each pair's ratio.

Each phase runs in its own process so that one phase's memory does not hide another's.
"""

import argparse
import json
import resource
import statistics
import tempfile
import time
import tracemalloc

from harness import call_wsgi, database_on, django_setup, postgres_admin, run_phase

BENCH_DB = "coe_kz_bench"
URL = "/export/events.csv"


# --- phase 1: schema and data -------------------------------------------------------


def fill(count: int) -> None:
    """Migrate, then add `count` synthetic events (bench/data.py)."""
    from django.core.management import call_command

    from bench.data import fill as fill_events

    call_command("migrate", verbosity=0)
    fill_events(count)


# --- phase 2: the export through WSGI, and COPY -------------------------------------------


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure(with_copy: bool, repeat: int) -> dict:
    from coe_kz.wsgi import application

    call_wsgi(application, f"{URL}?year=1")  # warm up: imports, connection, first queries
    rss_before = max_rss_mib()
    times, copies = [], []
    # Export and COPY in turn, so that both meet the same load on a shared machine.
    for _ in range(repeat):
        started = time.perf_counter()
        size, lines = call_wsgi(application, URL)
        times.append(time.perf_counter() - started)
        if with_copy:
            copies.append(copy_rows())
    rss_growth = max_rss_mib() - rss_before
    tracemalloc.start()
    call_wsgi(application, URL)
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = lines - 1  # less the header
    seconds = statistics.median(times)
    result = {
        "rows": rows,
        "bytes": size,
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "heap_peak_mib": heap_peak / 2**20,
        "rss_growth_mib": rss_growth,
    }
    if with_copy:
        result["copy"] = sorted(copies, key=lambda copy: copy["seconds"])[len(copies) // 2]  # the median
        # The ratio of each export to the COPY run right after it, then their median.
        result["share"] = statistics.median(c["seconds"] / t for t, c in zip(times, copies, strict=True))
    return result


def copy_rows() -> dict:
    """PostgreSQL's COPY of the export's rows and columns, in its order, read to the end."""
    from django.db import connection

    from events.models import Event, Participation

    event = Event._meta.db_table
    treaties = Event.treaties.through._meta.db_table
    bodies = Event.bodies.through._meta.db_table
    participation = Participation._meta.db_table
    sql = f"""
        COPY (
            SELECT e.id, e.date, e.date_earliest, e.date_latest, e.title, e.kind, e.location,
                (SELECT string_agg(t.treaty_id::text, ';' ORDER BY t.treaty_id)
                   FROM {treaties} t WHERE t.event_id = e.id),
                (SELECT string_agg(b.body_id, ';') FROM {bodies} b WHERE b.event_id = e.id),
                (SELECT string_agg(p.person_id, ';' ORDER BY p.id)
                   FROM {participation} p WHERE p.event_id = e.id),
                e.summary
            FROM {event} e
            ORDER BY COALESCE(e.date_earliest, e.date_latest) NULLS LAST, e.date_latest NULLS LAST,
                e.title, e.id
        ) TO STDOUT WITH (FORMAT csv, HEADER)
    """
    connection.ensure_connection()
    started = time.perf_counter()
    size = lines = 0
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for chunk in copy:
            size += len(chunk)
            lines += bytes(chunk).count(b"\n")
    seconds = time.perf_counter() - started
    return {"rows": lines - 1, "bytes": size, "seconds": seconds, "rows_per_s": (lines - 1) / seconds}


# --- the driver -------------------------------------------------------------------------


def report(name: str, result: dict) -> None:
    print(
        f"{name:<11} {result['rows']:>8,} rows  {result['seconds']:7.2f} s  "
        f"{result['rows_per_s']:>9,.0f} rows/s  {result['bytes'] / 2**20:7.1f} MiB of CSV  "
        f"peak heap {result['heap_peak_mib']:6.1f} MiB  peak RSS growth {result['rss_growth_mib']:6.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="A PostgreSQL server to create the bench database on; 'none' to skip PostgreSQL.",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the bench databases.")
    parser.add_argument(
        "--sqlite", action=argparse.BooleanOptionalAction, default=True, help="Measure on SQLite too."
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="Timed exports (each followed by a COPY); medians are reported."
    )
    parser.add_argument("--phase", choices=["fill", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--copy", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.phase:
        django_setup(options.database_url)
        if options.phase == "fill":
            fill(options.events)
        else:
            print(json.dumps(measure(options.copy, options.repeat)))
        return

    print(f"Exporting {options.events:,} events as {URL} through coe_kz.wsgi (production settings).")
    results = {}
    if options.sqlite:
        with tempfile.TemporaryDirectory() as directory:
            sqlite_url = f"sqlite:///{directory}/bench.sqlite3"
            run_phase(__file__, "fill", sqlite_url, "--events", str(options.events))
            results["SQLite"] = json.loads(
                run_phase(__file__, "measure", sqlite_url, "--repeat", str(options.repeat))
            )
            report("SQLite", results["SQLite"])
    if options.postgres != "none":
        server = options.postgres
        bench_url = database_on(server, BENCH_DB)
        postgres_admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        postgres_admin(server, f'CREATE DATABASE "{BENCH_DB}"')
        try:
            run_phase(__file__, "fill", bench_url, "--events", str(options.events))
            results["PostgreSQL"] = json.loads(
                run_phase(__file__, "measure", bench_url, "--copy", "--repeat", str(options.repeat))
            )
        finally:
            if not options.keep:
                postgres_admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        report("PostgreSQL", results["PostgreSQL"])
        copy = results["PostgreSQL"]["copy"]
        print(
            f"{'COPY':<11} {copy['rows']:>8,} rows  {copy['seconds']:7.2f} s  "
            f"{copy['rows_per_s']:>9,.0f} rows/s  {copy['bytes'] / 2**20:7.1f} MiB of CSV"
        )
        for name, result in results.items():
            share = result.get("share", result["rows_per_s"] / copy["rows_per_s"])
            print(f"{name} export runs at {share:.1%} of COPY's rate (COPY is {1 / share:.1f}x faster).")


if __name__ == "__main__":
    main()
