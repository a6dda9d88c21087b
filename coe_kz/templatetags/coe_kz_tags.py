"""Template filters and tags for the public site.

A site-level module, like coe_kz/standing.py: it names the apps' status vocabularies,
which the shared core (dates, status, models) never does.
"""

import re

from django import template
from django.urls import reverse
from django.utils.dates import MONTHS

from bodies.models import Standing
from coe_kz.models import Rank
from treaties.models import TreatyStatus

register = template.Library()

UNKNOWN = "XXXX"
OPEN = ".."
SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
QUALIFIERS = {"?": "perhaps {}", "~": "about {}", "%": "perhaps about {}"}
SINGLE = re.compile(r"^(?P<year>\d{4}|\d{3}X|\d{2}XX)(?:-(?P<month>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?)?$")

STATUS_LABELS = {"treaty": dict(TreatyStatus.choices), "body": dict(Standing.choices)}


def _single(text: str) -> str | None:
    """One EDTF date (no interval) in words, or None for a form this does not know."""
    qualifier = QUALIFIERS.get(text[-1:]) if text else None
    if qualifier:
        text = text[:-1]
    match = SINGLE.match(text)
    if not match:
        return None
    year, month, day = match["year"], match["month"], match["day"]
    if "X" in year:
        # 201X is some year of the 2010s, 19XX some year of the 1900s.
        words = f"the {year.replace('X', '0')}s"
    elif month is None or month == "XX":
        words = year
    elif int(month) in SEASONS:
        words = f"{SEASONS[int(month)]} {year}"
    elif 1 <= int(month) <= 12:
        words = f"{MONTHS[int(month)]} {year}"
        if day is not None and day != "XX":
            words = f"{int(day)} {words}"
    else:
        return None
    return qualifier.format(words) if qualifier else words


@register.filter
def edtf_human(value: str, form: str = "") -> str:
    """An EDTF date in words: "March 2012", "on or before 7 October 2023", "date unknown",
    "between 19 December 2013 and 20 September 2018". A form it does not know comes back
    as the EDTF string itself, never as a guess; an empty value means no date was given.

    With form="since", the words say since when a status has held, phrased so that every
    form reads well after "since": "since 7 October 2023 or earlier", "since some day
    between 19 December 2013 and 20 September 2018", "since a day no source gives"."""
    since = form == "since"
    text = (value or "").strip()
    if not text:
        return "since a step with no date given" if since else "no date given"
    if text == UNKNOWN:
        return "since a day no source gives" if since else "date unknown"
    if "/" not in text:
        words = _single(text) or text
        return f"since {words}" if since else words
    start, _, end = text.partition("/")
    start_words = None if start in ("", OPEN) else _single(start)
    end_words = None if end in ("", OPEN) else _single(end)
    if start in ("", OPEN) and end_words:
        return f"since {end_words} or earlier" if since else f"on or before {end_words}"
    if end in ("", OPEN) and start_words:
        return f"since {start_words} or later" if since else f"on or after {start_words}"
    if start_words and end_words:
        words = f"between {start_words} and {end_words}"
        return f"since some day {words}" if since else words
    return f"since {text}" if since else text


@register.filter
def status_label(code: str, kind: str) -> str:
    """The label of a status code; `kind` is "treaty" or "body" (codes differ between them)."""
    return STATUS_LABELS[kind].get(code, code)


@register.simple_tag(takes_context=True)
def filters_query(context, **overrides) -> str:
    """This page's query string less the page number ("?kind=visit"), or "": the filters
    that a CSV twin or a feed of the same list takes. Keyword arguments set parameters."""
    params = context.request.GET.copy()
    params.pop("page", None)
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
