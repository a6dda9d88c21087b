"""The home page's timeline picture: Kazakhstan's standing in each treaty and body
across the years, as geometry for server-rendered SVG bars and rows for its text table.

Nothing here decides a status: each stretch is the answer coe_kz.status.status_on
gives on the stretch's first day, and stretches break only on the days
coe_kz.status.change_days names, so the picture cannot disagree with the status page.

The picture tells the path at a glance: a full bar for each run of days with one status
in force, labelled where it ends (so a bar that reaches today is labelled where a phone
opens the picture); and, quietly, a thin band where a step may already have happened
but its date is not known exactly, in the colour of the status it would give.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import pgettext_lazy

from bodies.models import Standing
from coe_kz.site.standing import StandingRow
from coe_kz.status import NONE, StatusAnswer, change_days, status_on
from coe_kz.templatetags.coe_kz_tags import status_label
from treaties.models import TreatyStatus

WIDTH = 760  # viewBox units; the CSS scales the picture to its column
MARGIN = 8
BAR_HEIGHT = 18
BAND_HEIGHT = 6  # an uncertain stretch: thin, in the middle of the bar's row
CHAR_WIDTH = 7.4  # generous width of a bold 12-unit label character, to decide whether it fits
LABEL_INSET = 4
LABEL_BASELINE = 13  # within the bar

# Each status's pattern, so that colour (set in site.css) is never the only cue. A treaty
# status and a body status of like weight share a family, and the legend names both.
PATTERNS = {
    NONE: "plain",
    TreatyStatus.INTERESTED: "lines",
    TreatyStatus.INVITED: "dots",
    TreatyStatus.SIGNED: "stripes",
    TreatyStatus.PARTY: "solid",
    TreatyStatus.DENOUNCED: "hatch",
    Standing.COOPERATION: "lines",
    Standing.APPLICANT: "dots",
    Standing.OBSERVER: "stripes",
    Standing.MEMBER: "solid",
    Standing.WITHDRAWN: "hatch",
}
# A shorter label for a bar too narrow for the full one; the legend gives the full label.
# None is longer than "Invited", so a bar that holds that holds a label, however many
# years the picture spans (the curated data's start in 1997 narrowed every bar).
# In Kazakh and Russian the labels are longer: those that English needs no short form
# for have one too.
SHORT_LABELS = {
    TreatyStatus.INTERESTED: pgettext_lazy("short status", "Intent"),
    TreatyStatus.INVITED: pgettext_lazy("short status", "Invited"),
    TreatyStatus.SIGNED: pgettext_lazy("short status", "Signed"),
    TreatyStatus.PARTY: pgettext_lazy("short status", "Party"),
    TreatyStatus.DENOUNCED: pgettext_lazy("short status", "Denoun."),
    Standing.COOPERATION: pgettext_lazy("short status", "Coop."),
    Standing.APPLICANT: pgettext_lazy("short status", "Appl."),
    Standing.OBSERVER: pgettext_lazy("short status", "Obs."),
    Standing.MEMBER: pgettext_lazy("short status", "Member"),
    Standing.WITHDRAWN: pgettext_lazy("short status", "Withdr."),
}
# The legend: one entry per pattern, naming what it means for a treaty and for a body.
LEGEND = [
    (TreatyStatus.PARTY, Standing.MEMBER),
    (TreatyStatus.SIGNED, Standing.OBSERVER),
    (TreatyStatus.INVITED, Standing.APPLICANT),
    (TreatyStatus.INTERESTED, Standing.COOPERATION),
    (TreatyStatus.DENOUNCED, Standing.WITHDRAWN),
]


@dataclass(frozen=True)
class Stretch:
    """Days from `start` up to (not including) `end` with one answer: a row of the table."""

    start: datetime.date
    end: datetime.date
    answer: StatusAnswer
    # The answer held before the picture's first day too (a step "on or before" a day
    # may have happened at any earlier time): the stretch has no first day of its own.
    began_earlier: bool = False

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Bar:
    """A run of days with one status in force (whether or not a later step may already
    have replaced it): drawn full height in its pattern, labelled at its right end."""

    status: str
    start: datetime.date
    end: datetime.date
    x: float
    width: float
    label: str  # empty when even the short form does not fit
    label_end: float  # where the part the label sits in ends: the bar's end, or a band's start

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def on_solid(self) -> bool:
        """The label sits on a solid dark fill, so it is drawn in light text."""
        return PATTERNS.get(self.status) == "solid"

    @property
    def label_x(self) -> float:
        """Where the label ends (it is drawn right-aligned)."""
        return round(self.label_end - LABEL_INSET, 1)


@dataclass(frozen=True)
class Band:
    """An uncertain stretch: on these days a step that would give `statuses` may already
    have happened, but no source dates it exactly. Drawn thin, in the first one's colour."""

    statuses: tuple[str, ...]
    start: datetime.date
    end: datetime.date
    x: float
    width: float

    @property
    def status(self) -> str:
        return self.statuses[0]

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)


@dataclass
class Lane:
    row: StandingRow
    stretches: list[Stretch] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)


@dataclass(frozen=True)
class Tick:
    year: int
    x: float


@dataclass
class Timeline:
    start: datetime.date
    end: datetime.date
    today: datetime.date
    today_x: float
    lanes: list[Lane]
    ticks: list[Tick]
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT
    band_y: float = (BAR_HEIGHT - BAND_HEIGHT) / 2
    band_height: int = BAND_HEIGHT
    label_y: int = LABEL_BASELINE
    patterns: dict = field(default_factory=lambda: PATTERNS)
    legend: list = field(default_factory=lambda: LEGEND)


def _stretches(steps, start: datetime.date, today: datetime.date) -> list[Stretch]:
    changes = change_days(steps)
    days = sorted({start, *(d for d in changes if start < d <= today)})
    stretches = []
    for first, end in zip(days, [*days[1:], today + datetime.timedelta(days=1)], strict=True):
        answer = status_on(steps, first)
        if answer.certainly_none:
            continue  # nothing yet, and nothing pending: no bar
        previous = stretches[-1] if stretches else None
        if previous and previous.end == first and _same(previous.answer, answer):
            stretches[-1] = Stretch(previous.start, end, previous.answer, previous.began_earlier)
        else:
            began_earlier = first == start and start not in changes
            stretches.append(Stretch(first, end, answer, began_earlier))
    return stretches


def _same(a: StatusAnswer, b: StatusAnswer) -> bool:
    return (a.status, a.certain, a.possible, a.step) == (b.status, b.certain, b.possible, b.step)


def _runs(stretches: list[Stretch]) -> list[tuple[str, datetime.date, datetime.date]]:
    """(status, start, end) of each run of days with one status in force, none left out."""
    runs = []
    for s in stretches:
        if s.answer.status == NONE:
            continue
        if runs and runs[-1][0] == s.answer.status and runs[-1][2] == s.start:
            runs[-1] = (s.answer.status, runs[-1][1], s.end)
        else:
            runs.append((s.answer.status, s.start, s.end))
    return runs


def build_timeline(rows: list[StandingRow], today: datetime.date) -> Timeline | None:
    """Lanes for every record with a bar to draw, on one shared axis from January
    of the first year any answer changes to the end of this year. None when no record
    has a step yet. Records whose steps are all undated get a lane that is uncertain
    throughout, which is what status_on says of them."""
    dated = [(row, row.steps) for row in rows]
    dated = [(row, steps) for row, steps in dated if any(not s.is_deprecated for s in steps)]
    if not dated:
        return None
    days = [d for _, steps in dated for d in change_days(steps) if d <= today]
    start = datetime.date(min(days).year if days else today.year, 1, 1)
    end = datetime.date(today.year + 1, 1, 1)
    span = (end - start).days
    inner = WIDTH - 2 * MARGIN

    def x_of(day: datetime.date) -> float:
        return round(MARGIN + inner * (day - start).days / span, 1)

    def width_of(first: datetime.date, after: datetime.date) -> float:
        return round(x_of(after) - x_of(first), 1)

    lanes = []
    for row, steps in dated:
        lane = Lane(row=row, stretches=_stretches(steps, start, today))
        if not lane.stretches:
            continue  # steps that only say "no standing" (a source's list of what it is not in)
        for s in lane.stretches:
            # A step that would give the status already in force changes nothing.
            maybe = tuple(code for code in s.answer.possible if code != s.answer.status)
            if not s.answer.certain and maybe:
                lane.bands.append(Band(maybe, s.start, s.end, x_of(s.start), width_of(s.start, s.end)))
        for status, first, after in _runs(lane.stretches):
            # Labelled at the right end of its last part that no band crosses, if it fits there.
            clear = [(a, b) for a, b in _clear_parts(first, after, lane.bands) if a < b]
            label, label_end = "", after
            for a, b in reversed(clear):
                if label := _label(row.kind, status, width_of(a, b)):
                    label_end = b
                    break
            lane.bars.append(
                Bar(status, first, after, x_of(first), width_of(first, after), label, x_of(label_end))
            )
        lanes.append(lane)
    step = next(n for n in (1, 2, 5, 10, 20, 50) if (end.year - start.year) / n <= 14)
    ticks = [
        Tick(year, x_of(datetime.date(year, 1, 1)))
        for year in range(start.year, end.year + 1)
        if year % step == 0 or year == start.year
    ]
    return Timeline(start=start, end=end, today=today, today_x=x_of(today), lanes=lanes, ticks=ticks)


def _clear_parts(first: datetime.date, after: datetime.date, bands: list[Band]):
    """The parts of the days from `first` up to `after` that no band covers, in order."""
    part_start = first
    for band in sorted(bands, key=lambda band: band.start):
        if band.end <= part_start or band.start >= after:
            continue
        yield part_start, min(band.start, after)
        part_start = max(part_start, band.end)
    yield part_start, after


def _label(kind: str, status: str, width: float) -> str:
    """The longest label that fits the bar: its status ("Invited to accede"), else its
    short form ("Invited"); empty for a bar too narrow for either."""
    label = str(status_label(status, kind))
    candidates = [label, str(SHORT_LABELS.get(status, label))]
    return next((text for text in candidates if len(text) * CHAR_WIDTH + 8 <= width), "")
