"""`make run` is the site as its users meet it: the production settings under gunicorn.

The server here is the one `make run` starts (coe_kz.settings.prod, gunicorn.conf.py, the
environment the Makefile gives it), on a free port and its own SQLite database and static
directory, so it disturbs nothing else on the machine.
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import urllib.parse
from http.cookiejar import CookieJar

import pytest

from tests.helpers import (
    ROOT,
    fetch,
    free_port,
    gunicorn,
    manage,
    opener,
    production_environment,
    readme_blocks,
)

PASSWORD = "run-test-" + secrets.token_urlsafe(12)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The production server, started before its database is migrated (so its first
    answers show the 500 page); `migrate` is the test's first step."""
    directory = tmp_path_factory.mktemp("run")
    environment = production_environment(directory, PORT=str(free_port()), WEB_CONCURRENCY="1")
    collected = manage(environment, "collectstatic", "--noinput", "--verbosity", "0")
    assert collected.returncode == 0, collected.stderr
    with gunicorn(environment, directory) as url:
        yield {"url": url, "environment": environment, "errors": directory / "error.log"}


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


def logged(server) -> list[dict]:
    """The site's log lines on the server's standard error, read as JSON (gunicorn's own
    lines there are plain text)."""
    lines = server["errors"].read_text().splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_a_server_error_is_logged_on_standard_error_with_its_traceback(migrated):
    errors = [line for line in logged(migrated) if line["level"] == "ERROR"]
    assert errors, migrated["errors"].read_text()
    # One line for the failed request, naming it, with the traceback inside it.
    error = errors[0]
    assert (error["logger"], error["message"], error["status_code"]) == (
        "django.request",
        "Internal Server Error: /",
        500,
    )
    assert "GET" in error["request"]
    assert error["exc_info"].startswith("Traceback (most recent call last):")
    assert "no such table" in error["exc_info"]


def test_a_refused_login_is_logged_with_the_username(migrated):
    client = opener(CookieJar())
    login = migrated["url"] + "/admin/login/"
    page = fetch(client, login)[2]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": "mallory", "password": "guess"}
    status, _, page = fetch(client, login, urllib.parse.urlencode(form).encode())
    assert status == 200 and "Please enter the correct username and password" in page
    refused = [line for line in logged(migrated) if line["logger"].startswith("axes")]
    assert refused, migrated["errors"].read_text()
    assert refused[-1]["level"] == "WARNING"
    assert "login failure" in refused[-1]["message"] and "mallory" in refused[-1]["message"]


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
    names = (
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    )
    result = settings_of(environment, *names, "SECURE_PROXY_SSL_HEADER")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "True",
        "True",
        "False",
        "True",
        str(365 * 24 * 3600),
        "('HTTP_X_FORWARDED_PROTO', 'https')",
    ]
    # Plain http (make run): nothing that needs TLS.
    result = settings_of(production_environment(tmp_path, HTTPS_ONLY="0"), *names)
    assert result.stdout.split() == ["False", "False", "False", "False", "0"]


def readme_production_environment() -> dict[str, str]:
    """The production environment the README documents (its block that sets
    DJANGO_SETTINGS_MODULE to the production settings), with a real secret key for the
    placeholder it shows."""
    block = next(block for block in readme_blocks() if "DJANGO_SETTINGS_MODULE=coe_kz.settings.prod" in block)
    environment = dict(line.split("=", 1) for line in block.splitlines() if line)
    assert environment["SECRET_KEY"].startswith("<")
    return {**environment, "SECRET_KEY": secrets.token_urlsafe(50)}


def test_check_deploy_finds_nothing_in_the_documented_production_environment():
    documented = readme_production_environment()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"} <= set(documented)
    # Only what a server's environment holds: not this test run's settings and switches.
    environment = {"PATH": os.environ["PATH"], **documented}
    result = manage(environment, "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("System check identified no issues"), result.stdout


def test_admins_and_error_mail_come_from_the_environment(tmp_path):
    environment = production_environment(
        tmp_path, ADMINS="Ops <ops@example.org>, dev@example.org", EMAIL_HOST="smtp.example.org"
    )
    code = (
        "import django, logging; django.setup(); from django.conf import settings; "
        "print(settings.ADMINS, settings.EMAIL_HOST); "
        "print([type(h).__name__ for h in logging.getLogger('django').handlers])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    admins, handlers = result.stdout.splitlines()
    assert admins == "[('Ops', 'ops@example.org'), ('', 'dev@example.org')] smtp.example.org"
    # Django's own error mail, which writes to ADMINS when there are any.
    assert "AdminEmailHandler" in handlers


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
    # A make that runs this suite (`make test`) passes its level and flags down; without them
    # this make prints no "Entering directory" lines around its plan.
    environment = {k: v for k, v in os.environ.items() if k not in {"MAKELEVEL", "MAKEFLAGS", "MFLAGS"}}
    plan = subprocess.run(
        ["make", "--no-print-directory", "--dry-run", "run", "PORT=8123"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
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
