"""How pytest-xdist shares the suite between its workers (`-n auto --dist loadfile`).

Each worker is handed whole files (a file's tests share the data they build), with two
changes to xdist's own `loadfile`:

- the files whose tests use the run's throwaway PostgreSQL server (the `cluster` fixture,
  tests/postgres.py), named in ON_THE_CLUSTER, go to one worker as one unit, so the server
  and its curated database are made once per run, not once per worker;
- the units are handed out longest first, as the last run recorded their seconds in
  tests/durations.json, so the workers finish together rather than one waiting on the
  other's last long file. `pytest --record-durations` writes there the files it ran (a
  run of a few files keeps the others' seconds); a file it does not list yet counts as
  its number of tests times SECONDS_PER_TEST. A stale entry only costs time, never a
  result.
"""

import collections
import json
from pathlib import Path

import pytest
from xdist.scheduler import LoadFileScheduling

DURATIONS = Path(__file__).with_name("durations.json")
SECONDS_PER_TEST = 0.2
# The files of the tests on the throwaway server (`longest_first` refuses to run a test
# that uses it from another file: xdist's scheduler sees only the tests' ids).
ON_THE_CLUSTER = (
    "tests/coe_kz/test_database_restart.py",
    "tests/site/test_backup.py",
    "tests/site/test_servers.py",
)
CLUSTER = "the throwaway PostgreSQL server"


def pytest_addoption(parser):
    parser.addoption(
        "--record-durations",
        action="store_true",
        help=f"write the seconds each test file took to {DURATIONS.name}, which orders later runs",
    )


def unit_of(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    return CLUSTER if path in ON_THE_CLUSTER else path


def recorded_seconds() -> dict[str, float]:
    return json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}


def longest_first(items: list) -> list:
    """The items, each unit's together, the longest units first (each unit's own order kept).
    Called on each worker: xdist hands the units out in the order the workers collected
    them (`--no-loadscope-reorder`)."""
    recorded = recorded_seconds()
    for item in items:
        if "cluster" in item.fixturenames and unit_of(item.nodeid) != CLUSTER:
            raise pytest.UsageError(f"{item.nodeid} uses the cluster: add its file to ON_THE_CLUSTER")
    files = [item.nodeid.split("::", 1)[0] for item in items]
    tests_per_file = collections.Counter(files)
    unit_seconds = collections.Counter()
    for path, count in tests_per_file.items():
        unit_seconds[unit_of(path)] += recorded.get(path, count * SECONDS_PER_TEST)
    first = {}
    for path in files:
        first.setdefault(unit_of(path), len(first))
    return sorted(items, key=lambda item: (-unit_seconds[unit_of(item.nodeid)], first[unit_of(item.nodeid)]))


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    result = yield  # every other hook's order first: pytest-django's, the shared data's
    if hasattr(config, "workerinput"):  # a pytest-xdist worker
        items[:] = longest_first(items)
    return result


class LongestFirstScheduling(LoadFileScheduling):
    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadfile":
        return LongestFirstScheduling(config, log)


# --- recording the durations ------------------------------------------------------------

seconds_by_file = collections.Counter()


def pytest_runtest_logreport(report):
    seconds_by_file[report.nodeid.split("::", 1)[0]] += report.duration


def pytest_sessionfinish(session):
    config = session.config
    if config.getoption("record_durations") and not hasattr(config, "workerinput") and seconds_by_file:
        # Kept: the files this run did not run, unless gone from the suite.
        recorded = {path: s for path, s in recorded_seconds().items() if (config.rootpath / path).exists()}
        recorded.update((path, round(seconds, 1)) for path, seconds in seconds_by_file.items())
        DURATIONS.write_text(json.dumps(dict(sorted(recorded.items())), indent=1) + "\n")
