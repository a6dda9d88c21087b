"""Pages computed once per version of what the public sees.

The version (`coe_kz.models.PublicVersion`, one row in the database, so every process and
every server reads the same one) gets a new random token in the transaction of every
write that changes what the public sees, and only then:

- every write of a curated row writes a history row (the publication services, the
  admin, CSV import, `manage.py seed`, restoring a version or a deleted record all do),
  and a history row whose row was published before or after the write changes the
  version (`changed_publicly`): an edit of a draft does not;
- cutting a release changes what the public sees (its pages, the data package's latest
  release) but not the published data;
- whatever writes behind the services' back (a shell, a bulk load) calls
  `public_data_changed()` itself.

PageCacheMiddleware keeps each public page's response in Django's cache (local memory
by default, Redis when CACHE_URL is set, shared by every server), under a key made of the
version, the code, the day, the language and the full address; it answers a repeat with
the stored response, and a client holding the page with a 304 (ETag and Last-Modified
from the version). Responses it stores say `Cache-Control: public, max-age=0,
s-maxage=60`: a shared cache in front may keep them a minute, a browser asks again. It
never stores or serves a response for a request that carries a session (staff, signed
in) or messages, a response that set a cookie, used the CSRF token (a form), wrote the
session, said how it may be cached itself (a draft preview's `no-store`), or is not a
plain 200; nor anything but GET and HEAD; nor the admin, the API (its answers depend on
the Accept header), /healthz or the downloads (validated by their own ETags).
"""

import datetime
import functools
import hashlib
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import get_language
from simple_history.signals import post_create_historical_record

from coe_kz.models import Publication, PublicVersion, Release

logger = logging.getLogger(__name__)

# How long a shared cache (a proxy, a CDN) may keep a public page without asking again.
# A browser asks each time (max-age=0), with the page's ETag: a 304 costs one query, and
# a reader who just saw a publication, or an editor who made it, never sees the page before.
SHARED_SECONDS = 60
# How long a stored page lives in the cache at most; a new version makes it unreachable
# long before (Redis and local memory drop the least used when full).
STORED_SECONDS = 24 * 3600
# The addresses whose answers are never stored: the admin (forms, staff), the API (its
# answers depend on the Accept header).
NOT_CACHED_NAMESPACES = {"admin", "api"}
# Cookies that make a request someone's own: a session (a signed-in editor) and messages.
OWN_COOKIES = ("messages",)


# --- The version -------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    token: str
    changed: datetime.datetime
    data_changed: datetime.datetime | None


@functools.cache
def _version_sql() -> str:
    quote = connection.ops.quote_name
    return f"SELECT token, changed, data_changed FROM {quote(PublicVersion._meta.db_table)} WHERE id = 1"


def public_version() -> Version | None:
    """The version of what the public sees (None on a database no public write has
    reached yet). One query, on every public request: written as SQL, which costs a
    fraction of building the same query through the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    if row is None:
        return None
    return Version(row[0], _aware(row[1]), _aware(row[2]))


def _aware(value) -> datetime.datetime | None:
    """A stored time as Django reads it (SQLite gives it as naive UTC, or as text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def _bump(*, data: bool) -> None:
    now = timezone.now()
    values = {"token": uuid.uuid4().hex, "changed": now}
    if data:
        values["data_changed"] = now
    # In the writer's transaction: the new data and the new version are seen together.
    with transaction.atomic():
        if not PublicVersion.objects.filter(pk=1).update(**values):
            PublicVersion.objects.create(pk=1, **{"data_changed": None, **values})


def public_data_changed() -> None:
    """The published data changed: a new version, pages and exports with it."""
    _bump(data=True)


def public_pages_changed() -> None:
    """What the pages show changed, not the published data (a release was cut)."""
    _bump(data=False)


def changed_publicly(history_row) -> bool:
    """Whether the write that wrote `history_row` (a simple-history row) may have changed
    what the public sees: its row is published after the write or was before it. A row
    with no publication state of its own counts as published; so does one whose previous
    state is unknown (its first version, written by a data load)."""
    state = getattr(history_row, "publication", None)
    if state is None or state == Publication.PUBLISHED:
        return True
    if history_row.history_type == "+":  # created (or brought back) as a draft
        return False
    key = history_row.instance_type._meta.pk.attname
    before = (
        type(history_row)
        .objects.filter(**{key: getattr(history_row, key)}, history_id__lt=history_row.history_id)
        .order_by("-history_id")
        .values_list("publication", flat=True)
        .first()
    )
    return before is None or before == Publication.PUBLISHED


@receiver(post_create_historical_record, dispatch_uid="coe_kz.cache.history_written")
def history_written(sender, history_instance, **kwargs):
    if changed_publicly(history_instance):
        public_data_changed()


@receiver(post_save, sender=Release, dispatch_uid="coe_kz.cache.release_cut")
def release_cut(sender, created, **kwargs):
    if created:
        public_pages_changed()


# --- The key -------------------------------------------------------------------------------


@functools.cache
def code_fingerprint() -> str:
    """A digest of the code, templates, static files and translations that make the pages,
    read once per process: a deploy that changes them never meets the pages the previous
    code stored (in Redis, say), while servers running the same code share them."""
    digest = hashlib.sha256()
    for root in _code_roots():
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _code_roots():
    base = settings.BASE_DIR
    found = {base / "templates", base / "static", *map(Path, settings.LOCALE_PATHS)}
    # The project's own apps (not those installed in a virtualenv inside it).
    found |= {
        Path(c.path)
        for c in apps.get_app_configs()
        if Path(c.path).is_relative_to(base) and "site-packages" not in Path(c.path).parts
    }
    return sorted(path for path in found if path.is_dir())


def page_digest(request, version: Version) -> str:
    """What names one page's answer: the code, the version, the day (pages that default
    to today move with it), the language and the full address (the host and scheme
    included: pages name the address they are served at)."""
    parts = [
        code_fingerprint(),
        version.token,
        timezone.localdate().isoformat(),
        get_language() or "",
        request.build_absolute_uri(),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def moved_with_the_day(changed: datetime.datetime) -> datetime.datetime:
    """When an answer that moves with the day last changed: `changed` or, if later, the
    start of today (a page; an export of the status as of today)."""
    today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    return max(changed, today)


# --- The middleware ------------------------------------------------------------------------


def own_request(request) -> bool:
    """Whether the request carries someone's own state: a session (a signed-in editor, who
    must see the data as it is) or messages."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or any(name in cookies for name in OWN_COOKIES)


def not_page_cached(view):
    """Marks a view whose answers PageCacheMiddleware leaves alone (never read nor stored)."""
    view.not_page_cached = True
    return view


@dataclass
class Page:
    key: str
    etag: str
    last_modified: datetime.datetime
    served: bool = False


def storable(request, response) -> bool:
    """Whether `response` may be stored and served to anyone who asks the same address."""
    return (
        response.status_code == 200
        and not response.streaming
        # Set-Cookie (messages, a view's own); a form's CSRF token sets it later, outside.
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # The view said how it may be cached (a preview: no-store, private), or validates
        # itself: it knows better.
        and not response.has_header("Cache-Control")
        and not response.has_header("ETag")
        and not (hasattr(request, "session") and request.session.modified)
    )


def _freeze(response) -> tuple:
    return (response.status_code, response.content, list(response.headers.items()))


def _thaw(frozen: tuple) -> HttpResponse:
    status, content, headers = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


def _validated(response, page: Page):
    response["ETag"] = page.etag
    response["Last-Modified"] = http_date(page.last_modified.timestamp())
    patch_cache_control(response, public=True, max_age=0, s_maxage=SHARED_SECONDS)
    # A shared cache gives a copy only to a request with the same cookies: never to an
    # editor signed in.
    patch_vary_headers(response, ("Cookie",))
    return response


class PageCacheMiddleware:
    """Answers a public page from the cache, or stores its answer there (see the module's
    docstring). It sits after CSRF's middleware, which sends the CSRF cookie on the way
    out, so that a response that used the token is seen here and never stored."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[settings.PAGE_CACHE_ALIAS]

    def __call__(self, request):
        response = self.get_response(request)
        page = getattr(request, "_coe_kz_page", None)
        if page is None:
            if own_request(request) and request.method in ("GET", "HEAD"):
                # Never kept by a shared cache; a browser asks again each time.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        if page.served:
            return response
        if storable(request, response):
            _validated(response, page)
            try:
                self.cache.set(page.key, _freeze(response), STORED_SECONDS)
            except Exception as error:  # the cache being down costs speed, not the page
                logger.warning("Page cache unavailable: %s", error)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            not settings.PAGE_CACHE
            or request.method not in ("GET", "HEAD")
            or own_request(request)
            or getattr(view_func, "not_page_cached", False)
            or NOT_CACHED_NAMESPACES & set(request.resolver_match.namespaces)
        ):
            return None
        try:
            version = public_version()
        except DatabaseError:  # the view will meet it too, and may be retried
            return None
        if version is None:
            return None
        digest = page_digest(request, version)
        page = Page(f"page:{digest}", f'"{digest}"', moved_with_the_day(version.changed))
        request._coe_kz_page = page
        last_modified = int(page.last_modified.timestamp())
        not_modified = get_conditional_response(request, etag=page.etag, last_modified=last_modified)
        if not_modified is not None:
            page.served = True
            return _validated(not_modified, page) if not_modified.status_code == 304 else not_modified
        try:
            frozen = self.cache.get(page.key)
        except Exception as error:
            logger.warning("Page cache unavailable: %s", error)
            return None
        if frozen is None:
            return None
        page.served = True
        return _thaw(frozen)
