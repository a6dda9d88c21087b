"""`make run` is the site as its users meet it: the production settings under gunicorn.

The server here is the one `make run` starts (coe_kz.settings.prod, gunicorn.conf.py, the
environment the Makefile gives it), on a free port and its own SQLite database and static
directory, so it disturbs nothing else on the machine.
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
PASSWORD = "run-test-" + secrets.token_urlsafe(12)


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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The production server, started before its database is migrated (so its first
    answers show the 500 page); `migrate` is the test's first step."""
    directory = tmp_path_factory.mktemp("run")
    port = free_port()
    environment = production_environment(directory, PORT=str(port), WEB_CONCURRENCY="1")
    collected = manage(environment, "collectstatic", "--noinput", "--verbosity", "0")
    assert collected.returncode == 0, collected.stderr
    log = open(directory / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "coe_kz.wsgi"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (directory / "gunicorn.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start within 60 s"
                time.sleep(0.2)
        yield {"url": f"http://127.0.0.1:{port}", "environment": environment}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def migrated(server):
    status, _, body = fetch(opener(), server["url"] + "/")
    server["before_migrate"] = (status, body)
    migrate = manage(server["environment"], "migrate", "--noinput", "--verbosity", "0")
    assert migrate.returncode == 0, migrate.stderr
    superuser = manage(
        {**server["environment"], "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        "createsuperuser",
        "--noinput",
        "--username",
        "editor",
        "--email",
        "editor@example.org",
    )
    assert superuser.returncode == 0, superuser.stderr
    return server


DEBUG_PAGE = ("DEBUG = True", "Using the URLconf defined in", "Traceback")


def test_a_server_error_shows_the_site_s_own_500_page(migrated):
    # Before migrate, the home page's query fails: the answer is the site's 500 page.
    status, body = migrated["before_migrate"]
    assert status == 500
    assert "Something went wrong on our side" in body
    assert not any(marker in body for marker in DEBUG_PAGE)


def test_an_unknown_address_shows_the_site_s_own_404_page(migrated):
    status, _, body = fetch(opener(), migrated["url"] + "/no-such-page/")
    assert status == 404
    assert "Nothing lives at this address." in body
    assert not any(marker in body for marker in DEBUG_PAGE)


def test_a_missing_record_is_named_by_the_site_s_404_handler(migrated):
    # Django's default handler renders 404.html too, but without this sentence.
    status, _, body = fetch(opener(), migrated["url"] + "/treaties/99999/")
    assert status == 404
    assert "No treaty with the number 99999." in body


def test_pages_link_whitenoise_s_hashed_static_files(migrated):
    status, _, body = fetch(opener(), migrated["url"] + "/")
    assert status == 200
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "no hashed stylesheet: not the manifest storage"
    status, _, css = fetch(opener(), migrated["url"] + stylesheet.group(1))
    assert status == 200
    assert css == fetch(opener(), migrated["url"] + "/static/css/site.css")[2]


def test_an_editor_can_log_in_to_the_admin_over_plain_http(migrated):
    # The cookie jar, like a browser, would not send Secure cookies back over http.
    client = opener(CookieJar())
    login = migrated["url"] + "/admin/login/?next=/admin/"
    status, _, page = fetch(client, login)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": "editor", "password": PASSWORD, "next": "/admin/"}
    status, address, page = fetch(client, login, urllib.parse.urlencode(form).encode())
    assert status == 200
    assert urllib.parse.urlsplit(address).path == "/admin/"
    assert 'id="logout-form"' in page  # logged in


def settings_of(environment, *names):
    code = "import django; django.setup(); from django.conf import settings; " + "; ".join(
        f"print(settings.{name})" for name in names
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_https_only_is_the_default_of_a_real_deploy(tmp_path):
    environment = production_environment(tmp_path)
    del environment["HTTPS_ONLY"]
    result = settings_of(environment, "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "DEBUG")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "False"]


def test_a_misconfigured_deploy_fails_at_start(tmp_path):
    for missing in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        environment = production_environment(tmp_path)
        del environment[missing]
        result = settings_of(environment, "DEBUG")
        assert result.returncode != 0
        assert f"KeyError: '{missing}'" in result.stderr
    result = settings_of(production_environment(tmp_path, HTTPS_ONLY="maybe"), "DEBUG")
    assert result.returncode != 0
    assert "HTTPS_ONLY='maybe': expected 1 or 0." in result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_starts_this_server():
    plan = subprocess.run(
        ["make", "--dry-run", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, timeout=60
    ).stdout
    server_line = plan.strip().splitlines()[-1]
    for part in (
        "DJANGO_SETTINGS_MODULE=coe_kz.settings.prod",
        "ALLOWED_HOSTS=127.0.0.1,localhost",
        "HTTPS_ONLY=0",
        "PORT=8123",
        "gunicorn -c gunicorn.conf.py coe_kz.wsgi",
    ):
        assert part in server_line
    assert "collectstatic --noinput" in plan
    assert "manage.py seed" in plan
