"""Field-level differences between two versions of a record, from django-simple-history.

One place for "what changed": the admin's history view and the public change log both
call field_changes(), so they always agree on which fields count as changed.
"""

from dataclasses import dataclass

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
    fields = [f for f in model._meta.concrete_fields if not f.name.endswith(IGNORED_SUFFIXES)]
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
