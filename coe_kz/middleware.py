"""The site's own middleware: which HTTP methods each address answers."""

from django.http import HttpResponseNotAllowed

# What a reader's pages, CSVs, zip, feed and sitemap answer; the admin's forms also POST.
READ = ("GET", "HEAD")
ALLOWED = {"admin": (*READ, "POST")}
# The API's views are Django REST framework's, which answer a method they do not take
# with a JSON 405 of their own (and OPTIONS with the endpoint's description).
ANSWERS_ITS_OWN = "api"


class MethodsMiddleware:
    """One rule for every address, so no view can forget it: GET and HEAD everywhere,
    POST in the admin, anything else (TRACE, PUT, DELETE, OPTIONS...) a 405 saying what
    is allowed, before the view runs. An address that does not exist is a 404 whatever
    the method. A HEAD is answered as its GET, with the same headers (Content-Length
    too) and no body: a CSV's rows are never read, and gunicorn gets no body to drop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                response.streaming_content = []
            else:
                response.content = b""
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        namespaces = request.resolver_match.namespaces
        if ANSWERS_ITS_OWN in namespaces:
            return None
        allowed = next((ALLOWED[name] for name in namespaces if name in ALLOWED), READ)
        if request.method not in allowed:
            return HttpResponseNotAllowed(allowed)
        return None
