"""The site's URL map plus /bench/bare/, a view that returns HttpResponse("ok"): the yardstick
of bench/pages.py, served by the same process, settings and middleware as every page."""

from django.http import HttpResponse
from django.urls import include, path

from coe_kz.cache import not_page_cached


@not_page_cached  # the yardstick is computed every time, as a view with nothing to cache
def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("coe_kz.urls"))]
handler404 = "coe_kz.site.views.page_not_found"
