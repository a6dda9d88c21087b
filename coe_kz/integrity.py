"""The integrity check behind `manage.py verify`: the whole database against the rules.

The publication services keep these rules on every path they serve; this finds what
was written behind their back (a shell, a data migration, a manual repair). Breaches:

- a published record that must cite a source and cites none the public can see;
- a row whose fields break their validators and rules (keys, codes, EDTF dates; a
  quote or a passage set aside that is not in its source's archived text; an archived
  text that no longer matches its SHA-256);
- a field its rules find (a citation's paragraph) stored with another value;
- a date whose stored bounds are not those its EDTF string means;
- a search column out of step with the text it folds;
- a release's file whose bytes are no longer those it was released with (its SHA-256);
- a number the database keeps in place of counting (a model's `kept_number_findings`,
  such as each person's number of public events) that is not the count.

Warnings (printed, not failing): steps that contradict the order of the others, which
sources can give (coe_kz.status.order_problems); sentences of a published source's
text that no published citation quotes and no published passage set aside holds.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse

from coe_kz.coverage import accounted_for
from coe_kz.dates import DateBounds, edtf_fields, parse_bounds
from coe_kz.languages import ORIGINAL, localized, translated_fields
from coe_kz.models import Publication, ReleaseFile, Source
from coe_kz.records import citation_model, curated_models, dated_record_models
from coe_kz.status import order_problems
from coe_kz.text import fill_search_text, search_text_fields
from coe_kz.visibility import public

# Rows read per query: memory stays flat however large the tables.
CHUNK = 2000
UNCITED = "published, but cites no source the public can see (a published citation from a published source)."


@dataclass(frozen=True)
class Finding:
    """One breach (or, with `warning`, something to check) in one row."""

    row: models.Model
    problem: str
    warning: bool = False
    page: str = ""  # the admin page to see it on, for a row that has none of its own

    @property
    def admin_path(self) -> str:
        if self.page:
            return self.page
        opts = self.row._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.row.pk])

    def __str__(self) -> str:
        return f"{self.row._meta.verbose_name} “{self.row}”: {self.problem}"


def findings() -> Iterator[Finding]:
    """Every breach and warning in the database, model by model."""
    for model in curated_models():
        yield from uncited_records(model)
        yield from broken_rows(model)
    yield from altered_release_files()
    for model in apps.get_models():
        if kept_number_findings := getattr(model, "kept_number_findings", None):
            yield from kept_number_findings()
    yield from order_warnings()
    yield from open_sentences()


def uncited_records(model: type[models.Model]) -> Iterator[Finding]:
    """Published records citing nothing visible: one query, whatever their number."""
    citation = citation_model(model)
    if citation is None:
        return
    visible = citation.objects.visible().filter(record=OuterRef("pk"))
    rows = (
        model._base_manager.filter(publication=Publication.PUBLISHED).exclude(Exists(visible)).order_by("pk")
    )
    for row in rows.iterator(chunk_size=CHUNK):
        yield Finding(row, UNCITED)


def broken_rows(model: type[models.Model]) -> Iterator[Finding]:
    """Rows whose fields break their validators and rules, whose found fields, date
    bounds or search text are not what their own fields make them. What a rule reads
    (a citation's source) is joined in the same query."""
    dates = edtf_fields(model)
    searched = search_text_fields(model)
    translated = translated_fields(model)
    found = getattr(model, "FOUND_BY_CLEAN", ())
    rows = model._base_manager.select_related(*getattr(model, "CLEAN_READS", ())).order_by("pk")
    for row in rows.iterator(chunk_size=CHUNK):
        stored_found = {name: getattr(row, name) for name in found}
        # A translated field's own column, as loaded (reading the field gives a language's).
        own = {name: row.__dict__.get(name) or "" for name in translated}
        try:
            # Unique and check constraints are the database's own; the rest is checked here.
            row.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    yield Finding(row, f"{field}: {message}")
        for name, value in stored_found.items():
            if (now := getattr(row, name)) != value:
                yield Finding(row, f"{name}: {value} is stored, but the text gives {now} (re-save it).")
        for field in dates:
            yield from _bounds_problem(row, field)
        for name, value in own.items():
            # The field's own column is its English text (coe_kz/languages.py).
            if value != (getattr(row, localized(name, ORIGINAL)) or ""):
                yield Finding(row, f"{name}: its own column is not its English text (re-save it).")
        if searched:
            stored = {f.attname: getattr(row, f.attname) for f in searched}
            fill_search_text(row)
            if any(getattr(row, name) != value for name, value in stored.items()):
                yield Finding(row, "its search text is out of date (re-save it to refresh it).")


def _bounds_problem(row: models.Model, field) -> Iterator[Finding]:
    value = getattr(row, field.attname)
    try:
        expected = parse_bounds(value) if value else DateBounds(None, None)
    except ValidationError:
        return  # full_clean has said what is wrong with the date itself
    stored = DateBounds(getattr(row, f"{field.attname}_earliest"), getattr(row, f"{field.attname}_latest"))
    if stored != expected:
        yield Finding(
            row,
            f"{field.name} “{value}” means {expected.earliest} to {expected.latest}, "
            f"but {stored.earliest} to {stored.latest} is stored.",
        )


def altered_release_files() -> Iterator[Finding]:
    """Release files whose bytes do not hash to the SHA-256 written with them: a release is
    cited by its bytes. Each file is read in parts (ReleaseFile.chunks)."""
    for file in ReleaseFile.objects.defer("content").select_related("release").order_by("pk"):
        digest = hashlib.sha256()
        for part in file.chunks():
            digest.update(part)
        if digest.hexdigest() != file.sha256:
            yield Finding(
                file.release, f"its file {file.name} is no longer the one released (SHA-256 {file.sha256})."
            )


def order_warnings() -> Iterator[Finding]:
    for record_model in dated_record_models().values():
        for record in record_model.objects.for_status().order_by("pk"):
            for problem in order_problems(record.dated_steps(), *record_model.STEP_ORDER):
                yield Finding(record, f"check the order of its steps: {problem}", warning=True)


def open_sentences() -> Iterator[Finding]:
    """Sentences of a published archived text that nothing public accounts for."""
    sources = list(public(Source.objects.exclude(text="")).order_by("pk"))
    accounted = accounted_for(sources)
    for source in sources:
        for sentence in (a.sentence for a in accounted[source.pk] if a.is_open):
            yield Finding(
                source,
                f"sentence {sentence.label} (“{sentence.text}”) is neither cited nor set aside.",
                warning=True,
            )
