"""Bulk import in the admin (django-import-export), with the columns of the exports.

An import reads exactly the CSV that /export/<dataset>.csv and `manage.py export`
write (each app's exports.py is the one list of columns), so a file exported, edited in a
spreadsheet and imported back changes only what was edited: unchanged rows are
skipped and write no history. The admin shows a dry-run preview first, with each
row's errors (an EDTF date that does not parse, an unknown treaty, a bad status code).

- A row whose `id` is empty adds a record, as a draft; a row with an `id` updates that
  record and keeps its publication state. An `id` that names no record is refused
  (it would otherwise create a record under a key the database has not issued).
- The exports name only what the public may see: an event's link to a draft treaty or
  body is not in its `treaties` or `bodies` cell. Importing keeps such links (they are
  added back to the row before it is compared), so a round trip cannot drop them.
- Columns the site computes (date bounds, `deprecated`) and the event's `people`
  (participations carry a role, edited on the event's page) are read back but ignored;
  the import page lists them.
- A text cell the export neutralised for spreadsheets (a leading apostrophe before
  = + - @) is read back without the apostrophe.
- Each saved row's history says who imported it, from which file.
"""

import functools

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from import_export import resources, widgets
from import_export.admin import ImportMixin
from import_export.fields import Field
from import_export.formats import base_formats

from coe_kz import publication
from coe_kz.csvexport import FORMULA_TRIGGERS, MULTI_SEPARATOR
from coe_kz.datasets import Dataset
from coe_kz.models import Publication
from coe_kz.visibility import public


class TextWidget(widgets.CharWidget):
    """Free text, with the export's formula neutralising undone."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text and text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
            return text[1:]
        return text


def _key_name(model: type[models.Model]) -> str:
    return model._meta.pk.verbose_name


class KeyWidget(widgets.ForeignKeyWidget):
    """A related record by its key, as the exports write it; an unknown key is a row error."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                f"No {self.model._meta.verbose_name} with the {_key_name(self.model)} “{value}”."
            ) from None


class KeysWidget(widgets.ManyToManyWidget):
    """Related records by their keys joined with `;`; an unknown key is a row error."""

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        wanted = {key.strip() for key in str(value or "").split(self.separator) if key.strip()}
        missing = wanted - {str(getattr(obj, self.field)) for obj in found}
        if missing:
            raise ValueError(
                f"No {self.model._meta.verbose_name} with the {_key_name(self.model)} "
                f"{', '.join(f'“{key}”' for key in sorted(missing))}."
            )
        return found


def _import_field(model: type[models.Model], name: str) -> Field | None:
    """The resource field that imports column `name`, or None when the site computes it."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if field.primary_key:
        return Field(attribute=field.attname, column_name=name, widget=widgets.IntegerWidget())
    if not field.editable:
        return None
    if field.many_to_many:
        target = field.related_model
        widget = KeysWidget(target, field=target._meta.pk.name, separator=MULTI_SEPARATOR)
        return Field(attribute=name, column_name=name, widget=widget)
    if field.many_to_one:
        target = field.related_model
        return Field(attribute=name, column_name=name, widget=KeyWidget(target, field=target._meta.pk.name))
    if isinstance(field, models.CharField | models.TextField):
        widget = widgets.CharWidget() if field.choices else TextWidget()
        return Field(attribute=name, column_name=name, widget=widget)
    return Field(
        attribute=name, column_name=name, widget=resources.ModelResource.widget_from_django_field(field)()
    )


class DatasetResource(resources.ModelResource):
    """Imports one export dataset's rows into its model. Built by `dataset_resource`."""

    dataset_name = ""
    columns: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()

    def before_import(self, dataset, **kwargs):
        """The file must have the export's columns, no more and no fewer: a missing
        column would silently keep old values, an unknown one is likely a typo."""
        headers = [str(header).strip() for header in dataset.headers or ()]
        missing = [name for name in self.columns if name not in headers]
        unknown = [name for name in headers if name not in self.columns]
        if missing or unknown:
            problems = []
            if missing:
                problems.append(f"lacks the columns {', '.join(missing)}")
            if unknown:
                problems.append(f"has columns the export does not: {', '.join(unknown)}")
            raise ValueError(
                f"The file {' and '.join(problems)}. Start from the {self.dataset_name} "
                f"export (/export/{self.dataset_name}.csv) and keep its header row."
            )

    def before_import_row(self, row, **kwargs):
        key = self._meta.model._meta.pk
        value = row.get(key.attname)
        if value in (None, ""):
            return
        existing = self.get_queryset().filter(pk=value).first()
        if existing is None:
            raise ValueError(
                f"No {self._meta.model._meta.verbose_name} has the id {value}. "
                "Leave id empty to add a new one."
            )
        self.keep_hidden_links(existing, row)

    def keep_hidden_links(self, existing, row) -> None:
        """Add to each many-to-many cell the keys of linked records the export leaves out
        (drafts), so that importing the export does not unlink them."""
        for field in self.get_import_fields():
            if not isinstance(field.widget, KeysWidget) or field.column_name not in row:
                continue
            linked = getattr(existing, field.attribute).all()
            hidden = [
                str(pk)
                for pk in linked.exclude(pk__in=public(linked).values("pk")).values_list("pk", flat=True)
            ]
            if hidden:
                cell = [
                    key.strip()
                    for key in str(row[field.column_name] or "").split(MULTI_SEPARATOR)
                    if key.strip()
                ]
                row[field.column_name] = MULTI_SEPARATOR.join(
                    cell + [key for key in hidden if key not in cell]
                )

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            instance.publication = Publication.DRAFT

    def save_instance(self, instance, is_create, row, **kwargs):
        """Through the publication services: the import cannot publish, and each row's
        history says who imported it from which file, with its links as imported."""
        reason = f"Imported from {kwargs.get('file_name') or 'a CSV file'}"
        publication.save_edit(
            instance,
            user=kwargs.get("user"),
            reason=reason,
            created=is_create,
            save_links=lambda: super(DatasetResource, self).save_m2m(instance, row, **kwargs),
        )

    def save_m2m(self, instance, row, **kwargs):
        """Nothing: save_instance saves the links with the row, as one version."""


def dataset_resource(model: type[models.Model], dataset: Dataset) -> type[DatasetResource]:
    """The import resource for one export dataset: its importable columns become
    fields, in the export's order; computed ones are listed as ignored."""
    return _resource(model, dataset.name, tuple(column.name for column in dataset.columns))


@functools.cache
def _resource(
    model: type[models.Model], dataset_name: str, columns: tuple[str, ...]
) -> type[DatasetResource]:
    fields = {name: _import_field(model, name) for name in columns}
    importable = [name for name, field in fields.items() if field is not None]
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "name": f"{dataset_name} (the columns of /export/{dataset_name}.csv)",
            "fields": tuple(importable),
            "import_order": tuple(importable),
            "import_id_fields": [model._meta.pk.attname],
            "skip_unchanged": True,
            "report_skipped": True,
            "clean_model_instances": True,
        },
    )
    attrs = {name: field for name, field in fields.items() if field is not None}
    attrs.update(
        {
            "Meta": meta,
            "dataset_name": dataset_name,
            "columns": tuple(columns),
            "ignored": tuple(name for name in columns if fields[name] is None),
            "__module__": __name__,
        }
    )
    return type(f"{model.__name__}DatasetResource", (DatasetResource,), attrs)


class DatasetImportMixin(ImportMixin):
    """Admin mixin: import `import_dataset`'s CSV, for users who may add and change."""

    import_dataset: Dataset
    import_formats = [base_formats.CSV]
    import_template_name = "admin/coe_kz/import.html"

    def get_import_resource_classes(self, request):
        return [dataset_resource(self.model, self.import_dataset)]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def process_result(self, result, request):
        response = super().process_result(result, request)
        saved = [row.instance for row in result.valid_rows() if row.import_type in ("new", "update")]
        self.after_bulk_save(request, saved)
        return response

    def get_import_context_data(self, **kwargs):
        resource = dataset_resource(self.model, self.import_dataset)
        return {
            **super().get_import_context_data(**kwargs),
            "dataset_name": self.import_dataset.name,
            "ignored_columns": resource.ignored,
        }
