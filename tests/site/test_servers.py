"""Several servers, one truth: two production servers (gunicorn, coe_kz.settings.prod) share
one PostgreSQL database and the machine's Redis (CACHE_URL, a database number and key
prefix of this test's own); a change a publisher makes through one is what the other
serves on its next request, though both keep pages in the shared cache.

Skipped, saying why, only where no Redis server is installed; where one is installed but
not running, the test starts its own on a free port.
"""

import contextlib
import re
import secrets
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
import redis

from tests.helpers import free_port, gunicorn, manage, opener

PASSWORD = "servers-test-" + secrets.token_urlsafe(12)
# The machine's Redis; a database number no other test or helper uses.
REDIS_PORT = 6379
REDIS_DB = 13
# Both servers are reached as one site, as behind a load balancer: one Host.
HOST = "127.0.0.1"


@pytest.fixture(scope="module")
def redis_url():
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server on this machine: the two-server test needs a real Redis")
    try:
        redis.Redis(port=REDIS_PORT, socket_timeout=2).ping()
        yield f"redis://127.0.0.1:{REDIS_PORT}/{REDIS_DB}"
        return
    except redis.ConnectionError:
        pass
    port = free_port()  # installed but not running: a throwaway server of our own
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with contextlib.suppress(redis.ConnectionError):
                redis.Redis(port=port).ping()
                break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/{REDIS_DB}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def site(cluster, curated_on_cluster, redis_url, tmp_path_factory):
    """A copy of the curated database on the throwaway PostgreSQL server (its static files
    shared), and an editor who may publish."""
    directory = tmp_path_factory.mktemp("servers")
    name = f"coe_kz_servers_{secrets.token_hex(4)}"
    curated = urllib.parse.urlsplit(curated_on_cluster["DATABASE_URL"]).path.lstrip("/")
    cluster.client("createdb", "--template", curated, name)
    prefix = f"coe-kz-servers-test-{secrets.token_hex(4)}"
    environment = {
        **curated_on_cluster,
        "DATABASE_URL": cluster.url(name),
        "CACHE_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
    }
    result = manage(
        {**environment, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        "createsuperuser",
        "--noinput",
        "--username",
        "publisher",
        "--email",
        "publisher@example.org",
    )
    assert result.returncode == 0, result.stderr
    client = redis.Redis.from_url(redis_url)
    yield {"environment": environment, "directory": directory, "redis": client, "prefix": prefix}
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture(scope="module")
def servers(site):
    with contextlib.ExitStack() as stack:
        urls = []
        for name in ("a", "b"):
            directory = site["directory"] / name
            directory.mkdir()
            environment = {**site["environment"], "PORT": str(free_port()), "WEB_CONCURRENCY": "1"}
            urls.append(stack.enter_context(gunicorn(environment, directory)))
        yield urls


def get(client, url: str, **headers) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"Host": HOST, **headers})
    try:
        with client.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def post(client, url: str, form: dict) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(form, doseq=True).encode(), headers={"Host": HOST, "Referer": url}
    )
    with client.open(request, timeout=30) as response:
        return response.status, response.read().decode()


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_a_change_published_through_one_server_is_what_the_other_serves_next(site, servers):
    a, b = servers
    reader = opener()
    listing = "/events/"
    # The latest event the public sees; both servers list it, A first, then B from the cache.
    status, _, body = get(reader, a + listing)
    assert status == 200
    page = re.search(r'href="(/events/\d+/)"', body).group(1)
    event_id = page.split("/")[2]
    status, from_a, _ = get(reader, a + page)
    assert status == 200
    assert from_a["Cache-Control"] == "public, max-age=0, s-maxage=60"
    stored = sorted(site["redis"].scan_iter(f"{site['prefix']}*"))
    assert len(stored) >= 2, "pages are kept in Redis"
    status, from_b, body = get(reader, b + listing)
    assert status == 200 and f'href="{page}"' in body
    assert get(reader, b + page)[1]["ETag"] == from_a["ETag"]
    assert sorted(site["redis"].scan_iter(f"{site['prefix']}*")) == stored, "B served A's pages"

    # A publisher takes the event off the site through server A's admin.
    publisher = opener(CookieJar())
    login = a + "/admin/login/"
    _, _, form = get(publisher, login)
    post(
        publisher,
        login,
        {
            "csrfmiddlewaretoken": csrf_token(form),
            "username": "publisher",
            "password": PASSWORD,
            "next": "/admin/",
        },
    )
    changelist = a + "/admin/events/event/"
    _, _, form = get(publisher, changelist)
    status, answer = post(
        publisher,
        changelist,
        {
            "csrfmiddlewaretoken": csrf_token(form),
            "action": "unpublish_selected",
            "_selected_action": [event_id],
            "index": "0",
        },
    )
    assert status == 200 and "Unpublished 1 event" in answer, answer[-2000:]

    # Server B's very next answers show it gone; so do A's.
    status, _, _ = get(reader, b + page)
    assert status == 404
    status, _, body = get(reader, b + listing)
    assert status == 200 and f'href="{page}"' not in body
    assert get(reader, a + page)[0] == 404
    # A client holding the old page gets the new answer, not a 304.
    assert get(reader, b + page, **{"If-None-Match": from_a["ETag"]})[0] == 404
