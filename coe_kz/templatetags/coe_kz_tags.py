"""Template filters and tags for the public site: dates in words, status labels,
the CSV twin of a list, a record's evidence split by rank, a record's text in the
reader's language (or in English, marked as such), and the page in other languages."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy

from coe_kz import dates, languages
from coe_kz.models import Rank
from coe_kz.params import PAGE, is_tracking
from coe_kz.records import status_labels

register = template.Library()

register.filter("edtf_human", dates.edtf_human)
register.filter("day", dates.day_words)
register.filter("short_day", dates.short_day_words)


@register.filter
def status_label(code: str, kind: str) -> str:
    """The label of a status code; `kind` is "treaty" or "body" (codes differ between them)."""
    return status_labels(kind).get(code, code)


@register.filter
def status_labels_or(codes, kind: str) -> str:
    """Status labels joined by "or": "Signatory or Party"."""
    return pgettext("statuses", " or ").join(str(status_label(code, kind)) for code in codes)


RANK_WORDS = {
    "preferred": pgettext_lazy("rank", "preferred"),
    "normal": pgettext_lazy("rank", "normal"),
    "deprecated": pgettext_lazy("rank", "deprecated"),
}


@register.filter
def rank_label(code: str) -> str:
    """A citation's rank as a word of the page's language ("preferred"); its code in the CSV."""
    return RANK_WORDS.get(code, code)


@register.simple_tag(takes_context=True)
def filters_query(context, **overrides) -> str:
    """This page's query string less the page number ("?kind=visit"), or "": the filters
    that a CSV twin or a feed of the same list takes. The page's query has passed the
    parameter gate (coe_kz.listing.gated), so tracking parameters are gone already.
    Keyword arguments set parameters."""
    params = context.request.GET.copy()
    params.pop(PAGE, None)
    for name, value in overrides.items():
        params[name] = str(value)
    return f"?{params.urlencode()}" if params else ""


@register.simple_tag(takes_context=True)
def csv_twin(context, dataset: str, **overrides) -> str:
    """The address of the CSV that holds exactly what this page lists (every page of it):
    /export/<dataset>.csv with the page's filters."""
    return reverse("export:csv", kwargs={"dataset": dataset}) + filters_query(context, **overrides)


@register.filter
def evidence(citations) -> dict:
    """Split a record's citations into those that support it (preferred first) and the
    deprecated ones that disagree, so a page can set them side by side."""
    items = list(citations)
    return {
        "supporting": sorted(
            (c for c in items if c.rank != Rank.DEPRECATED), key=lambda c: c.rank != Rank.PREFERRED
        ),
        "disagreeing": [c for c in items if c.rank == Rank.DEPRECATED],
    }


@register.simple_tag
def translated(record, name: str) -> str:
    """`record`'s translated field `name` in the reader's language. Where it has no text
    in that language, its English text, marked as English for the browser and the
    reader: `<span lang="en">…</span> (in English)`. Nothing when it has no text at all."""
    if isinstance(record, dict):  # a row of values(), read in the active language already
        return record.get(name) or ""
    if not hasattr(record, languages.localized(name, languages.ORIGINAL)):
        return getattr(record, name, "") or ""  # a model with no translations
    language = languages.current()
    text = languages.text_in(record, name, language)
    if text or language == languages.ORIGINAL:
        return text
    english = languages.text_in(record, name, languages.ORIGINAL)
    if not english:
        return ""
    return format_html(
        '<span lang="{}">{}</span> <span class="in-english">({})</span>',
        languages.ORIGINAL,
        english,
        gettext("in English"),
    )


@register.inclusion_tag("includes/quote_translation.html")
def quote_translation(citation) -> dict:
    """An editor's translation of a citation's quote into the reader's language, shown
    beside the quote (which stays as its source has it) and labelled as a translation;
    nothing when the reader reads the source's language or there is none."""
    language = languages.current()
    same = (getattr(getattr(citation, "source", None), "language", "") or "") == language
    text = "" if same else languages.text_in(citation, "quote_translation", language)
    return {"text": text, "language": language}


# Each language's name as a phone's switcher shows it (the Kazakh foreign ministry's own).
SHORT_NAMES = {"en": "ENG", "kk": "ҚАЗ", "ru": "РУС"}


def in_language(path: str, code: str) -> str:
    """The address of the page at `path` in the language `code`: the same path under that
    language's prefix (/kk/treaties/141/), or none for English (LANGUAGE_CODE). The site's
    addresses are the same words in every language, so this needs no URL resolving and
    also gives a 404 page's address in another language."""
    prefixes = {f"/{other}/" for other, _name in settings.LANGUAGES if other != settings.LANGUAGE_CODE}
    bare = next((path[len(prefix) - 1 :] for prefix in prefixes if path.startswith(prefix)), path)
    return bare if code == settings.LANGUAGE_CODE else f"/{code}{bare}"


@register.simple_tag(takes_context=True, name="languages")
def page_languages(context, home: bool = False) -> list[dict]:
    """This page in every language: each one's code, own name, address (the same path,
    with the query string less tracking parameters, as the parameter gate drops them) and
    whether it is the page's. The switcher and the head's hreflang alternates read it;
    English is also the x-default. Addresses are root-relative, as every link here is:
    the sitemap gives the absolute ones. With `home`, each language's home page instead
    (the 404 page: its address may name a draft, which no page names)."""
    request = context.get("request")
    if request is None:  # the 500 page is rendered without one
        return []
    query = request.GET.copy()
    for name in [name for name in query if is_tracking(name)]:
        del query[name]
    query = "" if home else query.urlencode()
    current = get_language()
    script = request.META.get("SCRIPT_NAME", "").rstrip("/")
    links = []
    for code, name in settings.LANGUAGES:
        path = script + in_language("/" if home else request.path_info, code)
        links.append(
            {
                "code": code,
                "name": name,
                "short": SHORT_NAMES.get(code, code.upper()),
                "url": f"{path}?{query}" if query else path,
                "current": code == current,
                "default": code == settings.LANGUAGE_CODE,
            }
        )
    return links
