"""The site's URL map plus /bench/bare/, a view that returns HttpResponse("ok"): the yardstick
of bench/pages.py, served by the same process, settings and middleware as every page."""

from django.http import HttpResponse
from django.urls import path

from coe_kz import urls as site
from coe_kz.cache import not_page_cached


@not_page_cached  # the yardstick is computed every time, as a view with nothing to cache
def bare(request):
    return HttpResponse("ok")


# The site's own list, not include()d: its languages' addresses (i18n_patterns) must be
# in the root URL map.
urlpatterns = [path("bench/bare/", bare), *site.urlpatterns]
handler404 = "coe_kz.site.views.page_not_found"
