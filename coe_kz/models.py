"""The shared core: sources with their archived texts, the citations that tie every fact
to one, the passages of a text editors set aside, releases (numbered snapshots of every
dataset, kept byte for byte), and the version of what the public sees."""

import datetime
import hashlib
import re
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coe_kz.dates import EDTFField, bound_fields, bounds_constraint, edtf_human
from coe_kz.history import CuratedHistory, one_change
from coe_kz.languages import in_original_language
from coe_kz.passages import CUTS_SENTENCES, Found, archived, not_found_message, sha256_of
from coe_kz.status import status_on
from coe_kz.text import SearchTextField


class Publication(models.TextChoices):
    """Whether the public sees a record. New records start as drafts."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What the public site, feeds and exports may show."""
        return self.filter(publication=Publication.PUBLISHED)


class Publishable(models.Model):
    """A curated record with a publication state. Editors add and change drafts;
    publishers publish them (the `publish_<model>` permission)."""

    publication = models.CharField(
        max_length=10,
        choices=Publication.choices,
        default=Publication.DRAFT,
        db_index=True,
        help_text="draft: visible to editors only; published: on the public site, in feeds and in exports.",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A translated field's own column keeps the English text (coe_kz/languages.py),
        # and so does the version simple-history writes from it.
        with in_original_language():
            super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.publication == Publication.PUBLISHED

    @property
    def log_label(self) -> str:
        """The row as the public change log names it."""
        return str(self)

    def delete(self, *args, **kwargs):
        # The parts a deletion cascades to share its change, so they come back with it.
        with one_change(), in_original_language():
            return super().delete(*args, **kwargs)


class OrderIndex(models.Index):
    """An index in a list's order (expressions with ASC/DESC and NULLS FIRST/LAST), so the
    first rows of a public list are read from it instead of sorting every row.

    SQLite refuses NULLS FIRST/LAST in an index, so there it is built without them: the
    same index PostgreSQL gets, less what only PostgreSQL can use."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        statement = super().create_sql(model, schema_editor, using, **kwargs)
        if schema_editor.connection.vendor != "sqlite":
            return statement
        return str(statement).replace(" NULLS LAST", "").replace(" NULLS FIRST", "")


def publication_rules(label: str, verbose_plural: str) -> dict:
    """The Meta entries every publishable model shares: a database guard on the state
    and the permission that lets a publisher change it."""
    return {
        "constraint": models.CheckConstraint(
            condition=Q(publication__in=Publication.values),
            name=f"{label}_publication_valid",
            violation_error_message="Publication must be draft or published.",
        ),
        "permission": (f"publish_{label}", f"Can publish and unpublish {verbose_plural}"),
    }


class Source(Publishable):
    """A text the knowledge base draws facts from: an article, a web page, a register.
    An article or a page keeps its text, archived as published: every quote from it is
    checked against that text. A register (the Treaty Office's) keeps none: its facts
    cite the register's pages."""

    key = models.SlugField(
        primary_key=True,
        max_length=80,
        help_text=_("Stable key used in URLs and exports, for example mfa-2023-10-07."),
    )
    title = models.CharField(max_length=300)
    publisher = models.CharField(
        max_length=200, blank=True, help_text=_("Empty when the source does not say.")
    )
    published = EDTFField(
        blank=True, help_text=_("Publication date as EDTF; empty when the source gives none.")
    )
    published_earliest, published_latest = bound_fields("published", _("the publication date"))
    language = models.CharField(
        max_length=8, default="en", help_text=_("ISO 639-1 code of the text's language.")
    )
    url = models.URLField(
        "original address", blank=True, help_text=_("The original address of the text, when known.")
    )
    note = models.TextField(
        blank=True, help_text=_("What editors know about this source and how far to trust it.")
    )
    text = models.TextField(
        blank=True,
        help_text="The text as published, archived: paragraphs separated by blank lines, the headline "
        "(or the page's header line) first. Every quote from the source must stand in it. Empty for a "
        "register, whose facts cite its pages.",
    )
    text_sha256 = models.CharField(
        "SHA-256 of the text",
        max_length=64,
        blank=True,
        editable=False,
        help_text=_(
            "SHA-256 of the archived text's UTF-8 bytes, taken when it was archived: a text "
            "changed since no longer matches it."
        ),
    )
    retrieved = EDTFField(
        blank=True,
        help_text=_(
            "When the archived text was retrieved, as EDTF; a range when the exact day was not recorded."
        ),
    )
    retrieved_earliest, retrieved_latest = bound_fields("retrieved", _("the retrieval date"))
    full_text_public = models.BooleanField(
        "full text may be shown",
        default=False,
        help_text=_(
            "Whether the public may read the whole archived text (a licence question: an official "
            "publication may be shown; otherwise only the paragraphs quoted from are)."
        ),
    )
    search_text = SearchTextField(of=["key", "title", "publisher"])

    history = CuratedHistory()

    class Meta:
        ordering = ["key"]
        constraints = [
            bounds_constraint("source", "published"),
            bounds_constraint("source", "retrieved"),
            models.CheckConstraint(
                condition=Q(text="", text_sha256="")
                | (~Q(text="") & Q(text_sha256__regex=r"^[0-9a-f]{64}$")),
                name="source_text_hashed",
                violation_error_message="An archived text keeps its SHA-256; a source with no text has none.",
            ),
            publication_rules("source", "sources")["constraint"],
        ]
        permissions = [publication_rules("source", "sources")["permission"]]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The hash is taken when a text is archived, and kept: a text changed later no
        # longer matches it, which clean() and `manage.py verify` report.
        if not self.text:
            self.text_sha256 = ""
        elif not self.text_sha256:
            self.text_sha256 = sha256_of(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("sources:detail", args=[self.key])

    def clean(self):
        super().clean()
        if self.text and self.text_sha256 and sha256_of(self.text) != self.text_sha256:
            raise ValidationError(
                {"text": "The archived text is not the one that was archived: its SHA-256 differs."}
            )

    def locate(self, quote: str, what: str = "quote") -> Found | None:
        """Where `quote` stands in the archived text; None for a source that keeps no text.
        ValidationError on `what` (the field holding the quote) when it is not there,
        naming the closest passage, so the editor can correct it."""
        if not self.text:
            return None
        read = archived(self.text)
        found = read.find(quote)
        if found is None:
            raise ValidationError({what: not_found_message(read, self.title, quote)})
        return found


class Rank(models.TextChoices):
    """How far editors trust a citation's claim, after Wikidata's statement ranks."""

    PREFERRED = "preferred", _("Preferred")
    NORMAL = "normal", _("Normal")
    DEPRECATED = "deprecated", _("Deprecated")


class RecordQuerySet(PublishableQuerySet):
    """Records with dated steps (treaties, bodies); the model's STEPS names the relation."""

    def for_status(self, *, published_only: bool = False):
        """Everything status_on needs, in two queries whatever the number of records.
        With `published_only`, what the public sees: published records, and only their
        published steps count."""
        steps = self.model.STEPS
        if not published_only:
            return self.prefetch_related(steps)
        step_model = self.model._meta.get_field(steps).related_model
        return self.published().prefetch_related(
            models.Prefetch(steps, queryset=step_model.objects.published())
        )


class HasDatedSteps:
    """A record with dated steps: `STEPS` names the reverse relation to them (a treaty's
    steps, a body's standings); `KIND` names the kind of record in the status datasets
    and pages ("treaty", "body"); `STEP_ORDER` is the order its steps normally come in,
    as coe_kz.status.order_problems takes it (the statuses' ranks, the status that
    resets them)."""

    STEPS = "steps"
    KIND = ""
    STEP_ORDER: tuple[dict[str, int], str] = ({}, "")

    @classmethod
    def step_model(cls):
        return cls._meta.get_field(cls.STEPS).related_model

    def dated_steps(self):
        return getattr(self, self.STEPS).all()

    def status_on(self, day):
        return status_on(self.dated_steps(), day)


class CitationQuerySet(PublishableQuerySet):
    def visible(self):
        """Citations the public can see on their record's page: published, from a
        published source. Only these count for or against a record (see
        StepQuerySet.with_deprecation, and the admin's rule that a published record cites
        at least one)."""
        return self.published().filter(source__publication=Publication.PUBLISHED)


class CitationBase(Publishable):
    """A verbatim quote from a source that supports (or, if deprecated, contradicts
    the preferred reading of) the record it belongs to. Each app adds a concrete
    child table with a foreign key named `record` to what it cites, and names the kind
    of record in `RECORD_TYPE` (the citations dataset's codes)."""

    BELONGS_TO = ("record",)
    # A citation is shown only with its source: a draft source's quotes stay hidden.
    ALSO_REQUIRES = ("source",)
    RECORD_TYPE = ""

    source = models.ForeignKey(
        Source,
        # A source still cited cannot be deleted: the evidence would vanish with it.
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )
    quote = models.TextField(help_text=_("The sentence that carries the fact, verbatim from the source."))
    quote_translation = models.TextField(
        "translation of the quote",
        blank=True,
        help_text="An editor's translation of the quote into a reader's language, shown beside the quote "
        "and labelled as a translation; empty when there is none.",
    )
    paragraph = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1, "Paragraphs are counted from 1 (the headline).")],
        help_text=_("Paragraph of the source the quote stands in, counting the headline as 1."),
    )
    rank = models.CharField(
        max_length=12,
        choices=Rank.choices,
        default=Rank.NORMAL,
        help_text=_(
            "preferred: the reading editors choose where sources disagree; normal: "
            "supports the record; deprecated: a claim editors reject, kept and shown with the reason."
        ),
    )
    rank_reason = models.TextField(
        blank=True, help_text=_("Why this citation is preferred or deprecated; required for both.")
    )
    note = models.TextField(blank=True, help_text=_("What the quote says that differs, or how it was read."))

    objects = CitationQuerySet.as_manager()

    # The quote rule (clean) reads the source; `manage.py verify` joins it and reports a
    # stored paragraph that is not the one the quote stands in.
    CLEAN_READS = ("source",)
    FOUND_BY_CLEAN = ("paragraph",)

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self):
        return f"{self.source_id}: {self.quote[:60]}"

    def clean(self):
        """The quote rule: a quote stands in its source's archived text, and its paragraph
        is the one it stands in (found, not typed)."""
        super().clean()
        if self.source_id is not None and self.quote.strip():
            found = self.source.locate(self.quote)
            if found is not None:
                self.paragraph = found.paragraph

    @property
    def log_label(self) -> str:
        return gettext("citation on %(record)s") % {"record": self.record.cited_label}

    @classmethod
    def constraints_for(cls, label: str) -> list[models.CheckConstraint]:
        return [
            publication_rules(label, "citations")["constraint"],
            models.CheckConstraint(
                condition=Q(rank__in=Rank.values),
                name=f"{label}_rank_valid",
                violation_error_message="Rank must be preferred, normal or deprecated.",
            ),
            models.CheckConstraint(
                condition=~Q(quote=""),
                name=f"{label}_quote_required",
                violation_error_message="A citation needs a verbatim quote.",
            ),
            models.CheckConstraint(
                condition=Q(rank=Rank.NORMAL) | ~Q(rank_reason=""),
                name=f"{label}_ranked_has_reason",
                violation_error_message="Say why this citation is preferred or deprecated.",
            ),
            models.CheckConstraint(
                condition=Q(paragraph__isnull=True) | Q(paragraph__gte=1),
                name=f"{label}_paragraph_from_1",
                violation_error_message="Paragraphs are counted from 1 (the headline).",
            ),
        ]


class SetAside(Publishable):
    """A passage of a source's archived text that states no fact about Kazakhstan and the
    Council of Europe, set aside by an editor with the reason. With the citations, the
    passages set aside account for every sentence of a text: a sentence no quote overlaps
    and no passage set aside holds is open, waiting for an editor."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="set_asides")
    passage = models.TextField(
        help_text="One or more whole sentences, verbatim from the source's archived text."
    )
    paragraph = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1, "Paragraphs are counted from 1 (the headline).")],
        help_text="Paragraph of the source the passage starts in: found in the archived text, not typed.",
    )
    reason = models.TextField(
        help_text="Why it records no fact, for example “about another country” or “the speaker's "
        "opinion, not a fact about Kazakhstan's standing”."
    )

    BELONGS_TO = ("source",)
    CLEAN_READS = ("source",)
    FOUND_BY_CLEAN = ("paragraph",)
    history = CuratedHistory()

    class Meta:
        ordering = ["source", "paragraph", "pk"]
        verbose_name = "passage set aside"
        verbose_name_plural = "passages set aside"
        constraints = [
            models.CheckConstraint(
                condition=~Q(passage=""),
                name="setaside_passage_required",
                violation_error_message="Copy the sentences set aside from the source's text.",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="setaside_reason_required",
                violation_error_message="Say why these sentences record no fact.",
            ),
            models.CheckConstraint(
                condition=Q(paragraph__isnull=True) | Q(paragraph__gte=1),
                name="setaside_paragraph_from_1",
                violation_error_message="Paragraphs are counted from 1 (the headline).",
            ),
            publication_rules("setaside", "passages set aside")["constraint"],
        ]
        permissions = [publication_rules("setaside", "passages set aside")["permission"]]

    def __str__(self):
        return f"{self.source_id}: {self.passage[:60]}"

    @property
    def log_label(self) -> str:
        return gettext("passage set aside in “%(source)s”") % {"source": self.source}

    def clean(self):
        """A passage set aside is whole sentences of its source's archived text."""
        super().clean()
        if self.source_id is None or not self.passage.strip():
            return
        if not self.source.text:
            raise ValidationError({"source": "Only an archived text has sentences to set aside."})
        found = self.source.locate(self.passage, "passage")
        held, cut = archived(self.source.text).whole_sentences(found)
        if cut or not held:
            labels = ", ".join(f"sentence {s.label} (“{s.text}”)" for s in cut)
            raise ValidationError({"passage": CUTS_SENTENCES.format(labels=labels)})
        self.paragraph = found.paragraph


class StepQuerySet(PublishableQuerySet):
    """Steps always know whether editors reject them: a step is deprecated when it has
    published citations and every one of them is deprecated. One annotated column, no
    extra query. A citation counts once the public can see it: a draft citation, or one
    from a draft source, does not count until a publisher publishes it."""

    def with_deprecation(self):
        citation = self.model._meta.get_field("citations").related_model
        own = citation.objects.visible().filter(record=models.OuterRef("pk"))
        rejected = models.Exists(own.filter(rank=Rank.DEPRECATED))
        supported = models.Exists(own.exclude(rank=Rank.DEPRECATED))
        return self.annotate(
            is_deprecated=models.Case(
                models.When(rejected & ~supported, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


class StepManager(models.Manager.from_queryset(StepQuerySet)):
    def get_queryset(self):
        return super().get_queryset().with_deprecation()


class DatedStepBase(Publishable):
    """One dated change in Kazakhstan's standing in a record (a treaty, a body).
    Concrete steps add the record's foreign key (named in BELONGS_TO), a `status` with
    their own codes, and `record_label`, the record's short name."""

    date = EDTFField(help_text=_("When the step happened, as EDTF (see the about page)."))
    date_earliest, date_latest = bound_fields("date", _("the step's date"))
    note = models.TextField(blank=True)

    objects = StepManager()

    class Meta(Publishable.Meta):
        abstract = True
        ordering = [
            models.F("date_latest").asc(nulls_last=True),
            models.F("date_earliest").asc(nulls_first=True),
            "pk",
        ]

    @property
    def record_label(self) -> str:
        raise NotImplementedError

    @property
    def log_label(self) -> str:
        return gettext("%(record)s step: %(status)s (%(date)s)") % {
            "record": self.record_label,
            "status": self.get_status_display(),
            "date": edtf_human(self.date),
        }

    @property
    def cited_label(self) -> str:
        """The step as its citations' labels name it."""
        return self.log_label


# --- Releases: numbered snapshots of every dataset, kept byte for byte ---------------------

VERSION_RE = r"[0-9]{4}\.[1-9][0-9]*"
# Bytes read from a stored file per query when it is served: memory stays flat.
READ_BYTES = 1024 * 1024


class Immutable(Exception):
    """A release, or one of its files, was about to be changed or deleted: once cut, a
    release is cited, and must give the same bytes forever."""


class ImmutableQuerySet(models.QuerySet):
    """Rows written once: a bulk update or delete is refused as a single row's is. The
    database refuses them too (migration 0006), whatever writes to it."""

    def update(self, **kwargs):
        raise Immutable(f"{self.model._meta.verbose_name_plural.capitalize()} cannot be changed.")

    def delete(self):
        raise Immutable(f"{self.model._meta.verbose_name_plural.capitalize()} cannot be deleted.")


class ImmutableModel(models.Model):
    """A row that is inserted once and never updated or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Immutable(f"{capfirst(self._meta.verbose_name)} “{self}” cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Immutable(f"{capfirst(self._meta.verbose_name)} “{self}” cannot be deleted.")


def parse_version(text: str) -> tuple[int, int]:
    """A release's version ("2026.1") as (year, number), or ValueError saying why not."""
    if not re.fullmatch(VERSION_RE, text):
        raise ValueError(f"“{text}” is not a release version; versions read YEAR.NUMBER, as 2026.1.")
    year, number = text.split(".")
    return int(year), int(number)


class ReleaseQuerySet(ImmutableQuerySet):
    def version(self, text: str):
        """The release of that version (none for a malformed one)."""
        try:
            year, number = parse_version(text)
        except ValueError:
            return self.none()
        return self.filter(year=year, number=number)

    def latest_first(self):
        return self.order_by("-year", "-number")

    def with_size(self):
        """Each release with `size`, the bytes of its zip archive (one subquery)."""
        archive = ReleaseFile.objects.filter(release=models.OuterRef("pk"), name=RELEASE_ARCHIVE)
        return self.annotate(size=models.Subquery(archive.values("size")[:1]))

    def next_version(self, today: datetime.date) -> tuple[int, int]:
        """The version the next release takes: this year's next number, from 1."""
        last = self.filter(year=today.year).aggregate(last=models.Max("number"))["last"]
        return today.year, (last or 0) + 1


class Release(ImmutableModel):
    """A numbered snapshot of every dataset, with its data package and README, cut by a
    publisher and never changed: its files give the same bytes forever. Versions read
    YEAR.NUMBER (2026.1, 2026.2, ...) and sort by year, then number."""

    year = models.PositiveSmallIntegerField(
        help_text="The year the release was cut: its version's first part."
    )
    number = models.PositiveIntegerField(help_text="The release's number within its year, from 1.")
    created = models.DateTimeField(help_text="When the release was cut.")
    data_version = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The data version it holds: when the published data last changed before the cut.",
    )
    notes = models.TextField(help_text="What this release holds or is for, in the publisher's words.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # Who cut a release is part of it: deactivate the account rather than delete it.
        on_delete=models.PROTECT,
        related_name="releases",
        help_text="The publisher who cut it; empty when cut from the command line.",
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="release_version_unique",
                violation_error_message="A release of that version already exists.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="release_number_from_1",
                violation_error_message="Release numbers count from 1.",
            ),
        ]
        # Releases are cut, never added by hand, changed or deleted.
        default_permissions = ("view",)
        permissions = [("cut_release", "Can cut a release")]

    def __str__(self):
        return f"Release {self.version}"

    def get_absolute_url(self):
        return reverse("releases:detail", args=[self.version])

    @property
    def version(self) -> str:
        return f"{self.year}.{self.number}"


RELEASE_ARCHIVE = "coe-kz.zip"


class ReleaseFile(ImmutableModel):
    """One file of a release, its bytes stored in the database (so a backup of the
    database keeps it), with their size and SHA-256 computed when it is written."""

    release = models.ForeignKey(
        Release,
        # Never deleted (see Immutable); a file without its release would be no citation.
        on_delete=models.PROTECT,
        related_name="files",
    )
    name = models.CharField(
        max_length=120,
        help_text=f"The file's path in the release: {RELEASE_ARCHIVE}, datapackage.json, README.md, "
        "data/<dataset>.csv (the archive's members), changes.csv.",
    )
    content = models.BinaryField()
    size = models.PositiveBigIntegerField(help_text="Bytes of content.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of content, in hexadecimal.")
    rows = models.PositiveIntegerField(
        null=True, blank=True, help_text="Rows of a CSV file, its header not counted; empty for other files."
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["release", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "name"],
                name="releasefile_name_unique",
                violation_error_message="A release holds one file of each name.",
            )
        ]
        default_permissions = ()

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.content = bytes(self.content)
            self.size = len(self.content)
            self.sha256 = self.digest(self.content)
        super().save(*args, **kwargs)

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()

    def chunks(self) -> Iterator[bytes]:
        """The stored bytes, READ_BYTES per query, so serving a large file holds no more."""
        for start in range(0, self.size, READ_BYTES):
            part = Substr("content", start + 1, READ_BYTES, output_field=models.BinaryField())
            yield bytes(ReleaseFile.objects.filter(pk=self.pk).values_list(part, flat=True).get())


class PublicVersion(models.Model):
    """The version of what the public sees: one row, given a new token in the transaction
    of every write that changes it (coe_kz.cache). Pages are cached per token; the
    exports' ETags and Last-Modified, and a release's data version, read `data_changed`.
    An edit of a draft changes neither."""

    token = models.CharField(
        max_length=32, help_text="Random, new with every public change: a version never comes back."
    )
    changed = models.DateTimeField(
        help_text="When what the public sees last changed: published data, or a release cut."
    )
    data_changed = models.DateTimeField(
        null=True, blank=True, help_text="When the published data last changed (releases aside)."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1), name="publicversion_one_row", violation_error_message="One row only."
            )
        ]
        default_permissions = ()

    def __str__(self):
        return f"Public version {self.token} of {self.changed:%Y-%m-%d %H:%M:%S}"
