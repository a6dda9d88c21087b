"""What the benchmarks share (bench/export.py, cold.py, pages.py, slow_client.py): the
production settings' environment, a throwaway database on a PostgreSQL server, a phase in a
fresh process, a GET through the WSGI application, and gunicorn serving.

The scripts import it as `harness`: Python puts a script's own directory on its path.
"""

import contextlib
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from wsgiref.util import setup_testing_defaults

ROOT = Path(__file__).resolve().parent.parent


def environment(database_url: str, **extra: str) -> dict[str, str]:
    """This process's environment with the production settings against `database_url`,
    over plain http (the benchmarks call 127.0.0.1), and `extra`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coe_kz.settings.prod",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS_ONLY": "0",
        **extra,
    }


def django_setup(database_url: str) -> None:
    """Django in this process, with the production settings against the bench database."""
    os.environ.update(environment(database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def run_phase(script: str, phase: str, database_url: str, *args: str) -> str:
    """`script --phase <phase>` in a fresh process (so that one phase's memory does not hide
    another's): what it printed."""
    command = [sys.executable, script, "--phase", phase, "--database-url", database_url, *args]
    return subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout


def database_on(server_url: str, name: str) -> str:
    """The address of the database `name` on the PostgreSQL server of `server_url`."""
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def postgres_admin(server_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(statement)


def call_wsgi(application, path: str) -> tuple[int, int]:
    """GET `path` from the WSGI application, reading the whole body, which must be a 200's:
    (bytes, lines)."""
    path, _, query = path.partition("?")
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)  # from and to 127.0.0.1
    statuses = []
    body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    size = lines = 0
    try:
        for chunk in body:
            size += len(chunk)
            lines += chunk.count(b"\r\n")
    finally:
        if hasattr(body, "close"):
            body.close()  # fires request_finished, as a real server does
    assert statuses[0].startswith("200"), (path, statuses)
    return size, lines


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(env: dict[str, str], log: Path, *options: str):
    """gunicorn with the repository's gunicorn.conf.py (and `options`) serving `env` on a
    free port, its output in `log`, until the block ends: its address, once /healthz answers."""
    port = free_port()
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", *options, "coe_kz.wsgi"],
            cwd=ROOT,
            env={**env, "PORT": str(port)},
            stdout=output,
            stderr=output,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, log.read_text()
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(url + "/healthz", timeout=5).read()
                    break
                assert time.monotonic() < deadline, "gunicorn did not answer /healthz within 60 s"
                time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=90)
