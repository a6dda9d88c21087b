"""A PostgreSQL restart costs readers nothing (coe_kz.middleware.RetryMiddleware,
CONN_HEALTH_CHECKS), and /healthz tells a load balancer when the database is down
(coe_kz.health): the production server (gunicorn, gunicorn.conf.py) on a throwaway
PostgreSQL server of this test's own (tests/postgres.py), restarted under a stream of
requests."""

import json
import threading
import time
import urllib.request
from dataclasses import dataclass

import pytest

from tests.helpers import free_port, gunicorn, opener

# Pages, API and a record, in turn: every one reads the database.
ADDRESSES = ["/", "/treaties/", "/events/", "/status/?as_of=2015-06-30", "/api/events/", "/bodies/greco/"]
READERS = 4
MAX_REQUESTS = 2000  # each reader's bound, whatever happens


@dataclass(frozen=True)
class Answer:
    started: float
    ended: float
    address: str
    status: int | str  # the HTTP status, or the error that stood for one


def read(client, url: str) -> int | str:
    try:
        with client.open(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:
        return repr(error)


@pytest.fixture(scope="module")
def server(curated_on_cluster, tmp_path_factory):
    directory = tmp_path_factory.mktemp("restart")
    environment = {**curated_on_cluster, "PORT": str(free_port()), "WEB_CONCURRENCY": "1"}
    with gunicorn(environment, directory) as url:
        yield {"url": url, "errors": directory / "error.log"}


def test_a_database_restart_under_load_fails_no_reader_s_request(cluster, server):
    answers, stop = [], threading.Event()

    def reader(first: int):
        client = opener()
        for n in range(first, first + MAX_REQUESTS):
            if stop.is_set():
                return
            address = ADDRESSES[n % len(ADDRESSES)]
            started = time.monotonic()
            status = read(client, server["url"] + address)
            answers.append(Answer(started, time.monotonic(), address, status))

    def wait_for(enough, what: str):
        deadline = time.monotonic() + 120
        while not enough():
            assert time.monotonic() < deadline, f"no {what} within 120 s: {len(answers)} answers"
            time.sleep(0.05)

    readers = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for thread in readers:
        thread.start()
    try:
        # A few answers each first: the server is warm, each thread's connection open.
        wait_for(lambda: len(answers) >= 3 * READERS, "warm server")
        before = cluster.postmaster_pid()
        down = time.monotonic()
        cluster.restart()
        up = time.monotonic()
        wait_for(lambda: sum(answer.started > up for answer in answers) >= 3 * READERS, "answers after")
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=60)
    assert cluster.postmaster_pid() != before, "the server did not restart"
    assert "database system is shut down" in cluster.server_log()

    # The stream of requests went on across the outage...
    assert any(answer.started <= up and answer.ended >= down for answer in answers)
    # ...and at most the requests in flight when the server went down may fail (with the
    # retry, none does): every request that started while it was down or after was
    # answered, those that met it after waiting for it to come back.
    failed = [answer for answer in answers if answer.status != 200]
    in_flight = [answer for answer in failed if answer.started < down < answer.ended]
    assert failed == in_flight and len(failed) <= READERS, failed


def healthz(url: str) -> tuple[int, dict, float]:
    started = time.monotonic()
    try:
        with opener().open(url + "/healthz", timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, json.loads(body), time.monotonic() - started


def test_healthz_answers_at_once_whether_the_database_is_up(cluster, server):
    assert healthz(server["url"])[:2] == (200, {"database": "ok", "cache": "ok"})
    cluster.stop()
    try:
        status, answer, took = healthz(server["url"])
        assert (status, answer) == (503, {"database": "unavailable", "cache": "ok"})
        assert took < 2, "no retry: a load balancer wants to know at once"
    finally:
        cluster.start()
    assert healthz(server["url"])[:2] == (200, {"database": "ok", "cache": "ok"})
