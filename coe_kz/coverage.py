"""Every sentence accounted for: for each sentence of a source's archived text, the
records whose citations quote it and the reasons of the passages set aside that hold it.

Read in two queries for any number of sources (every citation table in one UNION ALL,
then the passages set aside), by the passages dataset, `manage.py verify` and the admin.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast

from coe_kz.models import SetAside, Source
from coe_kz.passages import Accounted, account
from coe_kz.records import citation_models
from coe_kz.visibility import shown_rows


def drawn_quotes(sources: QuerySet, *, preview: bool = False) -> QuerySet:
    """Every citation drawn from `sources`, of every kind, as dicts of `source_key`,
    `record_type` and `record_key` (the kind of record and its key in its dataset, as the
    citations dataset names them) and `quote`: only those the public may see, unless
    `preview`. One query."""
    text = CharField()
    parts = [
        shown_rows(model.objects.filter(source__in=sources), preview)
        .order_by()
        .values(
            "quote",
            source_key=Cast("source_id", text),
            record_type=Value(model.RECORD_TYPE, output_field=text),
            record_key=Cast("record_id", text),
        )
        for model in citation_models()
    ]
    return parts[0].union(*parts[1:], all=True)


def accounted_for(sources: Iterable[Source], *, preview: bool = False) -> dict[str, list[Accounted]]:
    """Each archived source's sentences, each with the records citing it ("event:16") and
    the reasons it is set aside for; what the public may see, unless `preview` (drafts
    counting, as the admin shows them)."""
    sources = [source for source in sources if source.text]
    keys = [source.pk for source in sources]
    cited = defaultdict(list)
    for row in drawn_quotes(Source.objects.filter(pk__in=keys), preview=preview):
        cited[row["source_key"]].append((f"{row['record_type']}:{row['record_key']}", row["quote"]))
    set_aside = defaultdict(list)
    rows = shown_rows(SetAside.objects.filter(source__in=keys), preview).order_by("pk")
    for source, reason, passage in rows.values_list("source", "reason", "passage"):
        set_aside[source].append((reason, passage))
    return {source.pk: account(source.text, cited[source.pk], set_aside[source.pk]) for source in sources}


def shown_paragraphs(source: Source, sentences: Iterable[Accounted]) -> set[int]:
    """The paragraphs of `source` the public may read: all of them where its full text
    may be shown, otherwise those quoted from (a licence question)."""
    sentences = list(sentences)
    if source.full_text_public:
        return {accounted.sentence.paragraph for accounted in sentences}
    return {accounted.sentence.paragraph for accounted in sentences if accounted.cited_by}
