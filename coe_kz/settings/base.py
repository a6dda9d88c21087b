"""Settings shared by every environment; dev, test and prod adjust them."""

import os
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    # django-modeltranslation before the admin, as its documentation asks: it adds each
    # record text's language columns (title_en, title_kk, title_ru) from the apps' own
    # translation.py before anything reads the models' fields.
    "modeltranslation",
    "coe_kz.apps.AdminConfig",  # django.contrib.admin, with the site's AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "coe_kz",
    "treaties",
    "bodies",
    "events",
    # Not "import_export": see below.
]

# django-import-export (the admin's CSV import, coe_kz/importing.py) is used as a library,
# not as an installed app. As an app it adds its own `export` and `import` commands; of two
# commands with one name Django runs the app listed first in INSTALLED_APPS, so our `export`
# (coe_kz/management/commands/export.py) would win or lose by the order of this list, and
# its generic `import` would write records past the publication rules. The admin needs
# three things it would get as an app, wired below: its templates (TEMPLATES' DIRS), its
# template tags (`libraries`) and its static files (STATICFILES_DIRS). Its translations are
# not wired: the admin is in English. tests/coe_kz/test_export_command_name.py checks both.
_import_export_dir = Path(find_spec("import_export").origin).parent

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # GET and HEAD everywhere, POST in the admin, 405 for anything else (before CSRF's 403).
    "coe_kz.middleware.MethodsMiddleware",
    # A reader's request whose database connection was lost is tried again.
    "coe_kz.middleware.RetryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of a page is its address's: /kk/..., /ru/..., English unprefixed.
    "coe_kz.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Public pages from the cache, per version of what the public sees (coe_kz/cache.py);
    # after CSRF's, so a page that used the CSRF token is seen here and never stored.
    "coe_kz.cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the admin user on every history row.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp) on every response Django makes: scripts, styles,
# images, fonts and requests from the site's own address only, so no inline <script>,
# <style> or style="" runs or applies, the admin's pages included (Django's admin keeps
# its scripts in files). Nothing here needs a nonce or a hash: an inline script or style
# belongs in static/. No plugins, no <base>, forms post here, and no other site frames a
# page (with X-Frame-Options: DENY for older browsers).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "coe_kz.urls"
WSGI_APPLICATION = "coe_kz.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", _import_export_dir / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "libraries": {"import_export_tags": "import_export.templatetags.import_export_tags"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# A connection is kept between requests and checked before a request reuses it, so one
# that a database restart closed is replaced instead of failing the request.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
# Every view runs in one transaction: a failed save leaves nothing half-written.
DATABASES["default"]["ATOMIC_REQUESTS"] = True

# The cache: local memory in each process, unless CACHE_URL (or REDIS_URL) names a Redis
# server (redis://host:6379/0), which every app server then shares. Pages are kept per
# version of what the public sees (coe_kz.cache), read from the database, so a change
# published through one server is what every server serves next, with either cache.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX") or "coe-kz",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # A page is tens of kilobytes: at most a few tens of megabytes per process.
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }
# Public pages served from the cache (PAGE_CACHE=0 turns it off, to measure pages cold).
PAGE_CACHE = os.environ.get("PAGE_CACHE", "1") != "0"
PAGE_CACHE_ALIAS = "default"

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The public site in three languages (Django's i18n): English at the unprefixed addresses
# every permalink has always had, Kazakh under /kk/, Russian under /ru/ (coe_kz/urls.py).
# A page's language is its address's alone, never the browser's Accept-Language or a
# cookie, so an address always gives the same page. The admin, the exports, the API and
# the release files are unprefixed, and so always English: their columns and codes are a
# contract. Our translations are in locale/ (compiled by `make install`); our formats
# (dates, numbers) in coe_kz/formats/, as Django has no Kazakh formats.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("kk", "Қазақша"), ("ru", "Русский")]
# The second: Kazakh for some of Django's own form messages, which its catalogue lacks.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "coe_kz" / "django_locale"]
FORMAT_MODULE_PATH = ["coe_kz.formats"]

# Record texts (titles, names, summaries, notes, reasons) in each language, with
# django-modeltranslation: each translated field gets a column per language (title_en,
# title_kk, title_ru) and reads in the active language. English is the original: the
# field's own column always holds it (coe_kz/translation.py), and a text with no
# translation falls back to it, marked as English on the page.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# A record made with `title=...` (fixtures, tests, imports) holds it as its English text,
# whatever language is active.
MODELTRANSLATION_AUTO_POPULATE = "default"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static", _import_export_dir / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The site's own name and canonical address. Set SITE_URL where the site is served: the
# about page's citation examples and the data package's homepage then give it. Unset,
# they give the address of the request they answer (coe_kz.site.address.site_address).
SITE_NAME = "coe-kz"
SITE_URL_FROM_ENVIRONMENT = bool(os.environ.get("SITE_URL"))
SITE_URL = (os.environ.get("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

# The OpenAPI document's `info` (drf-spectacular). The version is the API's own: raise
# its major number when an endpoint, column or code changes meaning or goes away.
SPECTACULAR_SETTINGS = {
    "TITLE": "coe-kz API",
    "DESCRIPTION": (
        "Read-only JSON twin of the coe-kz CSV exports: Kazakhstan and the Council of Europe "
        "(treaties, bodies, events, people, sources and citations). Each endpoint takes the "
        "filters of its list page and gives the CSV's columns, typed, a page at a time. "
        "Bad parameters get a 400 whose `detail` says what is wrong."
    ),
    "VERSION": "1.0.0",
}

# Login safety (django-axes): five wrong passwords for one username from one address lock
# that pair out for an hour; a successful login clears the count. Locking the pair, not
# the address alone, keeps one editor's typos from locking out a shared office network.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# Its log lines (a failure, a repeated one, a lockout) name the username and the address,
# as its AccessAttempt table does, so an operator sees who is tried from where; axes
# masks both by default. No password is ever logged.
AXES_SENSITIVE_PARAMETERS = []

# Bulk import (django-import-export): CSV only, the format of the exports; each import
# runs in a transaction, so the dry-run preview writes nothing and a failed import
# leaves nothing half-written.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
