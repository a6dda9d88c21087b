"""Deleted records in the admin: a "Deleted ..." page per model listing the records
that are gone, each restorable with the parts deleted with it (publication.restore_deleted)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.utils import get_history_model_for_model

from coe_kz import publication
from coe_kz.admin.publishing import uncited_message
from coe_kz.admin.utils import admin_url

DELETED_SHOWN = 500


class DeletedMixin:
    """For HistoryAdmin: the deleted list and its Restore buttons."""

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        # Before the default URLs: "<path:object_id>/" would take "deleted/" for a key.
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name=f"{prefix}_deleted"),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{prefix}_restore",
            ),
            *super().get_urls(),
        ]

    def deleted_rows(self) -> list:
        """The last version of each deleted record that has not come back."""
        history = get_history_model_for_model(self.model)
        key = self.opts.pk.attname
        rows = (
            history.objects.filter(history_type="-")
            .exclude(**{f"{key}__in": self.model._base_manager.values("pk")})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        latest = {}
        for row in rows[:DELETED_SHOWN]:
            latest.setdefault(getattr(row, key), row)
        return list(latest.values())

    def deleted_view(self, request):
        """The model's deleted records, newest first, each with a Restore button."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {self.opts.verbose_name_plural}",
            "opts": self.opts,
            "rows": [(row, self.history_label(row.instance)) for row in self.deleted_rows()],
            "shown": DELETED_SHOWN,
        }
        return TemplateResponse(request, "admin/coe_kz/deleted_list.html", context)

    def restore_view(self, request, history_id):
        """Bring a deleted record back with its last values and the parts deleted with it.
        All or nothing: if one cannot come back, nothing does and the editor is told why."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        history = get_history_model_for_model(self.model)
        row = get_object_or_404(history, history_id=history_id, history_type="-")
        back = HttpResponseRedirect(admin_url(self.model, "deleted"))
        try:
            obj, parts = publication.restore_deleted(row, user=request.user)
        except ValidationError as error:
            self.message_user(request, f"Nothing was restored: {'; '.join(error.messages)}", messages.ERROR)
            return back
        except publication.Uncited as refused:
            self.message_user(request, f"Nothing was restored. {uncited_message(refused)}", messages.ERROR)
            return back
        except publication.Refused:
            self.message_user(
                request, f"“{self.history_label(row.instance)}” is not deleted.", messages.ERROR
            )
            return back
        self.message_user(request, self.restored_message(obj, parts), messages.SUCCESS)
        return HttpResponseRedirect(admin_url(obj, "change", obj.pk))
