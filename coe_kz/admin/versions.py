"""A record's history in the admin: its versions with what changed in each (field by
field, from coe_kz.history.field_changes), the versions of its parts below, and a page
per version that restores it through the publication services.

Restoring works the same whether the record still exists or was deleted: a deleted
record comes back with the parts deleted with it, as from the "Deleted ..." list.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from simple_history.utils import get_history_model_for_model

from coe_kz import publication
from coe_kz.admin.utils import admin_url, version_date
from coe_kz.history import field_changes, linked_keys
from coe_kz.records import descendants, parts_of

# At most this many versions of a record's parts on its history page, newest first.
PARTS_SHOWN = 200


@dataclass(frozen=True)
class VersionDifference:
    """One changed field, as an editor reads it; `old` is None in a record's first version."""

    label: str
    old: str | None
    new: str


@dataclass(frozen=True)
class PartVersion:
    """One historical row of a record's part, described for its record's history page."""

    row: models.Model
    label: str
    url: str
    differences: list[VersionDifference]


def value_as_text(value, owner: str) -> str:
    """A field's value as the history page prints it. A many-to-many value is the list
    of its through rows: each is shown by the key of the record it links to."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, list):
        keys = [str(v) for row in value for name, v in row.items() if name != owner]
        return "; ".join(keys) or "(none)"
    return str(value)


def version_differences(new, old) -> list[VersionDifference]:
    """What `new` changed since `old` (None: what it was created with), by
    coe_kz.history.field_changes, the one place that decides what changed."""
    owner = new.instance_type._meta.model_name
    return [
        VersionDifference(
            capfirst(change.label),
            None if old is None else value_as_text(change.old, owner),
            value_as_text(change.new, owner),
        )
        for change in field_changes(new, old)
    ]


class VersionsMixin:
    """For HistoryAdmin: the history page and the restore-a-version page."""

    object_history_template = "admin/coe_kz/object_history.html"
    object_history_form_template = "admin/coe_kz/object_history_form.html"

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each version on the page gets `differences` from the version before it (for the
        last on a page, the one that starts the next page)."""
        rows = list(historical_records)
        if not rows:
            return
        before_page = rows[-1].prev_record if historical_records.has_next() else None
        for new, old in zip(rows, [*rows[1:], before_page], strict=True):
            new.differences = version_differences(new, old)

    def parts_history(self, pk) -> list[PartVersion]:
        """Every version of the record's parts (deleted parts included), newest first,
        each with its differences: one query per kind of part."""
        ids = {self.model: [pk]}
        versions = []
        for child, fk, parent in descendants(self.model):
            history = get_history_model_for_model(child)
            key = child._meta.pk.attname
            rows = (
                history.objects.filter(**{f"{child._meta.get_field(fk).attname}__in": ids[parent]})
                .select_related("history_user")
                .order_by(key, "history_date", "history_id")
            )
            latest = {}
            for row in rows:
                part = getattr(row, key)
                label = f"{capfirst(child._meta.verbose_name)} {part}: {self.part_label(row.instance)}"
                versions.append(
                    PartVersion(
                        row,
                        label,
                        admin_url(child, "history", part),
                        version_differences(row, latest.get(part)),
                    )
                )
                latest[part] = row
            ids[child] = list(latest)
        versions.sort(key=lambda version: (version.row.history_date, version.row.history_id), reverse=True)
        return versions[:PARTS_SHOWN]

    def history_view(self, request, object_id, extra_context=None):
        context = {
            "parts_history": self.parts_history(unquote(object_id)),
            "parts_shown": PARTS_SHOWN,
            "has_parts": bool(parts_of(self.model)),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One version's values in the record's form. Saving makes them the record's
        values again (publication.restore_version) with the links the version had, or,
        for a deleted record, brings it back with the parts deleted with it
        (publication.restore_deleted). The reason says "Restored version of <date>"
        unless the editor gives another."""
        history = get_history_model_for_model(self.model)
        pk = unquote(object_id)
        version = get_object_or_404(history, history_id=version_id, **{self.opts.pk.attname: pk})
        obj = version.instance
        obj._state.adding = False
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        deletion = publication.last_deletion(self.model, pk)
        initial = {"change_reason": f"Restored version of {version_date(version)}", **linked_keys(version)}
        form_class = self.get_form(request, obj, change=True)
        restoring = request.method == "POST" and not self.revert_disabled(request, obj)
        form = form_class(request.POST, request.FILES, instance=obj, initial=initial) if restoring else None
        if form is not None and form.is_valid():
            restored = form.save(commit=False)
            reason = form.cleaned_data.get("change_reason") or initial["change_reason"]
            links = {name: [o.pk for o in form.cleaned_data[name]] for name in linked_keys(version)}
            try:
                if deletion is not None:
                    restored, parts = publication.restore_deleted(
                        deletion, user=request.user, obj=restored, reason=reason, links=links
                    )
                else:
                    parts = []
                    publication.restore_version(restored, user=request.user, reason=reason, links=links)
            except publication.Refused as refused:
                form.add_error(None, refused.message)
            except ValidationError as error:
                form.add_error(None, "Nothing was restored: " + "; ".join(error.messages))
            else:
                if deletion is not None:
                    message = self.restored_message(restored, parts)
                else:  # Django's words for a saved change, as the change form says them
                    message = format_html(
                        "The {} “{}” was changed successfully: the version of {} is restored.",
                        self.opts.verbose_name,
                        self.history_label(restored),
                        version_date(version),
                    )
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(admin_url(restored, "change", restored.pk))
        if form is None:
            form = form_class(instance=obj, initial=initial)
        return self.render_restore_form(request, form, obj, object_id, deletion, extra_context)

    def restored_message(self, obj, parts: list) -> str:
        with_parts = f" and {len(parts)} of its parts deleted with it" if parts else ""
        return format_html(
            'Restored <a href="{}">{}</a>{}.',
            admin_url(obj, "change", obj.pk),
            self.history_label(obj),
            with_parts,
        )

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return super().history_form_view_title(request, obj)  # "View …"
        return f"Restore a version of {obj}"  # "Restore", as the history page says

    def render_restore_form(self, request, form, obj, object_id, deletion, extra_context):
        """The restore page, with the context simple-history's template expects."""
        opts = self.opts
        admin_form = helpers.AdminForm(
            form,
            self.get_fieldsets(request, obj),
            self.prepopulated_fields,
            self.get_readonly_fields(request, obj),
            model_admin=self,
        )
        urls = {
            name: reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}", args=args)
            for name, view, args in (
                ("changelist_url", "changelist", ()),
                ("change_url", "change" if deletion is None else "history", (obj.pk,)),
                ("history_url", "history", (obj.pk,)),
            )
        }
        context = {
            **self.admin_site.each_context(request),
            **urls,
            "title": self.history_form_view_title(request, obj),
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "media": mark_safe(self.media + admin_form.media),
            "errors": helpers.AdminErrorList(form, []),
            "app_label": opts.app_label,
            "original_opts": opts,
            "change_history": False,
            "revert_disabled": self.revert_disabled(request, obj),
            "is_deleted": deletion is not None,
            "add": False,
            "change": True,
            "has_add_permission": self.has_add_permission(request),
            "has_view_permission": self.has_view_history_permission(request, obj),
            "has_change_permission": self.has_change_history_permission(request, obj),
            "has_delete_permission": False,
            "has_file_field": True,
            "has_absolute_url": False,
            "form_url": "",
            "opts": opts,
            "content_type_id": self.content_type_model_cls.objects.get_for_model(self.model).id,
            "save_as": False,
            "save_on_top": self.save_on_top,
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_form_template, context)
