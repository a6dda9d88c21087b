"""Search that ignores case and accents, the same on SQLite and PostgreSQL.

Neither database can be trusted to fold text the way a reader expects: SQLite's LIKE
folds ASCII letters only ("björn" does not find "Björn"), and PostgreSQL's `unaccent`
extension may not be installed. So each searchable model keeps a copy of the text its
search reads, folded by `fold()` (lowercase, no accents), in a `SearchTextField` filled
on every save, fixtures included; a search folds its query the same way and matches
that column with a plain `contains`.
"""

import unicodedata

from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver

# Letters with no Unicode decomposition into a base letter and a mark (Bjørn, Łukasz).
UNDECOMPOSABLE = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ı": "i", "æ": "ae", "œ": "oe"})


def fold(text: str) -> str:
    """`text` casefolded, compatibility-decomposed and without combining marks:
    "BJÖRN", "Björn" and "bjorn" all become "bjorn"; "Xuclà" becomes "xucla"."""
    # Decomposed before casefolding too, so that compatibility forms fold as well (№ is No).
    folded = unicodedata.normalize("NFKD", text).casefold().translate(UNDECOMPOSABLE)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class SearchTextField(models.TextField):
    """The folded text of the model's fields named in `of`, one per line, for search
    only: not editable, so no admin form or import shows it. Filled on save."""

    def __init__(self, *args, of=(), **kwargs):
        self.of = tuple(of)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault(
            "help_text",
            "What search matches: the searched fields, lowercase and without accents. Computed on save.",
        )
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["of"] = list(self.of)
        return name, path, args, kwargs


def search_text_fields(model: type[models.Model]) -> list[SearchTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, SearchTextField)]


def fill_search_text(instance: models.Model) -> None:
    for field in search_text_fields(type(instance)):
        values = (getattr(instance, name) or "" for name in field.of)
        setattr(instance, field.attname, "\n".join(fold(str(value)) for value in values))


@receiver(pre_save, dispatch_uid="coe_kz.fill_search_text")
def fill_search_text_on_save(sender, instance, raw=False, **kwargs):
    """Fold the searched fields before a row is written, loaddata included (pre_save is
    the one hook a raw fixture save still sends)."""
    fill_search_text(instance)


def refill_search_text(*labels: str):
    """A RunPython function for the migration that adds a model's search column: folds
    the text of the rows already there."""

    def forwards(apps, schema_editor):
        for label in labels:
            model = apps.get_model(label)
            rows = list(model._base_manager.all())
            for row in rows:
                fill_search_text(row)
            names = [f.name for f in search_text_fields(model)]
            model._base_manager.bulk_update(rows, names, batch_size=500)

    return forwards
