"""Pages that break one rule of the page cache each (tests/coe_kz/test_cache.py): each counts
how often it was computed, so a test sees whether an answer came from the cache."""

from django.contrib import messages
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.cache import never_cache

COMPUTED: dict[str, int] = {}


def counted(name):
    def decorate(view):
        def counting(request):
            COMPUTED[name] = COMPUTED.get(name, 0) + 1
            return view(request)

        return counting

    return decorate


@counted("plain")
def plain(request):
    return HttpResponse(f"computed {COMPUTED['plain']} times")


@counted("form")
def form(request):
    template = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')
    return HttpResponse(template.render({}, request))


@counted("cookie")
def cookie(request):
    response = HttpResponse("with a cookie")
    response.set_cookie("chosen", "1")
    return response


@counted("message")
def message(request):
    messages.info(request, "Saved.")
    return HttpResponse("left a message")


@counted("session")
def session(request):
    request.session["seen"] = True
    return HttpResponse("wrote to the session")


@counted("no_store")
@never_cache
def no_store(request):
    # As a draft preview answers: never kept.
    return HttpResponse("a preview")


urlpatterns = [
    path("plain/", plain),
    path("form/", form),
    path("cookie/", cookie),
    path("message/", message),
    path("session/", session),
    path("no-store/", no_store),
]
