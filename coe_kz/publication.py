"""Publication services: the one way the editors' tools change what the public sees.

The admin (its forms, actions, history and deleted pages), CSV import, `manage.py seed`
and any command call these functions; none of them sets `publication` or deletes a
curated row on its own. Each service runs in one transaction and one change
(coe_kz.history.one_change): all of it happens, with a history row per row it wrote,
saying who and why, or none of it does.

The rules they keep:
- Only a publisher (the model's `publish_<model>` permission) changes what is public.
  Anyone else's new rows are drafts and their changes keep the stored state
  (`keep_publication`), whatever a form or a file says.
- A published record that must cite a source (an event, a person, a treaty step, a body
  standing) cites at least one the public can see: a published citation from a
  published source. Publishing refuses a record that would cite none; unpublishing,
  deleting or moving a citation, or unpublishing a source, refuses to leave a published
  record citing none (`Uncited`).
- A record's parts (coe_kz.records: steps, citations, other names, participations) go
  with it: publishing offers its draft parts too, deleting deletes them in the same
  change, and restoring the record brings back the parts deleted with it.

`manage.py verify` checks the whole database against the same rules, for what was
written behind the services' back (a shell, a data migration, a manual repair).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.text import Truncator, capfirst
from simple_history.utils import get_history_model_for_model

from coe_kz.history import linked_keys, one_change, one_version
from coe_kz.models import Publication, Publishable, Source
from coe_kz.records import citation_model, citation_models, descendants

# django-simple-history keeps a change reason in a CharField of this length.
REASON_LENGTH = 100
PUBLISHED_REASON = "Published"
UNPUBLISHED_REASON = "Unpublished"
DELETED_REASON = "Deleted"
RESTORED_REASON = "Restored after deletion"

LOSES_SUPPORT = (
    "This would leave published records citing no source the public can see: {records}. "
    "Every fact on the site cites a source: add another published citation to them first, "
    "or unpublish them."
)


class Refused(Exception):
    """A change the rules refuse; `message` says why, in the editor's words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Uncited(Refused):
    """A change would leave `records` on the site citing no source the public can see."""

    def __init__(self, records: list[models.Model], message: str = ""):
        super().__init__(message or LOSES_SUPPORT.format(records=named(records)))
        self.records = records


def named(records: Iterable[models.Model]) -> str:
    """Records as a refusal names them (a step's name includes its treaty or body)."""
    return "; ".join(f"{capfirst(r._meta.verbose_name)} “{r}”" for r in records)


# --- Who may do what ---------------------------------------------------------------


def can_publish(user, model: type[models.Model]) -> bool:
    """Whether `user` may publish and unpublish records of `model` (a publisher may)."""
    opts = model._meta
    return (
        issubclass(model, Publishable)
        and user is not None
        and user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")
    )


def keep_publication(user, obj: models.Model) -> None:
    """The guard on publication, applied to every row a service writes: a user who may
    not publish cannot change a row's state, whatever was submitted. Their new rows are
    drafts; their changes keep the state the database holds."""
    model = type(obj)
    if not issubclass(model, Publishable) or can_publish(user, model):
        return
    stored = model._base_manager.filter(pk=obj.pk).values_list("publication", flat=True).first()
    obj.publication = stored or Publication.DRAFT


def record_reason(obj: models.Model, user, reason: str) -> None:
    """Who and why, for the history row the next save or delete of `obj` writes
    (simple-history's own attributes for them)."""
    obj._change_reason = Truncator(reason).chars(REASON_LENGTH)
    obj._history_user = user


# --- The citation rule ------------------------------------------------------------


def publicly_cited(model: type[models.Model], pks: Iterable) -> set:
    """Which of the records `pks` have a citation the public can see. One query."""
    citation = citation_model(model)
    return set(citation.objects.visible().filter(record__in=list(pks)).values_list("record", flat=True))


def uncited(objs: Iterable[models.Model]) -> list[models.Model]:
    """The published objects among `objs` that must cite a source and cite none the
    public can see (as the database holds them now)."""
    objs = list(objs)
    found = []
    for model in dict.fromkeys(type(obj) for obj in objs):
        if citation_model(model) is None:
            continue
        published = [obj for obj in objs if type(obj) is model and obj.publication == Publication.PUBLISHED]
        cited = publicly_cited(model, [obj.pk for obj in published])
        found += [obj for obj in published if obj.pk not in cited]
    return found


def refuse_uncited(objs: Iterable[models.Model]) -> None:
    """Raise Uncited for the published objects among `objs` citing nothing visible."""
    if found := uncited(objs):
        raise Uncited(found)


def records_losing_support(
    record_model: type[models.Model], pks, *, citations=(), sources=()
) -> list[models.Model]:
    """The published records among `pks` that cite a source the public can see now and
    would cite none once the `citations` (keys) no longer count and the `sources` (keys)
    are unpublished. A change may not make a record unsupported; it need not fix one
    that already is (publishing refuses those)."""
    visible = citation_model(record_model).objects.visible().filter(record__in=pks)
    now = set(visible.values_list("record", flat=True))
    after = set(
        visible.exclude(pk__in=list(citations))
        .exclude(source__in=list(sources))
        .values_list("record", flat=True)
    )
    return list(record_model._base_manager.filter(pk__in=now - after, publication=Publication.PUBLISHED))


def support_lost_without(objs: Iterable[models.Model]) -> list[models.Model]:
    """The published records that would be left citing nothing the public can see once
    `objs` (citations or sources) no longer count: unpublished, deleted or moved. Other
    objects take no support away."""
    objs = list(objs)
    sources = [obj.pk for obj in objs if isinstance(obj, Source)]
    lost = []
    for citation in citation_models():
        going = [obj.pk for obj in objs if type(obj) is citation]
        if not (going or sources):
            continue
        cited = citation._base_manager.filter(Q(pk__in=going) | Q(source__in=sources)).values("record")
        record_model = citation._meta.get_field("record").related_model
        lost += records_losing_support(record_model, cited, citations=going, sources=sources)
    return lost


def refuse_support_lost(objs: Iterable[models.Model]) -> None:
    if lost := support_lost_without(objs):
        raise Uncited(lost)


# --- Parts ---------------------------------------------------------------------------


def draft_parts(records: list[models.Model]) -> list[models.Model]:
    """The parts of `records`, at any depth, that are drafts: what publishing the
    records with their parts would publish too. One query per kind of part."""
    if not records:
        return []
    ids = {type(records[0]): [record.pk for record in records]}
    drafts = []
    for child, fk, parent in descendants(type(records[0])):
        rows = list(child._base_manager.filter(**{f"{fk}__in": ids[parent]}).order_by("pk"))
        ids[child] = [row.pk for row in rows]
        drafts += [row for row in rows if row.publication == Publication.DRAFT]
    return drafts


# --- Services ------------------------------------------------------------------------


def _set_publication(objs: Iterable[models.Model], state: str, *, user, reason: str) -> list[models.Model]:
    """Save each object whose state differs, one history row each; those it changed."""
    changed = []
    for obj in objs:
        if obj.publication == state:
            continue
        obj.publication = state
        record_reason(obj, user, reason)
        obj.save()
        changed.append(obj)
    return changed


def _require_publisher(user, objs: Iterable[models.Model]) -> None:
    for model in dict.fromkeys(type(obj) for obj in objs):
        if not can_publish(user, model):
            raise Refused(f"You may not publish or unpublish {model._meta.verbose_name_plural}.")


def publish(records: list[models.Model], *, user, with_parts: bool = False) -> tuple[list, list]:
    """Publish `records` and, `with_parts`, their draft parts (steps, citations, names,
    participations): all or nothing. Returns (records published, parts published)."""
    parts = draft_parts(records) if with_parts else []
    _require_publisher(user, [*records, *parts])
    with transaction.atomic(), one_change():
        # Parts first: a record's citations are among them.
        published_parts = _set_publication(parts, Publication.PUBLISHED, user=user, reason=PUBLISHED_REASON)
        published = _set_publication(records, Publication.PUBLISHED, user=user, reason=PUBLISHED_REASON)
        refuse_uncited([*published, *published_parts])
    return published, published_parts


def unpublish(objs: list[models.Model], *, user) -> list[models.Model]:
    """Take `objs` off the public site. Their parts keep their own state: the public site
    shows them only through their record. A source or citation whose records would be
    left citing nothing visible stays published (all or nothing)."""
    _require_publisher(user, objs)
    with transaction.atomic(), one_change():
        refuse_support_lost(objs)
        return _set_publication(objs, Publication.DRAFT, user=user, reason=UNPUBLISHED_REASON)


def delete(objs: list[models.Model], *, user, reason: str = DELETED_REASON) -> int:
    """Delete `objs` with their parts, one change: each deletion's history row says who
    and why, and the parts deleted with a record are restored with it. A citation or
    source that is a published record's last visible support is not deleted."""
    with transaction.atomic(), one_change():
        refuse_support_lost(objs)
        for obj in objs:
            record_reason(obj, user, reason)
            obj.delete()
    return len(objs)


def save_edit(obj: models.Model, *, user, reason: str, created: bool, save_links=None) -> None:
    """Save an editor's change to one row (a form, an import row): the publication guard,
    who and why. `save_links`, if given, saves the row's many-to-many links right after
    it, so that a record with tracked links gets one history row with its links."""
    keep_publication(user, obj)
    record_reason(obj, user, reason)
    with one_version(obj, created=created):
        obj.save()
        if save_links is not None:
            save_links()


def record_loaded(objs: Iterable[models.Model], *, user, reason: str) -> int:
    """Write the first history row of rows loaded raw (loaddata writes none), one change,
    and hold the loaded data to the rules a form would: each row's own (full_clean: a
    quote must stand in its source's archived text, and its paragraph is found there) and
    the citation rule. A row that breaks one is refused (ValidationError naming each, or
    Uncited) and the load rolls back with the caller's transaction."""
    objs = list(objs)
    problems = []
    for obj in objs:
        try:
            # The rows are in the database already: its keys and check constraints have
            # held them, so only the rules the database cannot check are run here.
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems += [f"{obj._meta.verbose_name} “{obj}”: {message}" for message in error.messages]
    if problems:
        raise ValidationError(problems)
    with one_change():
        for obj in objs:
            record_reason(obj, user, reason)
            obj.save()
    refuse_uncited(objs)
    return len(objs)


def check_edit(objs: Iterable[models.Model]) -> None:
    """After an edit is saved, in its transaction: the records it touched still keep the
    citation rule (raise Uncited, and the edit rolls back)."""
    refuse_uncited(objs)


def restore_version(
    obj: models.Model, *, user, reason: str, links: dict[str, list] | None = None
) -> models.Model:
    """Make an older version's values (`obj`, built from it and perhaps edited) the
    record's values again, with the links that version had. One history row."""
    with transaction.atomic(), one_change():
        save_edit(
            obj, user=user, reason=reason, created=False, save_links=lambda: _set_links(obj, links or {})
        )
        refuse_uncited([obj])
    return obj


def _set_links(obj: models.Model, links: dict[str, list]) -> None:
    for name, keys in links.items():
        field = obj._meta.get_field(name)
        getattr(obj, name).set(field.related_model._base_manager.filter(pk__in=keys))


def last_deletion(model: type[models.Model], pk) -> models.Model | None:
    """The history row of a record's deletion, if it is deleted and has not come back."""
    if model._base_manager.filter(pk=pk).exists():
        return None
    history = get_history_model_for_model(model)
    key = model._meta.pk.attname
    return (
        history.objects.filter(history_type="-", **{key: pk}).order_by("-history_date", "-history_id").first()
    )


def parts_deleted_with(deletion) -> list:
    """The last versions of the parts deleted in the same change as the record whose
    deletion row is `deletion` (and not restored since), parents before their parts."""
    model = deletion.instance_type
    if deletion.history_change is None:  # deleted before changes were recorded
        return []
    ids = {model: [deletion.instance.pk]}
    found = []
    for child, fk, parent in descendants(model):
        history = get_history_model_for_model(child)
        key = child._meta.pk.attname
        rows = (
            history.objects.filter(
                history_type="-",
                history_change=deletion.history_change,
                **{f"{child._meta.get_field(fk).attname}__in": ids[parent]},
            )
            .exclude(**{f"{key}__in": child._base_manager.values("pk")})
            .order_by("history_id")
        )
        ids[child] = [row.instance.pk for row in rows]
        found += list(rows)
    return found


def restore_deleted(
    deletion,
    *,
    user,
    obj: models.Model | None = None,
    reason: str = RESTORED_REASON,
    links: dict[str, list] | None = None,
):
    """Bring a deleted record back, with the parts deleted with it; each gets a history
    row saying so. `obj` and `links` give the record's values and links (by default,
    those it had when it was deleted: the version before its deletion; links are removed
    before their record, so the deletion's own row lists none). All or nothing: if one
    row cannot come back (a related record has since been deleted, say), nothing does
    and ValidationError says why; Uncited if the record would be on the site citing
    nothing visible. Returns (record, parts restored)."""
    model = deletion.instance_type
    if model._base_manager.filter(pk=deletion.instance.pk).exists():
        raise Refused(f"“{deletion.instance}” is not deleted.")
    before = deletion.prev_record or deletion
    obj = obj if obj is not None else before.instance
    links = links if links is not None else linked_keys(before)
    parts = parts_deleted_with(deletion)
    with transaction.atomic(), one_change():
        restored = [_restore_row(obj, user=user, reason=reason, links=links)]
        restored += [_restore_row(row.instance, user=user, reason=reason) for row in parts]
        refuse_uncited(restored)
    return obj, restored[1:]


def _restore_row(
    obj: models.Model, *, user, reason: str, links: dict[str, list] | None = None
) -> models.Model:
    """Save one deleted row again, checked as a form would check it (its related records
    must still exist, its key must still be free)."""
    label = f"{obj._meta.verbose_name} “{obj}”"
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
    obj._state.adding = True
    save_edit(obj, user=user, reason=reason, created=True, save_links=lambda: _set_links(obj, links or {}))
    return obj
