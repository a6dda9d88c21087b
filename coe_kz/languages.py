"""The languages of record texts (django-modeltranslation), in one place.

A translated field (a treaty's `title`) has a column per language (`title_en`,
`title_kk`, `title_ru`) and reads in the active language, falling back to English. English
is the original: the field's own column (`title`) always holds the English text, because
every write goes through `in_original_language()` (Publishable.save and delete, `seed`).
So a reader, a query or an export that wants the English text reads the field's own
column, as before translations existed; one that wants another language reads its column
and falls back to that one.

Each app registers its models' translated fields in its own `translation.py` with
`translatable()`, which registers the model's history too, so that every version keeps
every language.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

ORIGINAL = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def codes() -> list[str]:
    """The languages of the site, English first: ["en", "kk", "ru"]."""
    return [code for code, _ in settings.LANGUAGES]


def localized(name: str, language: str) -> str:
    """The column of field `name` in `language`: title, ru → title_ru."""
    return f"{name}_{language}"


def current() -> str:
    """The active language as one of codes() (en-gb reads as en); English when none is."""
    language = (translation.get_language() or ORIGINAL).lower()
    if language in codes():
        return language
    base = language.split("-")[0]
    return base if base in codes() else ORIGINAL


@contextmanager
def in_original_language():
    """Writes inside keep each translated field's own column in English: a save reads the
    field in the active language, and the active language is English here."""
    with translation.override(ORIGINAL):
        yield


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The names of the model's translated fields ("title", "summary"); none when the model
    has none. Read from the columns themselves, so a migration's historical model answers
    alike."""
    names = {f.name for f in model._meta.concrete_fields}
    return tuple(
        f.name
        for f in model._meta.concrete_fields
        if all(localized(f.name, code) in names for code in codes())
    )


def text_expression(path: str, language: str, output_field: models.Field) -> models.Func:
    """A translated field's text in `language` as a query expression (`path` may cross
    relations: "record__title"): that language's column where it has text, else the
    English column, else the field's own (a row written behind modeltranslation's back).
    Not rewritten by the active language, so a query reads the same for any address."""
    english = [models.F(localized(path, ORIGINAL)), models.F(path)]
    if language == ORIGINAL:
        return Coalesce(*english, output_field=output_field)
    column = NullIf(models.F(localized(path, language)), models.Value(""), output_field=output_field)
    return Coalesce(column, *english, output_field=output_field)


def text_in(obj, name: str, language: str) -> str:
    """`obj`'s field `name` in `language`, or "" when it has no text in that language."""
    return getattr(obj, localized(name, language), None) or ""


def translatable(model: type[models.Model], *fields: str, required: tuple[str, ...] = ()) -> None:
    """Register `model`'s `fields` (and those its registered abstract bases declare) for
    translation, and give its history model the same language columns: simple-history
    copies every field of a record into its version, so every version keeps every
    language. The history gets plain columns, not modeltranslation's: a version holds what
    was saved, and its queries are not rewritten by language. `required`: the fields whose
    English text is required (as the field itself is)."""
    from modeltranslation.translator import TranslationOptions, translator
    from simple_history.utils import get_history_model_for_model

    options = {"fields": fields}
    if required:
        options["required_languages"] = {ORIGINAL: required, "default": ()}
    translator.register(model, type(f"{model.__name__}Translation", (TranslationOptions,), options))
    history = get_history_model_for_model(model)
    for name in translator.get_options_for_model(model).all_fields:
        for code in codes():
            column = model._meta.get_field(localized(name, code))
            plain = column.translated_field.clone()
            plain.null, plain.blank, plain.verbose_name = True, column.blank, column.verbose_name
            history.add_to_class(column.name, plain)


def copy_originals(*labels: str):
    """A RunPython function for the migration that adds a model's language columns: each
    translated field's English column gets the text its own column already holds, in the
    model's rows and its history's."""

    def forwards(apps, schema_editor):
        for label in labels:
            model = apps.get_model(label)
            names = translated_fields(model)
            model._base_manager.update(**{localized(name, ORIGINAL): models.F(name) for name in names})

    return forwards
