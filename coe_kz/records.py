"""What each curated model is to the site, from what the apps declare on their models.

A curated model is one with a publication state and an edit history (every model of
the apps, and Source). It is either a record with a page of its own (a treaty, a body,
an event, a person, a source) or a part of one, shown on another record's page. A part
declares `BELONGS_TO`: its foreign keys to the records it belongs to, the first naming
the page it is shown on (a step's treaty; a citation's record; a participation's event,
then its person). A model may add `ALSO_REQUIRES`: other foreign keys whose records must
be published for a row of it to show (a citation's source).

Everything that depends on the shape of the data is derived from those declarations,
here and nowhere else: what must be published for a row to show (coe_kz.visibility),
which rows go with a record when it is published, deleted or restored (the publication
services), whose history shows on which record's page (the change log), and which page
to preview a draft part on.
"""

import functools

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from coe_kz.models import CitationBase, HasDatedSteps, Publishable

PREVIEW_PARAM = "preview"


def belongs_to(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(getattr(model, "BELONGS_TO", ()))


def has_page(model: type[models.Model]) -> bool:
    """A record with a page of its own: it belongs to no other record."""
    return not belongs_to(model)


@functools.cache
def curated_models() -> tuple[type[models.Model], ...]:
    """Every curated model, in the apps' order: publishable, with an edit history."""
    return tuple(
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and getattr(model._meta, "simple_history_manager_attribute", None)
    )


def _related(model: type[models.Model], name: str) -> type[models.Model]:
    return model._meta.get_field(name).related_model


@functools.cache
def owner_paths(model: type[models.Model]) -> tuple[str, ...]:
    """Every lookup path from `model` to a record it belongs to, at any depth, nearest
    first: ("record", "record__treaty") for a treaty step's citation."""
    paths = []
    for name in belongs_to(model):
        paths.append(name)
        paths += [f"{name}__{path}" for path in owner_paths(_related(model, name))]
    return tuple(paths)


@functools.cache
def page_paths(model: type[models.Model]) -> tuple[str, ...]:
    """The lookup paths to the records whose pages show a row of `model`, one per
    BELONGS_TO entry followed up to a record with a page: ("record__treaty",) for a
    treaty step's citation, ("event", "person") for a participation; ("pk",) for a
    record with a page of its own."""
    if has_page(model):
        return ("pk",)
    paths = []
    for name in belongs_to(model):
        target = _related(model, name)
        paths.append(name if has_page(target) else f"{name}__{page_paths(target)[0]}")
    return tuple(paths)


def page_model(model: type[models.Model], path: str) -> type[models.Model]:
    """The model a page path of `model` reaches."""
    for name in path.split("__"):
        if name == "pk":
            return model
        model = _related(model, name)
    return model


def required_paths(model: type[models.Model]) -> tuple[str, ...]:
    """Beyond its own state, what must be published for a row of `model` to show:
    every record it belongs to, and what it declares it also needs (a citation's source)."""
    return (*owner_paths(model), *getattr(model, "ALSO_REQUIRES", ()))


@functools.cache
def parts_of(model: type[models.Model]) -> tuple[tuple[type[models.Model], str], ...]:
    """The models whose rows are parts of a `model` record, each with its foreign key to
    it: a treaty's steps; a step's citations; an event's participations and citations;
    a person's other names, participations and citations."""
    return tuple(
        (rel.related_model, rel.field.name)
        for rel in model._meta.related_objects
        if not rel.many_to_many and rel.field.name in belongs_to(rel.related_model)
    )


@functools.cache
def descendants(model: type[models.Model]) -> tuple[tuple[type[models.Model], str, type[models.Model]], ...]:
    """Every part of a record, parts of parts included, as (model, foreign key, parent
    model), parents before their parts: one database query per entry when read."""
    found, queue = [], [model]
    while queue:
        parent = queue.pop(0)
        for child, fk in parts_of(parent):
            found.append((child, fk, parent))
            queue.append(child)
    return tuple(found)


def page_record(obj: models.Model) -> models.Model:
    """The record whose page shows `obj`: itself, or the record it belongs to first."""
    while not has_page(type(obj)):
        obj = getattr(obj, belongs_to(type(obj))[0])
    return obj


def preview_url(obj: models.Model) -> str:
    """Where staff preview `obj` on the site: its page, or the page of the record it
    belongs to (a step's treaty, a citation's record, a participation's event), with
    ?preview=1. For the admin's "Preview on site" link."""
    return f"{page_record(obj).get_absolute_url()}?{PREVIEW_PARAM}=1"


def citation_model(model: type[models.Model]) -> type[CitationBase] | None:
    """The citations of a record that must cite a source (an event, a person, a treaty
    step, a body standing), or None for a record that need not (a treaty, a source)."""
    try:
        related = model._meta.get_field("citations").related_model
    except FieldDoesNotExist:
        return None
    return related if issubclass(related, CitationBase) else None


def citation_models() -> list[type[CitationBase]]:
    """Every concrete citation table, in the apps' order."""
    return [model for model in curated_models() if issubclass(model, CitationBase)]


@functools.cache
def dated_record_models() -> dict[str, type[HasDatedSteps]]:
    """The records with dated steps (treaties, bodies), by the `KIND` each declares."""
    return {model.KIND: model for model in curated_models() if issubclass(model, HasDatedSteps)}


def status_labels(kind: str) -> dict[str, str]:
    """The labels of the status codes of a kind of record ("treaty" or "body")."""
    record = dated_record_models()[kind]
    return {str(code): str(label) for code, label in record.step_model()._meta.get_field("status").choices}


# The records a public page is for, as a word in a sentence ("No treaty with ...").
RECORD_WORDS = {
    "treaty": pgettext_lazy("record", "treaty"),
    "body": pgettext_lazy("record", "body"),
    "event": pgettext_lazy("record", "event"),
    "person": pgettext_lazy("record", "person"),
    "source": pgettext_lazy("record", "source"),
}


def no_record_with(model: type[models.Model], key) -> str:
    """What a page or the API says when no record the public sees has this key: "No treaty
    with the number 99999.", "No body with the key “x”." (treaties, events and steps are
    known by number; bodies, people and sources by a text key)."""
    number = isinstance(model._meta.pk, models.IntegerField)
    shown = key if number and str(key).isascii() and str(key).isdigit() else f"“{key}”"
    words = {"record": RECORD_WORDS.get(model._meta.model_name, model._meta.verbose_name), "key": shown}
    if number:
        return _("No %(record)s with the number %(key)s.") % words
    return _("No %(record)s with the key %(key)s.") % words
