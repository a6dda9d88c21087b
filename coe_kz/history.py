"""Versions of records, from django-simple-history: what changed between two of them,
which links a version had, and one history row per save for records with links.

One place for "what changed": the admin's history view and the public change log both
call field_changes(), so they always agree on which fields count as changed.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

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
    # Fields editors set; computed ones (date bounds, search text) change with them.
    fields = [f for f in model._meta.concrete_fields if f.editable and not f.name.endswith(IGNORED_SUFFIXES)]
    if old is None:
        return [
            FieldChange(f.name, str(f.verbose_name), None, getattr(new, f.attname))
            for f in fields
            if getattr(new, f.attname) not in (None, "")
        ]
    delta = new.diff_against(old, foreign_keys_are_objs=False)
    labels = {f.name: str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
    return [
        FieldChange(c.field, labels.get(c.field, c.field), c.old, c.new)
        for c in delta.changes
        if not c.field.endswith(IGNORED_SUFFIXES)
    ]


class LinkedHistoricalRecords(HistoricalRecords):
    """simple-history for a model with tracked many-to-many links (an event's treaties
    and bodies), reachable from the model so that a save can write its own row.

    On its own simple-history writes a row when the record is saved, while its links are
    still the old ones, and one more for every change to the links: one edit became two
    or three versions, the first with the wrong links. Saves that defer their row
    (defer_history, then write_deferred_history once the links are saved: the admin's
    forms, restoring, importing) write one row, with the links as saved."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if self.cls is sender:
            sender._linked_history = self


_DEFERRED_TYPE = "_deferred_history_type"


def defer_history(obj: models.Model, *, created: bool) -> None:
    """Hold back the history row of obj's next save until write_deferred_history(obj),
    for a record whose links are saved after it. Other records are left alone."""
    if hasattr(type(obj), "_linked_history"):
        obj.skip_history_when_saving = True  # simple-history's own switch
        obj.__dict__[_DEFERRED_TYPE] = "+" if created else "~"


def write_deferred_history(obj: models.Model) -> None:
    """Write the row defer_history held back, now that obj's links are saved too."""
    history_type = obj.__dict__.pop(_DEFERRED_TYPE, None)
    if history_type is None:
        return
    del obj.skip_history_when_saving
    if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):  # off while `seed` loads fixtures
        type(obj)._linked_history.create_historical_record(obj, history_type)


def linked_keys(version) -> dict[str, list]:
    """The keys of the records each tracked many-to-many field of a version linked to."""
    return {
        field.name: [
            getattr(link, f"{field.m2m_reverse_field_name()}_id")
            for link in getattr(version, field.name).all()
        ]
        for field in getattr(version, "_history_m2m_fields", ())
    }
