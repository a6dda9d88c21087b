"""Production: every secret and host comes from the environment, with no default,
so a misconfigured deploy fails at start instead of running insecurely."""

import os
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def env_flag(name: str, default: bool) -> bool:
    """A yes/no setting from the environment: 1/0, true/false, yes/no or on/off; unset or
    empty gives the default, and anything else stops the start rather than guess."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={os.environ[name]!r}: expected 1 or 0.")


def env_int(name: str, default: int) -> int:
    """A whole number from the environment; unset or empty gives the default."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name}={os.environ[name]!r}: expected a whole number.")
    return int(value)


DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = [host.strip() for host in os.environ["ALLOWED_HOSTS"].split(",") if host.strip()]
DATABASES = {
    "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600, conn_health_checks=True)
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True

# Where collectstatic writes and whitenoise serves from (staticfiles/ unless set).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or STATIC_ROOT)  # noqa: F405

# HTTPS_ONLY, on unless set to 0, for a deploy behind TLS: the session and CSRF cookies
# are marked Secure (a browser sends them back over HTTPS only), and the TLS proxy's
# X-Forwarded-Proto says whether a request came over HTTPS. `make run` serves plain
# http://127.0.0.1 and sets HTTPS_ONLY=0: with Secure cookies no editor could log in.
HTTPS_ONLY = env_flag("HTTPS_ONLY", default=True)
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
if HTTPS_ONLY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A request that came over plain http is sent to its https address, except the load
    # balancer's health check, which asks the server directly.
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # HSTS: a browser that met the site over HTTPS uses nothing else for it (and its
    # subdomains) for HSTS_SECONDS, a year unless set; 0 sends no HSTS header.
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Asking browsers to ship the domain in their preload lists is its owner's decision
    # (hstspreload.org): HSTS_PRELOAD=1. Off, `check --deploy` would warn (W021) that it
    # is off, so that warning is silenced here, where the reason is written down.
    SECURE_HSTS_PRELOAD = env_flag("HSTS_PRELOAD", default=False)
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True

# Errors are seen: one JSON line per record on standard error, which gunicorn leaves to
# the service manager (journald, docker logs). A server error's line holds its traceback
# ("exc_info"); the access log, one line per request, is gunicorn's, on standard output.
# Logged: every 500 (django.request, ERROR; its 4xx warnings are the access log's), what
# Django finds suspicious (django.security: a disallowed host, a CSRF failure), and
# every refused login, with the username and address (django-axes, WARNING: a failure,
# a repeated one, a lockout).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "json"},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# Error mail, when ADMINS is set ("Ops <ops@example.org>, dev@example.org"): Django mails
# them each 500 with its traceback (its "django" logger's mail_admins handler), from
# SERVER_EMAIL through the SMTP server EMAIL_HOST (Django's settings of those names).
ADMINS = [(name, address) for name, address in getaddresses([os.environ.get("ADMINS", "")]) if address]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL") or "root@localhost"
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=False)
