"""HistoryAdmin: the base of every ModelAdmin, so every curated record gets the same
editorial workflow. It is put together from parts a reader can take one at a time:

- editing (here): lists and forms; saving through the publication services, with who
  and why in each history row and one history row per save of a record with links;
- coe_kz.admin.publishing: the publish and unpublish actions, and guarded deletion;
- coe_kz.admin.versions: the history page with field differences, and restoring a version;
- coe_kz.admin.deleted: the "Deleted ..." page and its Restore buttons.

Everything one request writes is one change (coe_kz.history.one_change), in one
transaction: a record and its inline rows, or a deletion and its cascades.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from coe_kz import publication
from coe_kz.admin.deleted import DeletedMixin
from coe_kz.admin.forms import EditForm, show_record_errors
from coe_kz.admin.publishing import PublishingMixin, uncited_message
from coe_kz.admin.utils import bound_names
from coe_kz.admin.versions import VersionsMixin
from coe_kz.history import one_change
from coe_kz.languages import codes, localized, translated_fields
from coe_kz.records import preview_url

# Quotes and notes are a sentence or two: a short box keeps a page (and an inline row)
# compact. An address typed without a scheme is taken as https (Django 6's default).
EDITOR_FIELDS = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 70})},
    models.URLField: {"assume_scheme": "https"},
}


class PrefetchingChangeList(ChangeList):
    """A changelist that also applies its admin's `list_prefetch_related`, the
    counterpart of `list_select_related` for many-valued columns."""

    def apply_select_related(self, qs):
        qs = super().apply_select_related(qs)
        prefetch = self.model_admin.list_prefetch_related
        return qs.prefetch_related(*prefetch) if prefetch else qs


def changes_the_record(form, change: bool) -> bool:
    """Whether a saved form changes its record itself, not only its inline rows."""
    return not change or bool(set(form.changed_data) - {"change_reason"})


class HistoryAdmin(PublishingMixin, VersionsMixin, DeletedMixin, SimpleHistoryAdmin):
    """Base of every ModelAdmin: publication, change reasons, history with differences
    and restore, deleted records; natural keys read-only once saved, computed date
    bounds shown read-only beside their EDTF date."""

    list_prefetch_related: tuple = ()
    list_per_page = 50
    formfield_overrides = EDITOR_FIELDS
    form = EditForm
    change_form_template = "admin/coe_kz/change_form.html"
    change_list_template = "admin/coe_kz/change_list.html"

    def get_changelist(self, request, **kwargs):
        return PrefetchingChangeList

    def history_label(self, obj) -> str:
        """`obj` named from its own columns only: it may be a historical version whose
        related records are gone. Admins whose __str__ reads a relation override this."""
        return str(obj)

    # Lists and forms.

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        return columns if "publication" in columns else [*columns, "publication"]

    def get_list_filter(self, request):
        return ["publication", *super().get_list_filter(request)]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Editing a natural key would save a copy under the new key.
            if not isinstance(self.opts.pk, models.AutoField):
                readonly.append(self.opts.pk.name)
            readonly += [name for pair in bound_names(self.model).values() for name in pair]
        if not publication.can_publish(request.user, self.model):
            readonly.append("publication")
        return readonly

    def get_fields(self, request, obj=None):
        """The model's field order (a read-only key stays first), with each EDTF date
        and its two bounds on one line, and each translated field's languages on one. The
        change reason is not among them: the form template shows it after the inlines,
        next to the save buttons."""
        if self.fields:
            return self.fields
        names = [name for name in super().get_fields(request, obj) if name != "change_reason"]
        order = {f.name: i for i, f in enumerate([*self.opts.fields, *self.opts.many_to_many])}
        names = sorted(names, key=lambda name: order.get(name, len(order)))
        bounds = bound_names(self.model).items()
        rows = {name: (name, *pair) for name, pair in bounds if set(pair) <= set(names)}
        # A translated field is edited in its languages side by side where it would be:
        # itself for English (the admin is in English), then its other languages' columns.
        hidden = set()
        for name in translated_fields(self.model):
            languages = [localized(name, code) for code in codes()]
            if name in names and set(languages) <= set(names):
                rows[name] = (name, *languages[1:])
                hidden.add(languages[0])
        on_a_row = hidden | {name for row in rows.values() for name in row}
        return [rows.get(name, name) for name in names if name in rows or name not in on_a_row]

    def get_view_on_site_url(self, obj=None):
        # A draft is not on the public site yet: its page offers a preview instead.
        if obj is not None and not obj.is_published:
            return None
        return super().get_view_on_site_url(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A draft's page as the public will see it once published: its own, or its record's.
        context["preview_url"] = preview_url(obj) if obj is not None and not obj.is_published else None
        show_record_errors(
            context["adminform"].form, [inline.formset for inline in context.get("inline_admin_formsets", [])]
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Saving: through the publication services, one change per request.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with one_change():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except publication.Uncited as refused:
            # The rows' own checks passed but the record would be on the site citing
            # nothing visible (its citations could not be edited here): nothing was saved.
            self.message_user(request, f"Nothing was saved. {uncited_message(refused)}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def reason_for(self, form) -> str:
        """The reason the editor gave; otherwise the one the change itself implies."""
        reason = form.cleaned_data.get("change_reason", "")
        if not reason and "publication" in form.changed_data:
            reason = (
                publication.PUBLISHED_REASON if form.instance.is_published else publication.UNPUBLISHED_REASON
            )
        return reason

    def save_model(self, request, obj, form, change):
        # A save that changes only the record's inline rows (or nothing) writes no version
        # of the record: the change log would show an empty edit of a published record.
        if changes_the_record(form, change):
            reason = self.reason_for(form)
            publication.save_edit(
                obj, user=request.user, reason=reason, created=not change, save_links=form.save_m2m
            )

    def save_related(self, request, form, formsets, change):
        # The record's links were saved with it (save_model).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        if "publication" in form.changed_data:
            publication.check_edit([form.instance])

    def save_formset(self, request, form, formset, change):
        """Inline rows carry their record's reason into their own history, and an
        editor's new rows are drafts like the record they add to. Rows are saved before
        deleted ones go, so a citation replacing another keeps the record supported."""
        reason = self.reason_for(form)
        for obj in formset.save(commit=False):
            publication.save_edit(obj, user=request.user, reason=reason, created=obj._state.adding)
        publication.delete(formset.deleted_objects, user=request.user, reason=reason)
        formset.save_m2m()

    def after_bulk_save(self, request, objs: list) -> None:
        """Called after a bulk import saved `objs`, for checks a form save would run."""
