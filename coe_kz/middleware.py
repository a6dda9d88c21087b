"""The site's own middleware: which HTTP methods each address answers, a second try for
a reader's request whose database connection was lost, and the language of a page."""

import logging
import time

from django.core.handlers.base import BaseHandler
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponseNotAllowed
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

logger = logging.getLogger(__name__)

# What a reader's pages, CSVs, zip, feed and sitemap answer; the admin's forms also POST.
READ = ("GET", "HEAD")
ALLOWED = {"admin": (*READ, "POST")}
# The API's views are Django REST framework's, which answer a method they do not take
# with a JSON 405 of their own (and OPTIONS with the endpoint's description).
ANSWERS_ITS_OWN = "api"


class MethodsMiddleware:
    """One rule for every address, so no view can forget it: GET and HEAD everywhere,
    POST in the admin, anything else (TRACE, PUT, DELETE, OPTIONS...) a 405 saying what
    is allowed, before the view runs. An address that does not exist is a 404 whatever
    the method. A HEAD is answered as its GET, with the same headers (Content-Length
    too) and no body: a CSV's rows are never read, and gunicorn gets no body to drop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                response.streaming_content = []
            else:
                response.content = b""
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        namespaces = request.resolver_match.namespaces
        if ANSWERS_ITS_OWN in namespaces:
            return None
        allowed = next((ALLOWED[name] for name in namespaces if name in ALLOWED), READ)
        if request.method not in allowed:
            return HttpResponseNotAllowed(allowed)
        return None


# Pauses before each new try: about 5 seconds in all, longer than a database restart.
RETRY_DELAYS = (0.1, 0.2, 0.4, 0.8, 1.6, 2.0)


# PostgreSQL's codes for a connection ended by the server: class 08 (connection exception),
# and a shutdown, a crash or a start under way (57P01 to 57P03).
CONNECTION_ENDED = ("08", "57P01", "57P02", "57P03")


def connection_lost(error: Exception) -> bool:
    """Whether `error` came from a database connection that no longer answers (the server
    restarted, or refuses new connections while it starts), not from the query itself:
    told by the driver's error where it says so (psycopg's errors carry PostgreSQL's code;
    one raised by the client itself, a lost socket, carries none), else by trying the
    connection."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", "")
    return sqlstate is None or sqlstate.startswith(CONNECTION_ENDED) or not connection.is_usable()


class RetryMiddleware:
    """A reader's request (GET or HEAD: it writes nothing) that failed because the
    database connection was lost is answered again on a new connection, after a pause,
    a few times at most (RETRY_DELAYS); only a failure that outlasts them is a 500.

    It acts where Django hands a view's exception to middleware, before any byte of the
    response exists, so a request is never answered twice: a CSV that loses its
    connection while streaming its rows cannot be retried, and fails. The view is run
    again as Django runs it, in the transaction of ATOMIC_REQUESTS, and its template
    rendered (no middleware here changes a TemplateResponse before it is rendered).
    Editors' writes (POST) are never retried: whether they were saved is theirs to see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method not in READ or not connection_lost(exception):
            return None
        match = request.resolver_match
        view = BaseHandler().make_view_atomic(match.func)
        for attempt, delay in enumerate(RETRY_DELAYS, start=2):
            logger.warning(
                "Database connection lost (%s): %s %s tried again in %.1f s, try %d of %d.",
                type(exception).__name__,
                request.method,
                request.path,
                delay,
                attempt,
                len(RETRY_DELAYS) + 1,
            )
            connection.close()
            time.sleep(delay)
            try:
                response = view(request, *match.args, **match.kwargs)
                if callable(getattr(response, "render", None)):
                    response = response.render()
                return response
            except Exception as error:
                if not connection_lost(error):
                    raise
                exception = error
        return None


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware for a site whose every language has its own addresses
    (i18n_patterns with prefix_default_language=False): /kk/... is Kazakh, /ru/...
    Russian, and every other address English (LANGUAGE_CODE), whatever the browser's
    Accept-Language or a cookie says. So a response does not vary on Accept-Language, and
    Django's Vary header, which would split every shared cache's copies of an English
    page by the readers' browser settings, is left out. Content-Language names it."""

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
