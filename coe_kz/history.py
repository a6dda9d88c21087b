"""Versions of records, from django-simple-history: what changed between two of them,
which links a version had, and one history row per save for records with links.

One place for "what changed": the admin's history view and the public change log both
call field_changes(), so they always agree on which fields count as changed.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from coe_kz.languages import ORIGINAL, translated_fields

# Bookkeeping that changes with other fields and means nothing on its own.
IGNORED_SUFFIXES = ("_earliest", "_latest")


@dataclass(frozen=True)
class FieldChange:
    field: str  # the model field's name
    label: str  # its verbose name, for people
    old: object
    new: object


def field_changes(new, old) -> list[FieldChange]:
    """What differs between two historical rows of one record (old may be None for a
    creation: then every non-empty field counts as changed). Plain fields cost no query;
    simple-history reads each version's many-to-many rows unless they are already
    loaded on it, so pages listing many versions pre-load them (see changelog.py)."""
    model = new.instance_type
    # A translated field counts by its languages' columns ("title [en]", "title [ru]"): its
    # own column is the English one's copy (coe_kz/languages.py).
    copies = translated_fields(model)
    # Fields editors set; computed ones (date bounds, search text) change with them.
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.name.endswith(IGNORED_SUFFIXES) and f.name not in copies
    ]
    if old is None:
        return [
            FieldChange(f.name, _label(f), None, getattr(new, f.attname))
            for f in fields
            if getattr(new, f.attname) not in (None, "")
        ]
    # simple-history compares the fields the history had when it was made; the language
    # columns came later (coe_kz.languages.translatable), so they are named here.
    included = {f.name for f in new.tracked_fields if f.editable} | {f.name for f in fields}
    included |= {f.name for f in getattr(new, "_history_m2m_fields", ())}
    delta = new.diff_against(
        old, included_fields=included, excluded_fields=copies, foreign_keys_are_objs=False
    )
    labels = {f.name: _label(f) for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
    return [
        FieldChange(c.field, labels.get(c.field, c.field), c.old, c.new)
        for c in delta.changes
        if not c.field.endswith(IGNORED_SUFFIXES)
    ]


def _label(field) -> str:
    """A field as a change names it: a translated field's English column as the field
    itself ("title"), another language's with its code ("title [ru]")."""
    if getattr(field, "language", None) == ORIGINAL and hasattr(field, "translated_field"):
        return str(field.translated_field.verbose_name)
    return str(field.verbose_name)


class ChangeMark(models.Model):
    """What every history row carries besides simple-history's own columns: the change
    it was written in. Everything one edit, publication, deletion or restoration writes
    (a record and its parts, cascades included) shares one change, so "the parts deleted
    with this record" are read from the history itself."""

    history_change = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="The change this version was written in; shared by every row one action wrote.",
    )

    class Meta:
        abstract = True


_current_change: ContextVar[uuid.UUID | None] = ContextVar("coe_kz_current_change", default=None)


@contextmanager
def one_change():
    """Every history row written inside shares one change id (nested calls join the
    outer change). Rows written outside any get a change of their own."""
    if _current_change.get() is not None:
        yield
        return
    token = _current_change.set(uuid.uuid4())
    try:
        yield
    finally:
        _current_change.reset(token)


@receiver(pre_create_historical_record, dispatch_uid="coe_kz.mark_change")
def mark_change(sender, history_instance, **kwargs):
    history_instance.history_change = _current_change.get() or uuid.uuid4()


class CuratedHistory(HistoricalRecords):
    """simple-history for a curated model: every version notes the change it was written in."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("bases", [ChangeMark])
        super().__init__(*args, **kwargs)


class LinkedHistoricalRecords(CuratedHistory):
    """simple-history for a model with tracked many-to-many links (an event's treaties
    and bodies), reachable from the model so that a save can write its own row.

    On its own simple-history writes a row when the record is saved, while its links are
    still the old ones, and one more for every change to the links: one edit became two
    or three versions, the first with the wrong links. Saves that save links too (the
    admin's forms, restoring, importing) save the record and its links inside
    `one_version`: one row, with the links as saved."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if self.cls is sender:
            sender._linked_history = self


def has_linked_history(model: type[models.Model]) -> bool:
    return hasattr(model, "_linked_history")


@contextmanager
def one_version(obj: models.Model, *, created: bool):
    """Save `obj` and its links inside: for a model that tracks links, no history row is
    written until the block ends, and then one, with the links as saved. Other models
    are saved as usual (one row per save)."""
    if not has_linked_history(type(obj)):
        yield
        return
    obj.skip_history_when_saving = True  # simple-history's own switch, for saves and links
    try:
        yield
    finally:
        del obj.skip_history_when_saving
    if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):  # off while `seed` loads fixtures
        type(obj)._linked_history.create_historical_record(obj, "+" if created else "~")


def linked_keys(version) -> dict[str, list]:
    """The keys of the records each tracked many-to-many field of a version linked to."""
    return {
        field.name: [
            getattr(link, f"{field.m2m_reverse_field_name()}_id")
            for link in getattr(version, field.name).all()
        ]
        for field in getattr(version, "_history_m2m_fields", ())
    }
