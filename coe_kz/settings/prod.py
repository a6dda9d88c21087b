"""Production: every secret and host comes from the environment, with no default,
so a misconfigured deploy fails at start instead of running insecurely."""

import os
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


DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = [host.strip() for host in os.environ["ALLOWED_HOSTS"].split(",") if host.strip()]
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)}
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
SECURE_CONTENT_TYPE_NOSNIFF = True
