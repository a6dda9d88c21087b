"""Benchmark the public pages against a bare Django view, warm and cold (issue 10).

    .venv/bin/python bench/pages.py [--events 200000] [--postgres URL|none] [--duration 5]

Not a test. For each data size, it serves the production settings under gunicorn
(gunicorn.conf.py, one worker) with one view added, /bench/bare/, that returns
HttpResponse("ok") through the same middleware (bench/pages_settings.py,
bench/pages_urls.py); then it measures with wrk (8 connections) each public page and the
bare view, alternately, and prints each page's requests per second as a ratio to the mean
of the bare view's runs just before and after it:

- warm: the page cache on (coe_kz.cache), local memory as `make run` has it; the page is
  asked for once before its run, so the run measures pages served from the cache;
- cold: the same server with PAGE_CACHE=0, every page computed for every request.

The data: the curated data (`manage.py seed`) in a temporary SQLite database; and, unless
--postgres none or --events 0, the curated data plus --events generated events
(bench/data.py) in a throwaway PostgreSQL database (coe_kz_bench_pages, dropped after
unless --keep). Generated rows are written in bulk, behind the services' back, so the
bench tells the site the public data changed, as an operator would.
"""

import argparse
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from harness import ROOT, database_on, environment, manage, postgres_admin, serving

BENCH_DB = "coe_kz_bench_pages"
BARE = "/bench/bare/"
PAGES = [
    "/",
    "/events/",
    "/status/?as_of=2015-06-30",
    "/treaties/",
    "/treaties/141/",
    "/bodies/",
    "/people/",
    "/search/?q=greco",
    "/sitemap.xml",
    "/changes/",
    "/sources/",
]
TARGET = 0.3


def bench_environment(database_url: str, static_root: str) -> dict[str, str]:
    """The production settings and the bare view, one worker, and the page cache in local
    memory (as `make run` has it: not a shared cache the environment may name)."""
    env = environment(
        database_url,
        DJANGO_SETTINGS_MODULE="bench.pages_settings",
        STATIC_ROOT=static_root,
        WEB_CONCURRENCY="1",
        PYTHONPATH=str(ROOT),
    )
    return {key: value for key, value in env.items() if key not in ("CACHE_URL", "REDIS_URL")}


def fill(env: dict[str, str], events: int) -> None:
    """The generated events, then a new public version (they were written in bulk)."""
    code = (
        "import django; django.setup()\n"
        "from bench.data import fill; from coe_kz.cache import public_data_changed\n"
        f"fill({events}); public_data_changed()\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def wrk(url: str, duration: int, connections: int) -> float:
    """Requests per second; refuses a run with any answer that is not a 2xx or 3xx."""
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "60s", url],
        capture_output=True,
        text=True,
        check=True,
    )
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    errors = re.search(r"Socket errors: .*", result.stdout)
    if bad or errors:
        raise SystemExit(f"{url}: {result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def measure(url: str, duration: int, connections: int) -> dict[str, tuple[float, float]]:
    """Each page's requests per second and its ratio to the bare view, measured in turn:
    bare, page, bare, page, ..., bare."""
    for address in [BARE, *PAGES]:  # each answers 200 (and the warm server stores it)
        with urllib.request.urlopen(url + address, timeout=300) as response:
            assert response.status == 200, address
    bare = [wrk(url + BARE, duration, connections)]
    found = {}
    for address in PAGES:
        rate = wrk(url + address, duration, connections)
        bare.append(wrk(url + BARE, duration, connections))
        found[address] = (rate, rate / ((bare[-2] + bare[-1]) / 2))
    found[BARE] = (sum(bare) / len(bare), 1.0)
    return found


def run(name: str, database_url: str, directory: Path, options, *, events: int = 0) -> dict:
    static_root = str(directory / "static")
    env = bench_environment(database_url, static_root)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "seed", "--verbosity", "0")
    if events:
        fill(env, events)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    results = {}
    for mode, extra in (("warm", {}), ("cold", {"PAGE_CACHE": "0"})):
        # Cold pages take up to seconds each: longer runs, so that each completes some.
        duration = options.duration * (1 if mode == "warm" else 3)
        with serving({**env, **extra}, directory / f"{mode}.log", "--access-logfile", "/dev/null") as url:
            results[mode] = measure(url, duration, options.connections)
    report(name, results)
    return results


def report(name: str, results: dict) -> None:
    print(f"\n{name}: requests/s, and as a ratio to the bare view (target {TARGET}x warm)")
    print(f"{'page':<28} {'warm r/s':>9} {'warm':>6}   {'cold r/s':>9} {'cold':>6}")
    for address in [BARE, *PAGES]:
        warm, cold = results["warm"][address], results["cold"][address]
        flag = "" if address == BARE or warm[1] >= TARGET else "  below target"
        cold_ratio = f"{cold[1]:>6.3f}" if cold[0] else "   n/a"  # no request completed
        print(f"{address:<28} {warm[0]:>9.1f} {warm[1]:>6.3f}   {cold[0]:>9.1f} {cold_ratio}{flag}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=200_000, help="Generated events on PostgreSQL.")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="A PostgreSQL server to create the bench database on; 'none' to skip it.",
    )
    parser.add_argument("--duration", type=int, default=5, help="Seconds of each wrk run.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="Keep the PostgreSQL bench database.")
    parser.add_argument("--skip-curated", action="store_true", help="Only the generated events.")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        directory = Path(directory)
        if not options.skip_curated:
            (directory / "curated").mkdir()
            run(
                "Curated data, SQLite",
                f"sqlite:///{directory / 'curated' / 'db.sqlite3'}",
                directory / "curated",
                options,
            )
        if options.postgres != "none" and options.events:
            server = options.postgres
            bench_url = database_on(server, BENCH_DB)
            postgres_admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
            postgres_admin(server, f'CREATE DATABASE "{BENCH_DB}"')
            (directory / "large").mkdir()
            try:
                run(
                    f"Curated data and {options.events:,} generated events, PostgreSQL",
                    bench_url,
                    directory / "large",
                    options,
                    events=options.events,
                )
            finally:
                if not options.keep:
                    postgres_admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


if __name__ == "__main__":
    main()
