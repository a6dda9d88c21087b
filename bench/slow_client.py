"""Benchmark: a large CSV read by a slow client through gunicorn arrives whole, while the
site keeps answering.

    .venv/bin/python bench/slow_client.py [--events 200000] [--rate 400] [--postgres URL] [--keep]

Not a test. It fills a throwaway PostgreSQL database `coe_kz_bench_slow` with --events
synthetic events (bench/data.py; kept with --keep and reused by a later --keep run),
then serves it as production does: gunicorn with the repository's gunicorn.conf.py and
the production settings. One client downloads /export/events.csv reading at most --rate
KB/s (a small receive buffer, so the server really waits on it); meanwhile another
requests / every half second. It reports the download's lines, bytes, status and time,
and the latency of / during it, and exits 1 unless the file arrived whole (one header
line and a line per event) and every / was a 200.
"""

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from harness import ROOT, database_on, environment, manage, postgres_admin, serving

BENCH_DB = "coe_kz_bench_slow"
URL = "/export/events.csv"


def fill(database_url: str, events: int, env: dict) -> None:
    script = (
        "import django, sys; sys.path.insert(0, '.'); django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from bench.data import fill\n"
        f"fill({events})\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)


def slow_download(port: int, rate_kb: int, result: dict) -> None:
    """GET URL over a raw socket, reading at most rate_kb KB a second."""
    sock = socket.socket()
    # A small receive buffer: the kernel cannot take the file off the server's hands.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)
    sock.connect(("127.0.0.1", port))
    sock.sendall(f"GET {URL} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    started = time.perf_counter()
    per_tick, tick = rate_kb * 1024 // 20, 0.05  # 20 reads a second
    received = bytearray()
    next_tick = started
    while True:
        data = sock.recv(per_tick)
        if not data:
            break
        received += data
        next_tick += tick * len(data) / per_tick
        pause = next_tick - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
    sock.close()
    head, _, body = bytes(received).partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head.lower():
        body = dechunk(body)
    result.update(
        seconds=time.perf_counter() - started,
        status=head.split(b"\r\n", 1)[0].decode(),
        bytes=len(body),
        lines=body.count(b"\r\n"),
        complete=body.endswith(b"\r\n"),
    )


def dechunk(body: bytes) -> bytes:
    out, i = bytearray(), 0
    while True:
        end = body.find(b"\r\n", i)
        if end < 0:
            return bytes(out)  # cut off mid-chunk
        size = int(body[i:end].split(b";")[0] or b"0", 16)
        if size == 0:
            return bytes(out)
        out += body[end + 2 : end + 2 + size]
        i = end + 2 + size + 2


def poll_home(port: int, done: threading.Event, latencies: list, failures: list) -> None:
    while not done.is_set():
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
                response.read()
                status = response.status
        except Exception as error:  # a refused connection, a timeout, a 5xx
            failures.append(repr(error))
        else:
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures.append(status)
        done.wait(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--rate", type=int, default=400, help="The client's reading speed, KB/s.")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true", help="Keep the bench database, and reuse a kept one.")
    options = parser.parse_args()

    import psycopg

    server_url = options.postgres
    database_url = database_on(server_url, BENCH_DB)
    static = tempfile.TemporaryDirectory()
    env = environment(database_url, STATIC_ROOT=static.name)
    with psycopg.connect(server_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if not (options.keep and exists):
            admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
            admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
            fill(database_url, options.events, env)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    with tempfile.NamedTemporaryFile(prefix="slow_client_gunicorn_", suffix=".log", delete=False) as file:
        log = Path(file.name)  # kept, for a look after the run
    try:
        with serving(env, log) as url:
            port = urllib.parse.urlsplit(url).port
            with urllib.request.urlopen(f"{url}/export/", timeout=60) as response:
                response.read()  # warm both workers' imports a little
            result, latencies, failures = {}, [], []
            done = threading.Event()
            poller = threading.Thread(target=poll_home, args=(port, done, latencies, failures))
            poller.start()
            slow_download(port, options.rate, result)
            done.set()
            poller.join()
    finally:
        static.cleanup()
        if not options.keep:
            postgres_admin(server_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')

    expected = options.events + 1
    rate = result["bytes"] / result["seconds"] / 1024
    print(f"gunicorn -c gunicorn.conf.py, {URL} read at {options.rate} KB/s (log: {log})")
    print(
        f"download: {result['status']}, {result['lines']:,} lines of {expected:,}, "
        f"{result['bytes'] / 2**20:.1f} MiB in {result['seconds']:.0f} s ({rate:.0f} KB/s), "
        f"{'whole' if result['lines'] == expected and result['complete'] else 'CUT OFF'}"
    )
    if latencies:
        ordered = sorted(latencies)
        median, p95 = statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(
            f"/ during the download: {len(latencies)} answers, median {median * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms; "
            f"{len(failures)} failures {failures[:3]}"
        )
    ok = result["lines"] == expected and result["complete"] and not failures and latencies
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
