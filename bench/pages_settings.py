"""bench/pages.py's server: the production settings, with a URL map that adds the bare view
the pages are measured against."""

from coe_kz.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
