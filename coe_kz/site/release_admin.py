"""The releases in the admin: publishers cut one (the "add" page asks for its notes);
nobody changes or deletes one. Registered by coe_kz/urls.py: cutting needs the registry
of datasets (coe_kz.site.releases), which the core's admin may not import."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from coe_kz.models import Release
from coe_kz.publication import Refused
from coe_kz.site.address import site_address
from coe_kz.site.datasets import DATASETS
from coe_kz.site.releases import CUT_PERMISSION, cut_release


class CutForm(forms.Form):
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "cols": 70}),
        help_text="What this release holds or is for. Shown with the release and in its files, for good.",
    )


class ReleaseAdmin(admin.ModelAdmin):
    # Django's own pages: the app's (templates/admin/coe_kz/) are those of curated records,
    # with their deleted rows, change reasons and versions, which a release has none of.
    change_list_template = "admin/change_list.html"
    change_form_template = "admin/change_form.html"
    object_history_template = "admin/object_history.html"
    list_display = ("version", "created", "short_notes", "size", "created_by")
    list_select_related = ("created_by",)
    ordering = ("-year", "-number")
    fields = ("version", "created", "data_version", "notes", "created_by", "public_page", "files")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).with_size().prefetch_related("files")

    def has_add_permission(self, request):
        return request.user.has_perm(CUT_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.has_add_permission(request)

    @admin.display(description="Notes")
    def short_notes(self, release):
        return Truncator(release.notes).chars(80)

    @admin.display(description="Zip size (bytes)")
    def size(self, release):
        return release.size

    @admin.display(description="Public page")
    def public_page(self, release):
        return format_html('<a href="{0}">{0}</a>', release.get_absolute_url())

    @admin.display(description="Files")
    def files(self, release):
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            ((f.name, f.size, "" if f.rows is None else f.rows, f.sha256) for f in release.files.all()),
        )
        return format_html(
            "<table><thead><tr><th>File</th><th>Bytes</th><th>Rows</th><th>SHA-256</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )

    # Cutting: the service opens the outermost transaction, so that it can read one
    # snapshot of the data (coe_kz.site.releases.snapshot): no request-wide one here.
    @transaction.non_atomic_requests
    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CutForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                release = cut_release(
                    notes=form.cleaned_data["notes"], user=request.user, homepage=site_address(request)
                )
            except Refused as refusal:
                form.add_error(None, refusal.message)
            else:
                self.log_addition(request, release, [{"added": {}}])
                self.message_user(
                    request, f"{release} is cut: {release.get_absolute_url()}", messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:coe_kz_release_change", args=[release.pk]))
        latest = Release.objects.latest_first().first()
        context = {
            **self.admin_site.each_context(request),
            "title": "Cut a release",
            "opts": self.opts,
            "form": form,
            "version": "{}.{}".format(*Release.objects.next_version(timezone.localdate())),
            "latest": latest,
            "datasets": list(DATASETS.values()),
        }
        return TemplateResponse(request, "admin/coe_kz/release_cut.html", context)
