"""Local development: debug on, any local host, a throwaway secret key."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# runserver serves static files without a manifest, so no collectstatic is needed.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# runserver serves from the finders; no collected STATIC_ROOT locally.
STATIC_ROOT = None
