"""/changes/: the latest edits to every published record, newest first (the engine is
coe_kz.changes)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from coe_kz.changes import log_page, public_scopes
from coe_kz.listing import taking
from coe_kz.params import PAGE


@taking(PAGE)
@require_GET
def change_log(request):
    page, log = log_page(request, public_scopes())
    return render(request, "changes.html", {"page_obj": page, "entries": log})
