"""Partial and uncertain dates, stored as EDTF strings with two real bounds.

Sources say "1997", "March 2012", "19 December 2013" or "by 7 October 2023". Each is
kept as an EDTF string (Library of Congress Extended Date/Time Format) and, next to it,
the earliest and the latest day it can mean. Every comparison and sort uses those two
days, never the string: "2012-03" is not over before 31 March 2012.

Intervals follow this project's reading: "A/B" is one day somewhere between A and B,
"../B" is one day on or before B (a fact a source reports as already true on its date),
"A/.." is one day on or after A. "XXXX" is a date no source gives; both bounds are then
empty. Parsing itself is the `edtf` package's; this module only adds the open ends
(which `edtf` 5 cannot turn into days), and refuses what it cannot bound honestly:
impossible days such as 1900-02-29; the years 0000 and 9999, which `edtf` uses to mean
"unspecified"; and qualified dates ("1997~", "2015?"), whose fuzzy bounds in `edtf`
widen by more than a reader would guess (13 months either side of "2012-03~") and
would file an event under the wrong year. A range says the same thing plainly.
"""

import datetime
import functools
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

EXPECTED_FORMS = (
    "Use an EDTF date: YYYY (1997), YYYY-MM (2012-03), YYYY-MM-DD (2013-12-19), "
    "../YYYY-MM-DD for 'on or before', YYYY-MM-DD/.. for 'on or after', "
    "A/B for 'some day between A and B', or XXXX when the date is unknown."
)
QUALIFIERS = ("?", "~", "%")
OPEN = ".."
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class DateBounds:
    """The earliest and latest day an EDTF string can mean; None is an open end."""

    earliest: datetime.date | None
    latest: datetime.date | None


def _day(struct: object) -> datetime.date | None:
    """A struct_time from `edtf` as a date; years 0 and 9999 stand for 'unspecified'."""
    if not hasattr(struct, "tm_year"):  # edtf gives a float infinity for an open end
        return None
    if struct.tm_year in (0, 9999):
        return None
    return datetime.date(struct.tm_year, struct.tm_mon, struct.tm_mday)


def _refuse_what_cannot_be_bounded(value: str, text: str) -> None:
    if any(mark in text for mark in QUALIFIERS):
        raise ValidationError(
            f"“{value}” is marked uncertain or approximate (?, ~ or %). Give the range the "
            "sources allow instead, for example 1996/1998 for “about 1997”, or ../2014 for "
            "“by 2014”.",
            code="invalid",
        )
    for part in text.split("/"):
        if part[:4] in ("0000", "9999"):
            raise ValidationError(
                f"“{value}” is outside the years this site can date (0001 to 9998; EDTF tools "
                "read 0000 and 9999 as “unspecified”). Use XXXX when the date is unknown.",
                code="invalid",
            )


# edtf's grammar (pyparsing) takes tens of milliseconds a string; the same few hundred
# dates are parsed again on every save, seed and form, so each is parsed once per process.
@functools.lru_cache(maxsize=4096)
def _parse_single(text: str) -> DateBounds:
    parsed = parse_edtf(text)
    return DateBounds(_day(parsed.lower_strict()), _day(parsed.upper_strict()))


def parse_bounds(value: str) -> DateBounds:
    """Parse an EDTF string into its bounds, or raise ValidationError saying what is expected."""
    text = (value or "").strip()
    if not text:
        raise ValidationError("A date is required. " + EXPECTED_FORMS, code="required")
    _refuse_what_cannot_be_bounded(value, text)
    try:
        if "/" in text:
            start, _, end = text.partition("/")
            if start in ("", OPEN) and end in ("", OPEN):
                raise ValidationError(f"“{value}” has no known end. " + EXPECTED_FORMS, code="invalid")
            earliest = None if start in ("", OPEN) else _parse_single(start).earliest
            latest = None if end in ("", OPEN) else _parse_single(end).latest
            bounds = DateBounds(earliest, latest)
        else:
            bounds = _parse_single(text)
    except (EDTFParseException, ValueError, TypeError, IndexError) as error:
        raise ValidationError(f"“{value}” is not a date. " + EXPECTED_FORMS, code="invalid") from error
    if bounds.earliest and bounds.latest and bounds.earliest > bounds.latest:
        raise ValidationError(f"“{value}” ends before it starts.", code="invalid")
    return bounds


def validate_edtf(value: str) -> None:
    parse_bounds(value)


def parse_day(value: str) -> datetime.date:
    """A whole calendar day from a URL parameter (YYYY-MM-DD), or ValueError with the reason."""
    try:
        # fromisoformat alone would also take 20150630 and other ISO forms.
        if not ISO_DAY.fullmatch(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(
            _("“%(value)s” is not a calendar day; use YYYY-MM-DD, for example 2015-06-30.") % {"value": value}
        ) from None


class EDTFField(models.CharField):
    """An EDTF date string. The model declares `<name>_earliest` and `<name>_latest`
    DateFields next to it; they are filled on every save, fixtures included."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_edtf)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        return name, path, args, kwargs


def bound_fields(name: str, what: str) -> tuple[models.DateField, models.DateField]:
    """The two bound columns for the EDTF field `name`; declare them right after it.
    `what` names the date ("the opening date"), marked for translation by the caller: the
    help texts are the exports' column definitions, read on /export/ in every language."""
    return (
        models.DateField(
            null=True,
            blank=True,
            editable=False,
            db_index=True,
            help_text=format_lazy(
                gettext_lazy("Earliest day {what} can mean; empty when open. Computed on save."), what=what
            ),
        ),
        models.DateField(
            null=True,
            blank=True,
            editable=False,
            db_index=True,
            help_text=format_lazy(
                gettext_lazy("Latest day {what} can mean; empty when open. Computed on save."), what=what
            ),
        ),
    )


def edtf_fields(model: type[models.Model]) -> list[EDTFField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EDTFField)]


@receiver(pre_save, dispatch_uid="coe_kz.fill_date_bounds")
def fill_date_bounds(sender, instance, raw=False, **kwargs):
    """Compute every EDTF field's bounds before a row is written, loaddata included
    (pre_save is the one hook a raw fixture save still sends)."""
    for field in edtf_fields(sender):
        value = getattr(instance, field.attname)
        bounds = parse_bounds(value) if value else DateBounds(None, None)
        setattr(instance, f"{field.attname}_earliest", bounds.earliest)
        setattr(instance, f"{field.attname}_latest", bounds.latest)


def bounds_constraint(model_label: str, name: str) -> models.CheckConstraint:
    """Database guard: a date's earliest day is never after its latest."""
    earliest, latest = f"{name}_earliest", f"{name}_latest"
    return models.CheckConstraint(
        condition=models.Q(**{f"{earliest}__isnull": True})
        | models.Q(**{f"{latest}__isnull": True})
        | models.Q(**{f"{earliest}__lte": models.F(latest)}),
        name=f"{model_label}_{name}_earliest_lte_latest",
        violation_error_message="A date cannot end before it starts.",
    )


# --- In words ------------------------------------------------------------------------
#
# Dates read in the page's language: "7 October 2023", "7 октября 2023 г.", "2023 жылғы
# 7 қазан". Each form is a translatable pattern ("{day} {month} {year}"), filled with the
# name of the month in the form the pattern needs: alone ("March 2012", "март 2012 г."),
# after a day ("month of": Russian's genitive, "7 марта"), and after "since" ("month
# from": Russian's genitive again, "с марта"; Kazakh's ablative, "наурыздан бастап").

UNKNOWN = "XXXX"
MONTH_NAMES = {
    1: (
        pgettext_lazy("month", "January"),
        pgettext_lazy("month of", "January"),
        pgettext_lazy("month from", "January"),
    ),
    2: (
        pgettext_lazy("month", "February"),
        pgettext_lazy("month of", "February"),
        pgettext_lazy("month from", "February"),
    ),
    3: (
        pgettext_lazy("month", "March"),
        pgettext_lazy("month of", "March"),
        pgettext_lazy("month from", "March"),
    ),
    4: (
        pgettext_lazy("month", "April"),
        pgettext_lazy("month of", "April"),
        pgettext_lazy("month from", "April"),
    ),
    5: (pgettext_lazy("month", "May"), pgettext_lazy("month of", "May"), pgettext_lazy("month from", "May")),
    6: (
        pgettext_lazy("month", "June"),
        pgettext_lazy("month of", "June"),
        pgettext_lazy("month from", "June"),
    ),
    7: (
        pgettext_lazy("month", "July"),
        pgettext_lazy("month of", "July"),
        pgettext_lazy("month from", "July"),
    ),
    8: (
        pgettext_lazy("month", "August"),
        pgettext_lazy("month of", "August"),
        pgettext_lazy("month from", "August"),
    ),
    9: (
        pgettext_lazy("month", "September"),
        pgettext_lazy("month of", "September"),
        pgettext_lazy("month from", "September"),
    ),
    10: (
        pgettext_lazy("month", "October"),
        pgettext_lazy("month of", "October"),
        pgettext_lazy("month from", "October"),
    ),
    11: (
        pgettext_lazy("month", "November"),
        pgettext_lazy("month of", "November"),
        pgettext_lazy("month from", "November"),
    ),
    12: (
        pgettext_lazy("month", "December"),
        pgettext_lazy("month of", "December"),
        pgettext_lazy("month from", "December"),
    ),
}
# A month's name shortened, after a day: "19 Dec 2013", "19 дек. 2013 г.".
MONTH_ABBREVIATIONS = {
    1: pgettext_lazy("month of, abbreviated", "Jan"),
    2: pgettext_lazy("month of, abbreviated", "Feb"),
    3: pgettext_lazy("month of, abbreviated", "Mar"),
    4: pgettext_lazy("month of, abbreviated", "Apr"),
    5: pgettext_lazy("month of, abbreviated", "May"),
    6: pgettext_lazy("month of, abbreviated", "Jun"),
    7: pgettext_lazy("month of, abbreviated", "Jul"),
    8: pgettext_lazy("month of, abbreviated", "Aug"),
    9: pgettext_lazy("month of, abbreviated", "Sep"),
    10: pgettext_lazy("month of, abbreviated", "Oct"),
    11: pgettext_lazy("month of, abbreviated", "Nov"),
    12: pgettext_lazy("month of, abbreviated", "Dec"),
}
# EDTF's seasons (21 to 24), as a name alone and after "since".
SEASONS = {
    21: (pgettext_lazy("season", "spring"), pgettext_lazy("season from", "spring")),
    22: (pgettext_lazy("season", "summer"), pgettext_lazy("season from", "summer")),
    23: (pgettext_lazy("season", "autumn"), pgettext_lazy("season from", "autumn")),
    24: (pgettext_lazy("season", "winter"), pgettext_lazy("season from", "winter")),
}
QUALIFIER_WORDS = {
    "?": pgettext_lazy("date", "perhaps {date}"),
    "~": pgettext_lazy("date", "about {date}"),
    "%": pgettext_lazy("date", "perhaps about {date}"),
}
# The forms of one date; "date from" is the form after "since" (Russian's "с", Kazakh's
# "-нан бастап"), filled with the "from" names. Contexts are spelt out: xgettext reads
# only literal ones.
PATTERNS = {
    ("decade", False): pgettext_lazy("date", "the {decade}s"),
    ("decade", True): pgettext_lazy("date from", "the {decade}s"),
    ("year", False): pgettext_lazy("date", "{year}"),
    ("year", True): pgettext_lazy("date from", "{year}"),
    ("season", False): pgettext_lazy("date", "{season} {year}"),
    ("season", True): pgettext_lazy("date from", "{season} {year}"),
    ("month", False): pgettext_lazy("date", "{month} {year}"),
    ("month", True): pgettext_lazy("date from", "{month} {year}"),
    ("day", False): pgettext_lazy("date", "{day} {month} {year}"),
    ("day", True): pgettext_lazy("date from", "{day} {month} {year}"),
}
SINGLE = re.compile(r"^(?P<year>\d{4}|\d{3}X|\d{2}XX)(?:-(?P<month>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?)?$")


def _single(text: str, since: bool = False) -> str | None:
    """One EDTF date (no interval) in words, or None for a form this does not know; with
    `since`, in the form that follows "since" or "from" in the page's language."""
    qualifier = QUALIFIER_WORDS.get(text[-1:]) if text else None
    if qualifier:
        text = text[:-1]
    match = SINGLE.match(text)
    if not match:
        return None
    year, month, day = match["year"], match["month"], match["day"]
    if "X" in year:
        # 201X is some year of the 2010s, 19XX some year of the 1900s.
        words = str(PATTERNS["decade", since]).format(decade=year.replace("X", "0"))
    elif month is None or month == "XX":
        words = str(PATTERNS["year", since]).format(year=year)
    elif int(month) in SEASONS:
        season, season_from = SEASONS[int(month)]
        words = str(PATTERNS["season", since]).format(season=season_from if since else season, year=year)
    elif 1 <= int(month) <= 12:
        name, name_of, name_from = MONTH_NAMES[int(month)]
        if day is not None and day != "XX":
            month_form = name_from if since else name_of
            words = str(PATTERNS["day", since]).format(day=int(day), month=month_form, year=year)
        else:
            words = str(PATTERNS["month", since]).format(month=name_from if since else name, year=year)
    else:
        return None
    return str(qualifier).format(date=words) if qualifier else words


def day_words(day: datetime.date | None, short: bool = False) -> str:
    """A calendar day in words in the page's language: "7 October 2023"; a moment's day in
    the site's time zone. With `short`, the month's name is shortened: "7 Oct 2023"."""
    if day is None or day == "":
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    if short:
        return str(PATTERNS["day", False]).format(
            day=day.day, month=MONTH_ABBREVIATIONS[day.month], year=day.year
        )
    return _single(day.isoformat()) or day.isoformat()


def short_day_words(day: datetime.date | None) -> str:
    return day_words(day, short=True)


def edtf_human(value: str, form: str = "") -> str:
    """An EDTF date in words: "March 2012", "on or before 7 October 2023", "date unknown",
    "between 19 December 2013 and 20 September 2018". A form it does not know comes back
    as the EDTF string itself, never as a guess; an empty value means no date was given.

    With form="since", the words say since when a status has held, phrased so that every
    form reads well after "since": "since 7 October 2023 or earlier", "since some day
    between 19 December 2013 and 20 September 2018", "since a day no source gives".
    In Kazakh and Russian alike, in the forms their grammar asks for."""
    since = form == "since"
    text = (value or "").strip()
    if not text:
        return _("since a step with no date given") if since else _("no date given")
    if text == UNKNOWN:
        return _("since a day no source gives") if since else _("date unknown")
    if "/" not in text:
        if not since:
            return _single(text) or text
        words = _single(text, since=True)
        return _("since {date}").format(date=words) if words else _("since {date}").format(date=text)
    start, _slash, end = text.partition("/")
    open_start, open_end = start in ("", OPEN), end in ("", OPEN)
    start_words = None if open_start else _single(start)
    end_words = None if open_end else _single(end)
    if open_start and end_words:
        if since:
            return _("since {date} or earlier").format(date=_single(end, since=True))
        return _("on or before {date}").format(date=end_words)
    if open_end and start_words:
        if since:
            return _("since {date} or later").format(date=_single(start, since=True))
        return _("on or after {date}").format(date=start_words)
    if start_words and end_words:
        if since:
            return _("since some day between {start} and {end}").format(start=start_words, end=end_words)
        return _("between {start} and {end}").format(start=start_words, end=end_words)
    return _("since {date}").format(date=text) if since else text
