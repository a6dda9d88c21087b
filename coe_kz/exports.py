"""The core's own datasets, collected by coe_kz.site.datasets: /export/sources.csv, and
/export/passages.csv, every sentence of the archived texts with what accounts for it."""

import itertools
from collections import namedtuple
from dataclasses import dataclass
from operator import attrgetter

from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coe_kz.coverage import accounted_for, shown_paragraphs
from coe_kz.csvexport import Column, field_column
from coe_kz.datasets import (
    FilteredDataset,
    ForeignKey,
    ModelDataset,
    Selection,
    columns,
    params_key,
)
from coe_kz.filters import SourceFilter
from coe_kz.models import Source
from coe_kz.passages import archived
from coe_kz.records import no_record_with
from coe_kz.visibility import public

SOURCE_COLUMNS = [
    field_column(Source, "key"),
    field_column(Source, "title", description=_("The source's title.")),
    *columns(Source, "publisher", "published", "published_earliest", "published_latest"),
    *columns(Source, "language", "url", "note", "retrieved", "text_sha256", "full_text_public"),
]

SOURCES = ModelDataset(
    "sources",
    _("Sources"),
    SOURCE_COLUMNS,
    _(
        "The texts the knowledge base draws facts from: articles, web pages, a register. An article "
        "or a page keeps its text, archived as published, and every quote from it is checked against "
        "that text; a register keeps none."
    ),
    primary_key=("key",),
    queryset=lambda: public(Source.objects.order_by("key")),
    filterset=SourceFilter,
    records=True,
)

Passage = namedtuple("Passage", "source paragraph sentence text cited_by set_aside_reason")
# Several passages set aside may hold one sentence (rarely): their reasons, in one cell.
REASONS_JOINED = " | "
# Sources read at a time: their texts, citations and passages set aside are in memory together.
SOURCES_PER_CHUNK = 50


class Passages:
    """The sentences of the archived texts of `sources`, in order, countable and sliceable
    (for the API's pages) and read a chunk of sources at a time (for files)."""

    def __init__(self, sources: QuerySet):
        self.sources = sources.exclude(text="").order_by("key")

    def count(self) -> int:
        texts = self.sources.values_list("text", flat=True)
        return sum(len(archived(text).sentences) for text in texts.iterator())

    def __len__(self):
        return self.count()

    def __getitem__(self, window: slice) -> list:
        return list(itertools.islice(self.iterator(), window.start, window.stop))

    def iterator(self, chunk_size: int = 0):
        sources = self.sources.iterator(chunk_size=SOURCES_PER_CHUNK)
        while chunk := list(itertools.islice(sources, SOURCES_PER_CHUNK)):
            accounted = accounted_for(chunk)
            for source in chunk:
                shown = shown_paragraphs(source, accounted[source.pk])
                for row in accounted[source.pk]:
                    sentence = row.sentence
                    yield Passage(
                        source.pk,
                        sentence.paragraph,
                        sentence.number,
                        " ".join(sentence.text.split()) if sentence.paragraph in shown else "",
                        list(row.cited_by),
                        REASONS_JOINED.join(row.set_aside),
                    )


@dataclass(frozen=True, kw_only=True)
class PassagesDataset(FilteredDataset):
    """Every sentence of the published archived texts, narrowed by their source."""

    def _select(self, data):
        return Selection(self, Passages(self.matching(data)), params_key(data))

    def count(self):
        return Passages(public(Source.objects.all())).count()

    def _record_row(self, key, data, language):
        rows = Passages(public(Source.objects.filter(pk=key[0]))).iterator()
        return next((row for row in rows if (str(row.paragraph), str(row.sentence)) == key[1:]), None)

    def missing(self, key):
        source, paragraph, sentence = key
        if not public(Source.objects.filter(pk=source)).exists():
            return no_record_with(Source, source)
        return f"No sentence {sentence} in paragraph {paragraph} of the source “{source}”."


PASSAGES = PassagesDataset(
    "passages",
    _("Passages"),
    [
        Column("source", attrgetter("source"), _("The source's key (the sources dataset).")),
        Column(
            "paragraph",
            attrgetter("paragraph"),
            _("The paragraph, counted from 1 (the headline), as citations count them."),
            type="integer",
        ),
        Column(
            "sentence",
            attrgetter("sentence"),
            _("The sentence's number in its paragraph, from 1 (pysbd's sentences; see the about page)."),
            type="integer",
        ),
        Column(
            "text",
            attrgetter("text"),
            _(
                "The sentence as archived, its white space made single spaces; empty in a paragraph no "
                "citation quotes when the source's full text may not be shown (a licence question)."
            ),
            text=True,
        ),
        Column(
            "cited_by",
            attrgetter("cited_by"),
            _(
                "The records whose citations quote the sentence, each as the kind of record and its key "
                "in its dataset: treaty_step:3, body_standing:12, event:16, person:roman-vassilenko."
            ),
            many=True,
        ),
        Column(
            "set_aside_reason",
            attrgetter("set_aside_reason"),
            format_lazy(
                _(
                    "Why editors set the sentence aside as stating no fact about Kazakhstan and the "
                    "Council of Europe; several reasons are joined by “{separator}”. A sentence neither "
                    "cited nor set aside is open, waiting for an editor."
                ),
                separator=REASONS_JOINED.strip(),
            ),
            text=True,
        ),
    ],
    _(
        "Every sentence of every archived source text, with the records that cite it or the reason "
        "editors set it aside: together they account for the whole text."
    ),
    primary_key=("source", "paragraph", "sentence"),
    foreign_keys=(ForeignKey("source", "sources", "key"),),
    filterset=SourceFilter,
)
DATASETS = (SOURCES, PASSAGES)
