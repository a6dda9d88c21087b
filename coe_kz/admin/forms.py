"""The admin's forms: a record's change form and its inline formsets.

Each form checks its own rows; what a rule says about the record as a whole (a reason
for changing a published record, a visible citation for a published one) is checked
where the rows it depends on are: by the record's form for its own fields, by the
citation rows' formset for its citations. Errors about the record are shown at the
record's fields (HistoryAdmin.render_change_form moves them there).
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet

from coe_kz import publication
from coe_kz.models import Publication
from coe_kz.records import citation_model

REASON_FIELD = "change_reason"
REASON_NEEDED = (
    "This record is published: say why you are changing it. "
    "The reason is kept in its history and shown in the public change log."
)
CITATION_NEEDED = (
    "A published record must cite a source the public can see: add a citation with its quote "
    "below, set it to Published too (its source must be published), or keep this record a draft."
)
CITATION_REQUIRED = {
    "quote": "A citation needs a quote: copy the sentence that carries the fact, verbatim from the source.",
    "source": "A citation needs a source: choose the text the quote comes from.",
}
# An error a formset raises about its record, shown at this field of the record's form.
RECORD_ERROR = "record:"


def record_error(message: str, field: str | None) -> ValidationError:
    """A formset's error about the record it belongs to, to be shown at `field` of the
    record's form (None: at the top of the form)."""
    return ValidationError(message, code=f"{RECORD_ERROR}{field or ''}")


def stored(model: type[models.Model], pk) -> models.Model | None:
    return model._base_manager.filter(pk=pk).first() if pk is not None else None


def is_published_in_database(obj: models.Model) -> bool:
    stored_obj = stored(type(obj), obj.pk) if not obj._state.adding else None
    return stored_obj is not None and stored_obj.publication == Publication.PUBLISHED


class EditForm(forms.ModelForm):
    """Every admin change form: a reason for the change, required when the stored record
    is published; duplicate keys refused in plain words."""

    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=publication.REASON_LENGTH,
        help_text="A sentence saying why, for example “Date corrected from the Treaty Office”. "
        "Required when the record is published: the public change log shows it.",
    )

    def clean(self):
        cleaned = super().clean()
        self.refuse_duplicate_key(cleaned)
        # Publishing or unpublishing alone explains itself ("Published", "Unpublished").
        changed = any(name not in (REASON_FIELD, "publication") for name in self.changed_data)
        if changed and not cleaned.get(REASON_FIELD) and is_published_in_database(self.instance):
            self.add_error(REASON_FIELD, REASON_NEEDED)
        return cleaned

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


class EditFormSet(BaseInlineFormSet):
    """Every inline formset: changing a published record's rows needs a reason too (the
    record's form has the field; its value comes with the same POST)."""

    def clean(self):
        super().clean()
        if (
            self.has_changed()
            and not (self.data.get(REASON_FIELD) or "").strip()
            and is_published_in_database(self.instance)
        ):
            raise record_error(REASON_NEEDED, REASON_FIELD)


class CitationFormSet(EditFormSet):
    """A record's citation rows: a record that will be published must keep at least one
    citation the public can see among them."""

    def clean(self):
        super().clean()
        record = self.instance
        if citation_model(type(record)) is None or record.publication != Publication.PUBLISHED:
            return
        if any(self.will_be_visible(form) for form in self.forms):
            return
        if not is_published_in_database(record):
            raise record_error(CITATION_NEEDED, "publication")
        # A published record that cites nothing visible today is the publisher's to fix;
        # an edit may only not take its last visible citation away.
        if publication.publicly_cited(type(record), [record.pk]):
            field = "publication" if "publication" in self.data else None
            raise record_error(publication.LOSES_SUPPORT.format(records=publication.named([record])), field)

    def will_be_visible(self, form) -> bool:
        cleaned = getattr(form, "cleaned_data", None)
        if not cleaned or cleaned.get("DELETE"):
            return False
        source = cleaned.get("source")
        state = cleaned.get("publication", form.instance.publication)
        return (
            state == Publication.PUBLISHED
            and source is not None
            and source.publication == Publication.PUBLISHED
        )


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
        stored_citation = stored(self._meta.model, self.instance.pk)
        if stored_citation is None:
            return cleaned
        source = cleaned.get("source", stored_citation.source)
        record = cleaned.get("record")
        still_counts = (
            cleaned.get("publication", stored_citation.publication) == Publication.PUBLISHED
            and source is not None
            and source.publication == Publication.PUBLISHED
            and (record is None or record.pk == stored_citation.record_id)
        )
        if not still_counts and (lost := publication.support_lost_without([stored_citation])):
            self.add_error(None, publication.LOSES_SUPPORT.format(records=publication.named(lost)))
        return cleaned


class SourceForm(EditForm):
    """A source on its own page: unpublishing it may not leave published records citing
    nothing the public can see. A text pasted in to archive it is kept as it is, white
    space included (only a browser's CR LF line ends become LF): it is hashed as stored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            self.fields["text"].strip = False

    def clean_text(self):
        return self.cleaned_data["text"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("publication") == Publication.DRAFT
            and is_published_in_database(self.instance)
            and (lost := publication.support_lost_without([self.instance]))
        ):
            self.add_error("publication", publication.LOSES_SUPPORT.format(records=publication.named(lost)))
        return cleaned


def show_record_errors(form, formsets) -> None:
    """Show what the formsets found wrong with the record itself (record_error) at the
    record's own fields, once: the editor fixes the record there, not in a row."""
    for formset in formsets:
        errors = formset.non_form_errors()
        kept = []
        for error in errors.as_data():
            code = error.code or ""
            if not code.startswith(RECORD_ERROR):
                kept.append(error)
                continue
            field = code.removeprefix(RECORD_ERROR) or None
            field = field if field in form.fields else None
            for message in error.messages:
                if message not in form.errors.get(field or NON_FIELD_ERRORS, []):
                    form.add_error(field, message)
        errors.data = kept


class SetAsideForm(EditForm):
    """A passage set aside: whole sentences of its source's text, with the reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        messages = {
            "passage": "Copy the sentences set aside from the source's text.",
            "reason": "Say why these sentences record no fact.",
        }
        for name, message in messages.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
