"""/healthz, for load balancers and service monitors: does this server reach what it needs?"""

import functools
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from coe_kz.cache import not_page_cached

logger = logging.getLogger(__name__)


def ask_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def ask_cache(alias: str):
    caches[alias].get("healthz")


def answer(name: str, ask) -> str:
    try:
        ask()
    except Exception as error:  # whatever a database or cache backend raises means "down"
        logger.warning("Health check: the %s is unavailable: %s", name, error)
        return "unavailable"
    return "ok"


@not_page_cached
@never_cache
@transaction.non_atomic_requests  # ATOMIC_REQUESTS' BEGIN would fail first, as a 500
def healthz(request):
    """200 when the database and each configured cache answer, 503 naming what does not
    (the reason goes to the log, not to whoever asks). Cheap: one `SELECT 1` and one
    cache read each, and never cached. Any query string is ignored, not refused: a probe
    is not a reader, and the parameter gate is for readers. Never retried either
    (coe_kz.middleware): a load balancer wants to know at once."""
    asks = {"database": ask_database}
    asks.update(
        {
            "cache" if alias == "default" else f"cache {alias}": functools.partial(ask_cache, alias)
            for alias in settings.CACHES
        }
    )
    answers = {name: answer(name, ask) for name, ask in asks.items()}
    healthy = all(value == "ok" for value in answers.values())
    return JsonResponse(answers, status=200 if healthy else 503)
