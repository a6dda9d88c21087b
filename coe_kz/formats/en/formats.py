"""English as the site has always written it: British day-month-year order."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
