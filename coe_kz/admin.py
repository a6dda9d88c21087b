"""The editors' admin: the shared pieces every app's admin is built from, and Source.

Every ModelAdmin here and in the apps subclasses `HistoryAdmin`, so every curated
record gets the same editorial workflow:

- Publication: a `publication` column and filter; "Publish selected" and "Unpublish
  selected" actions for users with the model's `publish_<model>` permission only. For
  everyone else the `publication` field is read-only, and `keep_publication()` enforces
  it on the server whatever is POSTed: what an editor adds is a draft, and what they
  change keeps its state. Publishing a record also offers to publish its draft parts
  (steps, citations) on a confirmation page; unpublishing touches the record only (its
  parts are shown only through it). Drafts get a "Preview on site" link.
- Reasons: a "Reason for this change" on every change form, required when the record
  being changed is published, stored as django-simple-history's change reason on the
  record and on every inline row saved with it. Publishing, unpublishing, restoring
  and deleting write their own reasons.
- History: the record's versions with field-level differences (coe_kz.history), the
  versions of its parts (steps and their citations, other names, participations)
  below, each restorable; a "Deleted ..." page per model lists deleted records and
  restores them, with the parts deleted with them.
- Validation: duplicate keys and citations without quote or source get plain messages;
  steps that contradict the order of the others are flagged after a save.

Other shared pieces: natural keys read-only on change (editing one would save a copy
under the new key), each EDTF date shown with its computed bounds, and
`list_prefetch_related` next to Django's `list_select_related`, so changelists stay at
a fixed query count. `CitationInline` / `CitationAdmin` serve every concrete citation
table; `StepInline` / `StepAdmin` / `RecordAdmin` serve dated steps and their records.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext, unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model

from coe_kz.dates import edtf_fields, edtf_human
from coe_kz.history import defer_history, field_changes, linked_keys, write_deferred_history
from coe_kz.models import CitationBase, Publication, Publishable, Source
from coe_kz.status import order_problems

admin.site.site_header = "coe-kz editors"
admin.site.site_title = "coe-kz admin"
admin.site.index_title = "Curated records"

QUOTE_START = 70
# django-simple-history keeps a change reason in a CharField of this length.
REASON_LENGTH = 100
PUBLISHED_REASON = "Published"
UNPUBLISHED_REASON = "Unpublished"
DELETED_REASON = "Deleted"
RESTORED_REASON = "Restored after deletion"
# Parts deleted with their record (Django deletes them in the same request, a few
# milliseconds apart) are brought back with it; parts deleted on their own, earlier, are not.
DELETED_TOGETHER = datetime.timedelta(seconds=5)
# At most this many versions of a record's parts on its history page, newest first.
PARTS_SHOWN = 200
DELETED_SHOWN = 500


def count_of(model: type[models.Model], relation: str) -> Coalesce:
    """How many rows `relation` (a reverse foreign key or a forward many-to-many of
    `model`) holds for each row, as a correlated subquery.

    A subquery per count, unlike `Count()`, needs no GROUP BY and does not multiply
    joins, so one changelist row can carry several counts in the same single query."""
    field = model._meta.get_field(relation)
    if field.many_to_many:
        rows = field.remote_field.through._base_manager
        own = field.m2m_field_name()
    else:
        rows = field.related_model._base_manager
        own = field.field.name
    counted = rows.filter(**{own: models.OuterRef("pk")}).order_by().values(own)
    return Coalesce(models.Subquery(counted.annotate(n=models.Count("*")).values("n")), 0)


def excerpt(text: str, length: int = QUOTE_START) -> str:
    return Truncator(text).chars(length)


def admin_url(model: type[models.Model] | models.Model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def bound_names(model: type[models.Model]) -> dict[str, tuple[str, str]]:
    """Each EDTF field's name mapped to its two computed bound columns."""
    return {f.name: (f"{f.name}_earliest", f"{f.name}_latest") for f in edtf_fields(model)}


# Quotes and notes are a sentence or two: a short box keeps a page (and an inline row)
# compact. An address typed without a scheme is taken as https (Django 6's default).
EDITOR_FIELDS = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 70})},
    models.URLField: {"assume_scheme": "https"},
}
INLINE_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


# --- Publication ---------------------------------------------------------------------


def is_publishable(model: type[models.Model]) -> bool:
    return issubclass(model, Publishable)


def can_publish(user, model: type[models.Model]) -> bool:
    """Whether `user` may publish and unpublish records of `model` (a publisher may)."""
    opts = model._meta
    return (
        is_publishable(model)
        and user is not None
        and user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")
    )


def keep_publication(user, obj: models.Model) -> None:
    """The server-side guard on publication, applied before every admin save (change
    form, inline row, revert, restore, import): a user who may not publish cannot
    change a record's state, whatever was POSTed. Their new records are drafts; their
    changes keep the state the database holds."""
    model = type(obj)
    if not is_publishable(model) or can_publish(user, model):
        return
    stored = model._base_manager.filter(pk=obj.pk).values_list("publication", flat=True).first()
    obj.publication = stored or Publication.DRAFT


def record_reason(obj: models.Model, user, reason: str) -> None:
    """Who and why, for the history row the next save or delete of `obj` writes."""
    obj._change_reason = Truncator(reason).chars(REASON_LENGTH)
    obj._history_user = user


def published_in_database(obj: models.Model) -> bool:
    """Whether the stored record is published. A record without a state of its own (a
    person's other name, a participation) is as published as the record it belongs to."""
    model = type(obj)
    if is_publishable(model):
        return model._base_manager.filter(pk=obj.pk, publication=Publication.PUBLISHED).exists()
    for field in model._meta.concrete_fields:
        if field.many_to_one and is_publishable(field.related_model):
            owner = field.related_model._base_manager
            return owner.filter(pk=getattr(obj, field.attname), publication=Publication.PUBLISHED).exists()
    return False


# --- Parts: the rows that belong to a record and go with it -----------------------------


def is_tracked(model: type[models.Model]) -> bool:
    return bool(getattr(model._meta, "simple_history_manager_attribute", None))


def parts_of(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """The history-tracked models whose rows are part of a `model` record: those its
    deletion deletes (on_delete=CASCADE), each with its foreign key's name. A treaty's
    steps; a step's citations; an event's participations and citations; a person's
    other names, participations and citations."""
    return [
        (rel.related_model, rel.field.name)
        for rel in model._meta.related_objects
        if not rel.many_to_many and rel.on_delete is models.CASCADE and is_tracked(rel.related_model)
    ]


def descendants(model: type[models.Model]) -> list[tuple[type[models.Model], str, type[models.Model]]]:
    """Every part of a record, parts of parts included, as (model, foreign key, parent
    model), parents before their parts: one database query per entry."""
    found, queue = [], [model]
    while queue:
        parent = queue.pop(0)
        for child, fk in parts_of(parent):
            found.append((child, fk, parent))
            queue.append(child)
    return found


def draft_parts(records: list[models.Model]) -> list[models.Model]:
    """The parts of `records`, at any depth, that are drafts: what publishing the
    records with their parts would publish too."""
    if not records:
        return []
    ids = {type(records[0]): [record.pk for record in records]}
    drafts = []
    for child, fk, parent in descendants(type(records[0])):
        rows = list(child._base_manager.filter(**{f"{fk}__in": ids[parent]}).order_by("pk"))
        ids[child] = [row.pk for row in rows]
        if is_publishable(child):
            drafts += [row for row in rows if row.publication == Publication.DRAFT]
    return drafts


def citation_model(model: type[models.Model]) -> type[models.Model] | None:
    """The citations of a record that must cite a source (an event, a person, a treaty
    step, a body standing), or None for a record that need not (a treaty, a source)."""
    try:
        related = model._meta.get_field("citations").related_model
    except FieldDoesNotExist:
        return None
    return related if issubclass(related, CitationBase) else None


def publicly_cited(model: type[models.Model], pks: list) -> set:
    """Which of the records `pks` have a citation the public can see: published, from a
    published source. One query."""
    citation = citation_model(model)
    return set(citation.objects.visible().filter(record__in=pks).values_list("record", flat=True))


def records_losing_support(
    record_model: type[models.Model], pks, *, citations=(), sources=()
) -> list[models.Model]:
    """The published records among `pks` that cite a source the public can see now and
    would cite none once the `citations` (keys) no longer count and the `sources` (keys)
    are unpublished. A change may not make a record unsupported; it need not fix one
    that already is (that is the publisher's rule, refuse_uncited)."""
    visible = citation_model(record_model).objects.visible().filter(record__in=pks)
    now = set(visible.values_list("record", flat=True))
    after = set(
        visible.exclude(pk__in=citations).exclude(source__in=sources).values_list("record", flat=True)
    )
    return list(record_model._base_manager.filter(pk__in=now - after, publication=Publication.PUBLISHED))


def support_lost_without(objs: list[models.Model]) -> list[models.Model]:
    """The published records that would be left citing nothing the public can see once
    `objs` (citations or sources) no longer count, unpublished or deleted. Other objects
    take no support away."""
    sources = [obj.pk for obj in objs if isinstance(obj, Source)]
    lost = []
    for citation in CitationBase.__subclasses__():
        going = [obj.pk for obj in objs if type(obj) is citation]
        if not (going or sources):
            continue
        cited = citation._base_manager.filter(Q(pk__in=going) | Q(source__in=sources)).values("record")
        record_model = citation._meta.get_field("record").related_model
        lost += records_losing_support(record_model, cited, citations=going, sources=sources)
    return lost


def named(records: list[models.Model]) -> str:
    """Records as a refusal names them (a step's name includes its treaty or body)."""
    return "; ".join(f"{capfirst(r._meta.verbose_name)} “{r}”" for r in records)


LOSES_SUPPORT = (
    "This would leave published records citing no source the public can see: {records}. "
    "Every fact on the site cites a source: add another published citation to them first, "
    "or unpublish them."
)


class Uncited(Exception):
    """A change would leave records on the site that cite no source the public can see."""

    def __init__(self, records: list[models.Model]):
        super().__init__()
        self.records = records


def refuse_uncited(objs: list[models.Model]) -> None:
    """Raise Uncited for the published objects among `objs` that must cite a source and
    cite none the public can see. The site promises a source for every fact it shows."""
    uncited = []
    for model in {type(obj) for obj in objs}:
        if citation_model(model) is None:
            continue
        published = [obj for obj in objs if type(obj) is model and obj.publication == Publication.PUBLISHED]
        cited = publicly_cited(model, [obj.pk for obj in published])
        uncited += [obj for obj in published if obj.pk not in cited]
    if uncited:
        raise Uncited(uncited)


# --- History: field-level differences --------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One changed field, as an editor reads it; `old` is None in a record's first version."""

    label: str
    old: str | None
    new: str


@dataclass(frozen=True)
class Restoring:
    """The version simple-history's revert view is restoring: the reason its save records,
    and the links it had (many-to-many field name -> keys)."""

    reason: str
    links: dict[str, list]


@dataclass(frozen=True)
class Version:
    """One historical row of a record's part, described for its record's history page."""

    row: models.Model
    label: str
    url: str
    differences: list[Difference]


def shown(value, owner: str) -> str:
    """A field's value as the history page prints it. A many-to-many value is the list
    of its through rows: each is shown by the key of the record it links to."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, list):
        keys = [str(v) for row in value for name, v in row.items() if name != owner]
        return "; ".join(keys) or "(none)"
    return str(value)


def differences(new, old) -> list[Difference]:
    """What `new` changed since `old` (None: what it was created with), by
    coe_kz.history.field_changes, the one place that decides what changed."""
    owner = new.instance_type._meta.model_name
    return [
        Difference(
            capfirst(change.label),
            None if old is None else shown(change.old, owner),
            shown(change.new, owner),
        )
        for change in field_changes(new, old)
    ]


def version_date(row) -> str:
    return formats.date_format(timezone.localtime(row.history_date), "j M Y H:i")


# --- Forms -----------------------------------------------------------------------------

# The inline formsets of a change form, kept on the record the form edits so that the
# form can tell whether any row changed (Django builds them before validating the form).
INLINE_FORMSETS = "_edit_inline_formsets"


class RegisteringFormSet(BaseInlineFormSet):
    """An inline formset that makes itself known to its parent record's form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.__dict__.setdefault(INLINE_FORMSETS, []).append(self)


class EditForm(forms.ModelForm):
    """Every admin change form: a reason for the change, required when the stored
    record is published; duplicate keys refused in plain words."""

    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=REASON_LENGTH,
        help_text="A sentence saying why, for example “Date corrected from the Treaty Office”. "
        "Required when the record is published: the public change log shows it.",
    )
    # The revert view's own reason ("Restored version of ...") and the links the restored
    # version had, set on its form class.
    restoring = ""
    restoring_links: dict[str, list] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.restoring:
            self.fields["change_reason"].initial = self.restoring
        # The form would otherwise offer the record's current links with the old version.
        for name, keys in self.restoring_links.items():
            if name in self.fields:
                self.initial[name] = keys

    def _save_m2m(self):
        # Links are saved after the record: its history row is written now (see save_model).
        super()._save_m2m()
        write_deferred_history(self.instance)

    def clean(self):
        cleaned = super().clean()
        self.refuse_duplicate_key(cleaned)
        if not cleaned.get("change_reason") and self.changes_published_record():
            self.add_error(
                "change_reason",
                "This record is published: say why you are changing it. "
                "The reason is kept in its history and shown in the public change log.",
            )
        self.refuse_unsupported(cleaned)
        return cleaned

    def refuse_unsupported(self, cleaned: dict) -> None:
        """A record becoming published must cite a source the public can see; one that
        stays published (whoever edits it) may not lose the last such citation."""
        if citation_model(self._meta.model) is None:
            return
        stored = (
            self._meta.model._base_manager.filter(pk=self.instance.pk).first() if self.instance.pk else None
        )
        was_published = stored is not None and getattr(stored, "publication", None) == Publication.PUBLISHED
        publication = cleaned.get("publication", getattr(stored, "publication", None))
        if publication != Publication.PUBLISHED or self.will_be_cited():
            return
        if not was_published:
            self.add_error(
                "publication",
                "A published record must cite a source the public can see: add a citation with "
                "its quote below, set it to Published too (its source must be published), or "
                "keep this record a draft.",
            )
        elif publicly_cited(self._meta.model, [stored.pk]):
            self.add_error(
                "publication" if "publication" in self.fields else None,
                LOSES_SUPPORT.format(records=named([stored])),
            )

    def will_be_cited(self) -> bool:
        """Whether the record, once saved, has a citation the public can see: judged from
        the citation rows in the form when it has them, else from the database."""
        citation = citation_model(self._meta.model)
        if citation is None:
            return True
        for formset in self.instance.__dict__.get(INLINE_FORMSETS, ()):
            if formset.model is not citation:
                continue
            if not formset.is_valid():
                return True  # its own errors are shown; judge again once they are fixed
            return any(
                form.cleaned_data
                and not form.cleaned_data.get("DELETE")
                and form.cleaned_data.get("publication", form.instance.publication) == Publication.PUBLISHED
                and form.cleaned_data["source"].publication == Publication.PUBLISHED
                for form in formset.forms
            )
        return not self.instance._state.adding and bool(publicly_cited(self._meta.model, [self.instance.pk]))

    def changes_published_record(self) -> bool:
        if self.instance._state.adding:
            return False
        # Publishing or unpublishing alone explains itself ("Published", "Unpublished").
        changed = (
            bool(self.restoring)
            or any(name not in ("change_reason", "publication") for name in self.changed_data)
            or any(formset.has_changed() for formset in self.instance.__dict__.get(INLINE_FORMSETS, ()))
        )
        return changed and published_in_database(self.instance)

    def refuse_duplicate_key(self, cleaned: dict) -> None:
        """A new record whose natural key is taken gets a message saying so, instead of
        Django's generic one (which this error also replaces: fields with errors are not
        checked for uniqueness again)."""
        model = self._meta.model
        pk = model._meta.pk
        value = cleaned.get(pk.name)
        if isinstance(pk, models.AutoField) or not self.instance._state.adding or value in (None, ""):
            return
        if model._base_manager.filter(pk=value).exists():
            self.add_error(
                pk.name,
                f"A {model._meta.verbose_name} with the key “{value}” already exists. "
                "Find it in the list to change it, or choose another key.",
            )


CITATION_REQUIRED = {
    "quote": "A citation needs a quote: copy the sentence that carries the fact, verbatim from the source.",
    "source": "A citation needs a source: choose the text the quote comes from.",
}


class CitationMessages:
    """Form mixin: a citation's missing quote or source says what is missing and why."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in CITATION_REQUIRED.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message


class CitationForm(CitationMessages, EditForm):
    """A citation on its own page: it may not take away the last visible support of the
    published record it belongs to (by unpublishing it, moving it to another record or
    citing a draft source)."""

    def clean(self):
        cleaned = super().clean()
        stored = self._meta.model._base_manager.filter(pk=self.instance.pk).select_related("source").first()
        if stored is None:
            return cleaned
        source = cleaned.get("source", stored.source)
        record = cleaned.get("record")
        still_counts = (
            cleaned.get("publication", stored.publication) == Publication.PUBLISHED
            and source is not None
            and source.publication == Publication.PUBLISHED
            and (record is None or record.pk == stored.record_id)
        )
        if not still_counts:
            record_model = self._meta.model._meta.get_field("record").related_model
            lost = records_losing_support(record_model, [stored.record_id], citations=[stored.pk])
            if lost:
                self.add_error(None, LOSES_SUPPORT.format(records=named(lost)))
        return cleaned


class SourceForm(EditForm):
    """A source on its own page: unpublishing it may not leave published records
    citing nothing the public can see."""

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.pk
            and cleaned.get("publication") == Publication.DRAFT
            and published_in_database(self.instance)
            and (lost := support_lost_without([self.instance]))
        ):
            self.add_error("publication", LOSES_SUPPORT.format(records=named(lost)))
        return cleaned


class PrefetchingChangeList(ChangeList):
    """A changelist that also applies its admin's `list_prefetch_related`, the
    counterpart of `list_select_related` for many-valued columns."""

    def apply_select_related(self, qs):
        qs = super().apply_select_related(qs)
        prefetch = self.model_admin.list_prefetch_related
        return qs.prefetch_related(*prefetch) if prefetch else qs


class HistoryAdmin(SimpleHistoryAdmin):
    """Base of every ModelAdmin: edit history with field differences and revert,
    publication, change reasons, deleted records, natural keys read-only once saved,
    computed date bounds shown read-only beside their EDTF date."""

    list_prefetch_related: tuple = ()
    list_per_page = 50
    formfield_overrides = EDITOR_FIELDS
    form = EditForm
    actions = ("publish_selected", "unpublish_selected")
    change_form_template = "admin/coe_kz/change_form.html"
    change_list_template = "admin/coe_kz/change_list.html"
    object_history_template = "admin/coe_kz/object_history.html"
    object_history_form_template = "admin/coe_kz/object_history_form.html"

    def get_changelist(self, request, **kwargs):
        return PrefetchingChangeList

    def natural_key_fields(self) -> list[str]:
        pk = self.opts.pk
        return [] if isinstance(pk, models.AutoField) else [pk.name]

    def history_label(self, obj) -> str:
        """`obj` named from its own columns only: it may be a historical version whose
        related records are gone. Admins whose __str__ reads a relation override this."""
        return str(obj)

    # Lists and forms.

    def get_list_display(self, request):
        shown_columns = list(super().get_list_display(request))
        if is_publishable(self.model) and "publication" not in shown_columns:
            shown_columns.append("publication")
        return shown_columns

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return ["publication", *filters] if is_publishable(self.model) else filters

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += self.natural_key_fields()
            readonly += [name for pair in bound_names(self.model).values() for name in pair]
        if is_publishable(self.model) and not can_publish(request.user, self.model):
            readonly.append("publication")
        return readonly

    def get_fields(self, request, obj=None):
        """The model's field order (a read-only key stays first), with each EDTF date
        and its two bounds on one line. The change reason is not among them: the form
        template shows it after the inlines, next to the save buttons."""
        if self.fields:
            return self.fields
        names = [name for name in super().get_fields(request, obj) if name != "change_reason"]
        order = {f.name: i for i, f in enumerate([*self.opts.fields, *self.opts.many_to_many])}
        names = sorted(names, key=lambda name: order.get(name, len(order)))
        bounds = {name: pair for name, pair in bound_names(self.model).items() if set(pair) <= set(names)}
        hidden = {name for pair in bounds.values() for name in pair}
        return [(name, *bounds[name]) if name in bounds else name for name in names if name not in hidden]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        restoring = getattr(request, "restoring_version", None)
        if restoring is None:
            return form
        return type(
            form.__name__, (form,), {"restoring": restoring.reason, "restoring_links": restoring.links}
        )

    def get_view_on_site_url(self, obj=None):
        # A draft is not on the public site yet: its page offers a preview instead.
        if obj is not None and is_publishable(type(obj)) and not obj.is_published:
            return None
        return super().get_view_on_site_url(obj)

    def preview_url(self, obj) -> str | None:
        """The public page as it will look once published, for staff (the public views
        honour ?preview=1 for staff users)."""
        if obj is None or not is_publishable(type(obj)) or obj.is_published:
            return None
        if not hasattr(obj, "get_absolute_url"):
            return None
        return f"{obj.get_absolute_url()}?preview=1"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["preview_url"] = self.preview_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Saving: who, why, and the publication guard.

    def reason_for(self, form) -> str:
        """The reason the editor gave; otherwise the one the change itself implies."""
        reason = form.cleaned_data.get("change_reason", "")
        if not reason and form.restoring:
            reason = form.restoring
        if not reason and "publication" in form.changed_data:
            reason = PUBLISHED_REASON if form.instance.is_published else UNPUBLISHED_REASON
        return reason

    def save_model(self, request, obj, form, change):
        keep_publication(request.user, obj)
        record_reason(obj, request.user, self.reason_for(form))
        if change and not form.restoring and not set(form.changed_data) - {"change_reason"}:
            # Nothing of the record itself changed (only its inline rows, or nothing): no
            # version of it, so the change log does not show an empty edit of a published
            # record for a change to its draft parts. The rows that changed have their own.
            obj.skip_history_when_saving = True
        else:
            defer_history(obj, created=not change)  # written by the form once its links are saved
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Inline rows carry their record's reason into their own history, and an
        editor's new rows are drafts like the record they add to."""
        reason = self.reason_for(form)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_reason(obj, request.user, reason)
            obj.delete()
        for obj in instances:
            keep_publication(request.user, obj)
            record_reason(obj, request.user, reason)
            obj.save()
        formset.save_m2m()

    def after_bulk_save(self, request, objs: list) -> None:
        """Called after a bulk import saved `objs`, for checks a form save would run."""

    def delete_model(self, request, obj):
        record_reason(obj, request.user, DELETED_REASON)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # One by one, so each deletion's history row says who deleted it and that it was on purpose.
        for obj in queryset:
            self.delete_model(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        """A citation that is a published record's last visible support is not deleted:
        the editor is told why, on the citation's page, before any confirmation."""
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and (lost := support_lost_without([obj])):
            self.message_user(
                request, "Not deleted. " + LOSES_SUPPORT.format(records=named(lost)), messages.ERROR
            )
            return HttpResponseRedirect(admin_url(obj, "change", obj.pk))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            delete_selected, name, description = actions["delete_selected"]

            def checked_delete_selected(modeladmin, request, queryset):
                if lost := support_lost_without(list(queryset)):
                    message = "Nothing was deleted. " + LOSES_SUPPORT.format(records=named(lost))
                    modeladmin.message_user(request, message, messages.ERROR)
                    return None
                return delete_selected(modeladmin, request, queryset)

            actions["delete_selected"] = (checked_delete_selected, name, description)
        return actions

    # Publishing.

    def has_publish_permission(self, request) -> bool:
        """Django shows an action with permissions=["publish"] only when this is true."""
        return can_publish(request.user, self.model)

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
    def publish_selected(self, request, queryset):
        """Publish the records. When they have draft parts (steps, citations), a
        confirmation page first offers to publish those too: a record published
        without the citations an editor added with it would show unsupported."""
        records = list(queryset)
        parts = draft_parts(records)
        if parts and request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": f"Publish {model_ngettext(self.opts, len(records))}",
                "opts": self.opts,
                "records": records,
                "parts": [(capfirst(part._meta.verbose_name), self.part_label(part)) for part in parts],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/coe_kz/publish_confirmation.html", context)
        with_parts = bool(parts) and request.POST.get("with_parts") == "yes"
        try:
            with transaction.atomic():  # all or nothing
                published_parts = []
                if with_parts:  # parts first: a record's citations are among them
                    published_parts = self.set_publication(
                        request, parts, Publication.PUBLISHED, PUBLISHED_REASON
                    )
                published = self.set_publication(request, records, Publication.PUBLISHED, PUBLISHED_REASON)
                refuse_uncited([*published, *published_parts])
        except Uncited as refused:
            self.message_user(
                request, f"Nothing was published. {self.uncited_message(refused)}", messages.ERROR
            )
            return
        message = f"Published {len(published)} {model_ngettext(self.opts, len(published))}"
        if with_parts:
            message += f" and {len(published_parts)} of their draft parts"
        self.message_user(request, message + ".", messages.SUCCESS)

    def uncited_message(self, refused: Uncited) -> str:
        labels = named(refused.records)
        return (
            "Every fact on the site cites a source, and these records would be on the site citing "
            f"none the public can see: {labels}. Publish their draft citations with them (tick "
            "“Also publish”), publish the sources those cite, or add a citation with its quote first."
        )

    @admin.action(description="Unpublish selected %(verbose_name_plural)s", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        """Back to draft: off the public site. Parts keep their own state; the public
        site shows them only through their record. A source or citation whose records
        would be left citing nothing visible stays published (all or nothing)."""
        objs = list(queryset)
        if lost := support_lost_without(objs):
            self.message_user(
                request, f"Nothing was unpublished. {self.uncited_message(Uncited(lost))}", messages.ERROR
            )
            return
        count = len(self.set_publication(request, objs, Publication.DRAFT, UNPUBLISHED_REASON))
        self.message_user(
            request, f"Unpublished {count} {model_ngettext(self.opts, count)}.", messages.SUCCESS
        )

    def set_publication(self, request, objs, state: str, reason: str) -> list:
        """Save each object whose state differs, one history row each; those it changed."""
        changed = []
        for obj in objs:
            if obj.publication == state:
                continue
            obj.publication = state
            record_reason(obj, request.user, reason)
            obj.save()
            changed.append(obj)
        return changed

    def part_label(self, obj) -> str:
        part_admin = self.admin_site._registry.get(type(obj))
        return part_admin.history_label(obj) if part_admin else str(obj)

    # History: the record's versions and its parts', with differences.

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each version on the page gets `differences` from the version before it (for the
        last on a page, the one that starts the next page)."""
        rows = list(historical_records)
        if not rows:
            return
        before_page = rows[-1].prev_record if historical_records.has_next() else None
        for new, old in zip(rows, [*rows[1:], before_page], strict=True):
            new.differences = differences(new, old)

    def parts_history(self, pk) -> list[Version]:
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
                    Version(row, label, admin_url(child, "history", part), differences(row, latest.get(part)))
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

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return super().history_form_view_title(request, obj)  # "View …"
        return f"Restore a version of {obj}"  # "Restore", as the history page says

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's revert view, whose save records "Restored version of <date>"
        unless the editor gives another reason."""
        history = get_history_model_for_model(self.model)
        version = get_object_or_404(
            history, history_id=version_id, **{self.opts.pk.attname: unquote(object_id)}
        )
        request.restoring_version = Restoring(
            f"Restored version of {version_date(version)}", linked_keys(version)
        )
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Deleted records.

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

    def deleted_rows(self, model: type[models.Model], **filters) -> list:
        """The last version of each deleted `model` record that has not come back."""
        history = get_history_model_for_model(model)
        key = model._meta.pk.attname
        rows = (
            history.objects.filter(history_type="-", **filters)
            .exclude(**{f"{key}__in": model._base_manager.values("pk")})
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
            "rows": [(row, self.history_label(row.instance)) for row in self.deleted_rows(self.model)],
            "shown": DELETED_SHOWN,
        }
        return TemplateResponse(request, "admin/coe_kz/deleted_list.html", context)

    def restore_view(self, request, history_id):
        """Bring a deleted record back with its last values, and the parts deleted with
        it; each gets a history row saying so. All or nothing: if one cannot come back
        (its source has since been deleted, say), nothing does and the editor is told why."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        history = get_history_model_for_model(self.model)
        row = get_object_or_404(history, history_id=history_id, history_type="-")
        back = HttpResponseRedirect(admin_url(self.model, "deleted"))
        if self.model._base_manager.filter(pk=row.instance.pk).exists():
            self.message_user(
                request, f"“{self.history_label(row.instance)}” is not deleted.", messages.ERROR
            )
            return back
        plan = [row, *self.parts_deleted_with(row)]
        try:
            with transaction.atomic():
                refuse_uncited([self.restore_version(request, version) for version in plan])
        except ValidationError as error:
            problems = "; ".join(error.messages)
            self.message_user(request, f"Nothing was restored: {problems}", messages.ERROR)
            return back
        except Uncited as refused:
            self.message_user(
                request, f"Nothing was restored. {self.uncited_message(refused)}", messages.ERROR
            )
            return back
        obj = row.instance
        parts = f" and {len(plan) - 1} of its parts deleted with it" if len(plan) > 1 else ""
        self.message_user(
            request,
            format_html(
                'Restored <a href="{}">{}</a>{}.',
                admin_url(obj, "change", obj.pk),
                self.history_label(obj),
                parts,
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(admin_url(obj, "change", obj.pk))

    def parts_deleted_with(self, row) -> list:
        """The last versions of the parts deleted together with the record of `row`."""
        window = (row.history_date - DELETED_TOGETHER, row.history_date + DELETED_TOGETHER)
        ids = {self.model: [row.instance.pk]}
        found = []
        for child, fk, parent in descendants(self.model):
            attname = child._meta.get_field(fk).attname
            rows = self.deleted_rows(child, history_date__range=window, **{f"{attname}__in": ids[parent]})
            ids[child] = [version.instance.pk for version in rows]
            found += rows
        return found

    def restore_version(self, request, version) -> models.Model:
        """Save one deleted version again, checked like a form would check it (its
        related records must still exist, its key must still be free)."""
        obj = version.instance
        keep_publication(request.user, obj)
        label = f"{obj._meta.verbose_name} “{self.part_label(obj)}”"
        gone = [
            f"its {field.verbose_name} “{value}” no longer exists (restore that first)"
            for field in obj._meta.concrete_fields
            if field.many_to_one
            and (value := getattr(obj, field.attname)) is not None
            and not field.related_model._base_manager.filter(pk=value).exists()
        ]
        if gone:
            raise ValidationError([f"{label}: {problem}" for problem in gone])
        try:
            obj.full_clean()
        except ValidationError as error:
            raise ValidationError([f"{label}: {message}" for message in error.messages]) from error
        record_reason(obj, request.user, RESTORED_REASON)
        defer_history(obj, created=True)
        obj.save()
        # Links are deleted before their record, so the deletion's own row lists none:
        # they come from the version before it.
        for name, keys in linked_keys(version.prev_record or version).items():
            field = obj._meta.get_field(name)
            getattr(obj, name).set(field.related_model._base_manager.filter(pk__in=keys))
        write_deferred_history(obj)
        return obj


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    """A source, with how many citations each app draws from it."""

    form = SourceForm
    list_display = ("key", "title", "publisher", "published", "language", "citation_count")
    list_filter = ("language", "publisher")
    search_fields = ("key", "title", "publisher", "url", "note")
    list_select_related = ()
    ordering = ("key",)
    readonly_fields = ("citations_by_kind",)

    @staticmethod
    def citation_relations() -> list[models.ForeignObjectRel]:
        # Found from the model, not imported: apps depend on coe_kz, never the reverse.
        return [
            rel
            for rel in Source._meta.related_objects
            if issubclass(rel.related_model, CitationBase) and rel.field.name == "source"
        ]

    def get_queryset(self, request):
        counts = {f"n_{rel.name}": count_of(Source, rel.name) for rel in self.citation_relations()}
        total = sum(models.F(name) for name in counts) if counts else models.Value(0)
        return super().get_queryset(request).annotate(**counts).annotate(n_citations=total)

    @admin.display(description="citations", ordering="n_citations")
    def citation_count(self, obj):
        return obj.n_citations

    @admin.display(description="citations drawn from it")
    def citations_by_kind(self, obj):
        counted = [(rel, getattr(obj, f"n_{rel.name}", None)) for rel in self.citation_relations()]
        if not any(counted_n for _, counted_n in counted):
            return "None yet."
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}?source__key__exact={}">{} {}</a>',
            (
                (
                    admin_url(rel.related_model, "changelist"),
                    obj.pk,
                    n,
                    rel.related_model._meta.verbose_name_plural,
                )
                for rel, n in counted
                if n
            ),
        )


class LabelledAutocompleteSelect(AutocompleteSelect):
    """An autocomplete select that labels its chosen option from the object its form's
    row already holds (`known`), where Django's queries for it: one query per inline
    row otherwise, so a page with many rows would grow with them."""

    known: models.Model | None = None

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.known is None or chosen != [str(self.known.pk)]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(self.known)
        options.append(self.create_option(name, self.known.pk, label, True, len(options)))
        return [(None, options, 0)]


class LabelledAutocompleteForm(forms.ModelForm):
    """Hands each row's already-joined related objects to its autocomplete widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the add/change-link wrapper
            if isinstance(widget, LabelledAutocompleteSelect):
                relation = self._meta.model._meta.get_field(name)
                if relation.is_cached(self.instance):
                    widget.known = relation.get_cached_value(self.instance)


class EditInline(admin.TabularInline):
    """Base of every inline: rows join their record's change-reason check, and their
    publication is read-only for users who may not publish (the guard itself is
    HistoryAdmin.save_formset's)."""

    formset = RegisteringFormSet
    formfield_overrides = INLINE_TEXT
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if is_publishable(self.model) and not can_publish(request.user, self.model):
            readonly.append("publication")
        return readonly


class AutocompleteInline(EditInline):
    """A tabular inline whose autocomplete foreign keys are joined into the rows' query
    and labelled from there: the page's query count does not grow with its rows."""

    form = LabelledAutocompleteForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", LabelledAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.get_autocomplete_fields(request))


class CitationInlineForm(CitationMessages, LabelledAutocompleteForm):
    pass


class CitationInline(AutocompleteInline):
    """The one citation inline: each app's concrete citation inline only sets `model`.
    Stacked, not tabular: a row of three text boxes was twice as wide as the page."""

    template = "admin/edit_inline/stacked.html"
    form = CitationInlineForm
    fields = ("source", "quote", "paragraph", "rank", "rank_reason", "note", "publication")
    autocomplete_fields = ("source",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "quote":  # what the citation is for; a stacked row has room
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CitationAdmin(HistoryAdmin):
    """The one citation admin: each app's concrete one sets `list_select_related` to
    what its record's label needs, and `search_fields` for the record."""

    form = CitationForm
    list_display = ("record", "source", "rank", "paragraph", "quote_start")
    list_filter = ("rank", "source")
    search_fields = ("quote", "note", "rank_reason", "source__key", "source__title")
    autocomplete_fields = ("record", "source")
    ordering = ("source", "paragraph", "pk")

    @admin.display(description="quote", ordering="quote")
    def quote_start(self, obj):
        return excerpt(obj.quote)


class RejectedFilter(admin.SimpleListFilter):
    """Steps whose every citation is deprecated: claims editors reject (never counted)."""

    title = "rejected claim"
    parameter_name = "rejected"

    def lookups(self, request, model_admin):
        return (("yes", "Rejected (every citation deprecated)"), ("no", "Counted"))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_deprecated=self.value() == "yes")
        return queryset


class StepDisplayMixin:
    """Columns a step shows wherever it is listed: in its record's inline and its own list."""

    @admin.display(description="rejected", boolean=True)
    def rejected(self, obj):
        # Steps loaded through their default manager carry the annotation; a historical
        # version (the revert page) or an unsaved one does not.
        return getattr(obj, "is_deprecated", None)

    @admin.display(description="citations")
    def citations_summary(self, obj):
        """Each citation as source, rank and the start of its quote, linking to it."""
        if obj.pk is None:
            return "—"
        citations = obj.citations.all()
        if not citations:
            return format_html("<strong>{}</strong>", "No citation yet: every step needs one.")
        # Admin wraps read-only cells in <p>, so one line per citation, not a list.
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> · {} · “{}”',
            (
                (admin_url(c, "change", c.pk), c.source.key, c.get_rank_display(), excerpt(c.quote))
                for c in citations
            ),
        )


class StepInlineForm(forms.ModelForm):
    """A step row on its record's page. Its citations are edited on the step's own page,
    so a row is published here only if it already has a citation the public can see."""

    def clean(self):
        cleaned = super().clean()
        step = self.instance
        if (
            cleaned.get("publication") == Publication.PUBLISHED
            and "publication" in self.changed_data
            and not cleaned.get("DELETE")
            and (step._state.adding or not publicly_cited(type(step), [step.pk]))
        ):
            self.add_error(
                "publication",
                f"A {step._meta.verbose_name} is published only with a citation the public can see: "
                "keep it a draft, add its citation on its own page, and publish it there.",
            )
        return cleaned


class StepInline(StepDisplayMixin, EditInline):
    """Dated steps inline on their record. Django admin has no nested inlines, so each
    row lists its citations read-only and links to the step's own page to edit them.
    Subclasses set `model` and `fk_name` (the step's key to its record)."""

    form = StepInlineForm
    show_change_link = True
    readonly_fields = ("citations_summary", "rejected")

    def get_queryset(self, request):
        citation = self.model._meta.get_field("citations").related_model
        return (
            super()
            .get_queryset(request)
            # Each row is labelled with its step's name, which names the record.
            .select_related(self.fk_name)
            .prefetch_related(
                models.Prefetch("citations", queryset=citation.objects.select_related("source"))
            )
        )


class OrderWarnings:
    """After a save, warns the editor about steps that contradict the order of the
    others (coe_kz.status.order_problems): flagged, not refused, since sources can be
    wrong. Subclasses set the status `progression` and its `reset` status."""

    progression: dict[str, int] = {}
    reset: str = ""

    def warn_about_order(self, request, record, steps) -> None:
        for problem in order_problems(steps, self.progression, self.reset):
            self.message_user(
                request, f"Check the order of the steps on {record}: {problem}", messages.WARNING
            )


class StepAdmin(OrderWarnings, StepDisplayMixin, HistoryAdmin):
    """A step's own page: its fields, its citations inline, and whether editors reject it.
    Subclasses set `record_field`, the step's foreign key to its record."""

    readonly_fields = ("rejected",)
    list_filter = ("status", RejectedFilter)
    record_field = ""

    def get_queryset(self, request):
        # A step's label names its record: in autocomplete answers and the change page too.
        return (
            super()
            .get_queryset(request)
            .select_related(self.record_field)
            .annotate(n_citations=count_of(self.model, "citations"))
        )

    @admin.display(description="citations", ordering="n_citations")
    def citation_count(self, obj):
        return obj.n_citations

    def history_label(self, obj) -> str:
        # A step's __str__ names its record, which a deleted version may no longer have.
        return f"{obj.get_status_display()} ({obj.date})"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.after_bulk_save(request, [form.instance])

    def after_bulk_save(self, request, objs: list) -> None:
        """Check the order of the steps of every record the saved steps belong to."""
        records = {getattr(obj, f"{self.record_field}_id"): getattr(obj, self.record_field) for obj in objs}
        steps = self.opts.get_field(self.record_field).remote_field.get_accessor_name()
        for record in records.values():
            self.warn_about_order(request, record, getattr(record, steps).all())


class StepStatusFilter(admin.SimpleListFilter):
    """Records with any (counted or not) step of a given status."""

    title = "any step's status"
    parameter_name = "step_status"

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return model_admin.step_field().choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.model_admin.steps}__status": self.value()}).distinct()
        return queryset


class RecordAdmin(OrderWarnings, HistoryAdmin):
    """A record with dated steps (a treaty, a body): its status today and step count."""

    @property
    def steps(self) -> str:
        return self.model.STEPS  # the reverse relation to the record's steps

    def step_field(self):
        return self.model._meta.get_field(self.steps).related_model._meta.get_field("status")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_steps=count_of(self.model, self.steps))

    @admin.display(description="steps", ordering="n_steps")
    def step_count(self, obj):
        return obj.n_steps

    @admin.display(description="status today")
    def status_today(self, obj):
        """The public site's answer (coe_kz.status), from the prefetched steps."""
        answer = obj.status_on(timezone.localdate())
        labels = dict(self.step_field().flatchoices)
        label = labels.get(answer.status, answer.status)
        if answer.step:
            label = f"{label} {edtf_human(answer.since, 'since')}"  # the public site's words
        if not answer.certain:
            maybe = " or ".join(labels.get(c, c) for c in answer.possible)
            label += f" (uncertain: a step that may already have happened would make it {maybe})"
        return label

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.warn_about_order(request, form.instance, getattr(form.instance, self.steps).all())
