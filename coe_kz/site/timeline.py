"""The home page's timeline picture: Kazakhstan's standing in each treaty and body
across the years, as geometry for a server-rendered SVG and rows for its text table.

Nothing here decides a status: each stretch is the answer coe_kz.status.status_on
gives on the stretch's first day, and stretches break only on the days
coe_kz.status.change_days names, so the picture cannot disagree with the status page.
"""

import datetime
from dataclasses import dataclass, field

from bodies.models import Standing
from coe_kz.site.standing import StandingRow
from coe_kz.status import NONE, StatusAnswer, change_days, status_on
from coe_kz.templatetags.coe_kz_tags import status_label
from treaties.models import TreatyStatus

WIDTH = 760  # viewBox units; the CSS scales the picture to its column
MARGIN = 8
AXIS_HEIGHT = 28
LANE_HEIGHT = 46
NAME_BASELINE = 15  # the lane's name sits above its bar
BAR_TOP = 21
BAR_HEIGHT = 18
CHAR_WIDTH = 7.4  # generous width of a bold 12-unit label character, to decide whether it fits
LABEL_INSET = 4
LABEL_BASELINE = 13  # within the bar

# Each status's pattern, so that colour (set in site.css) is never the only cue. A treaty
# status and a body status of like weight share a family; labels and the legend tell them apart.
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
SHORT_LABELS = {TreatyStatus.INVITED: "Invited"}
LEGEND = {
    "treaty": [code for code in TreatyStatus.values if code != NONE],
    "body": [code for code in Standing.values if code != NONE],
}


@dataclass(frozen=True)
class Stretch:
    """Days from `start` up to (not including) `end` with one answer."""

    start: datetime.date
    end: datetime.date
    answer: StatusAnswer
    x: float = 0
    width: float = 0
    label: str = ""  # drawn inside the bar; empty when even the short form does not fit
    # The answer held before the picture's first day too (a step "on or before" a day
    # may have happened at any earlier time): the stretch has no first day of its own.
    began_earlier: bool = False

    @property
    def on_solid(self) -> bool:
        """The label sits on a solid dark fill (not a light pattern, not washed out as
        uncertain), so it is drawn in light text."""
        return self.answer.certain and PATTERNS.get(self.answer.status) == "solid"

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def label_x(self) -> float:
        return round(self.x + LABEL_INSET, 1)


@dataclass
class Lane:
    row: StandingRow
    y: float
    stretches: list[Stretch] = field(default_factory=list)

    @property
    def short_name(self) -> str:
        """The lane's name where little of the picture is in view (a phone): a body's
        acronym, else the record's usual name ("ETS No. 210 Istanbul Convention")."""
        record = self.row.record
        return getattr(record, "acronym", "") or str(record)

    @property
    def name_y(self) -> float:
        return self.y + NAME_BASELINE

    @property
    def bar_y(self) -> float:
        return self.y + BAR_TOP

    @property
    def label_y(self) -> float:
        return self.y + BAR_TOP + LABEL_BASELINE


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
    height: float = 0
    bar_height: int = BAR_HEIGHT
    axis_height: int = AXIS_HEIGHT
    patterns: dict = field(default_factory=lambda: PATTERNS)
    legend: dict = field(default_factory=lambda: LEGEND)

    @property
    def name_end_x(self) -> float:
        """Where a lane's short name ends when the picture opens at today (on a phone):
        just left of the today line, in the part of the picture first in view."""
        return round(self.today_x - LABEL_INSET, 1)


def _stretches(steps, start: datetime.date, today: datetime.date) -> list[Stretch]:
    changes = change_days(steps)
    days = sorted({start, *(d for d in changes if start < d <= today)})
    stretches = []
    for first, end in zip(days, [*days[1:], today + datetime.timedelta(days=1)], strict=True):
        answer = status_on(steps, first)
        if answer.status == NONE and answer.certain:
            continue  # nothing yet, and nothing pending: no bar
        previous = stretches[-1] if stretches else None
        if previous and previous.end == first and _same(previous.answer, answer):
            stretches[-1] = Stretch(
                previous.start, end, previous.answer, began_earlier=previous.began_earlier
            )
        else:
            began_earlier = first == start and start not in changes
            stretches.append(Stretch(first, end, answer, began_earlier=began_earlier))
    return stretches


def _same(a: StatusAnswer, b: StatusAnswer) -> bool:
    return (a.status, a.certain, a.possible, a.step) == (b.status, b.certain, b.possible, b.step)


def build_timeline(rows: list[StandingRow], today: datetime.date) -> Timeline | None:
    """Lanes for every record with a step that counts, on one shared axis from January
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

    lanes = []
    for index, (row, steps) in enumerate(dated):
        lane = Lane(row=row, y=AXIS_HEIGHT + index * LANE_HEIGHT)
        for s in _stretches(steps, start, today):
            x = x_of(s.start)
            width = round(x_of(s.end) - x, 1)
            label = _label(row.kind, s.answer, width)
            lane.stretches.append(
                Stretch(
                    s.start, s.end, s.answer, x=x, width=width, label=label, began_earlier=s.began_earlier
                )
            )
        lanes.append(lane)
    step = next(n for n in (1, 2, 5, 10, 20, 50) if (end.year - start.year) / n <= 14)
    ticks = [
        Tick(year, x_of(datetime.date(year, 1, 1)))
        for year in range(start.year, end.year + 1)
        if year % step == 0 or year == start.year
    ]
    return Timeline(
        start=start,
        end=end,
        today=today,
        today_x=x_of(today),
        lanes=lanes,
        ticks=ticks,
        height=AXIS_HEIGHT + len(lanes) * LANE_HEIGHT + MARGIN,
    )


def _label(kind: str, answer: StatusAnswer, width: float) -> str:
    """The longest label that fits the bar: for a certain answer its status ("Invited to
    accede"), else its short form ("Invited"); for an uncertain one, "Applicant, maybe
    Member", "Applicant?" or "?". Empty only for a bar too narrow for any of them."""
    label = status_label(answer.status, kind)
    if answer.certain:
        candidates = [label, SHORT_LABELS.get(answer.status, label)]
    else:
        maybe = " or ".join(status_label(code, kind) for code in answer.possible)
        candidates = [f"{label}, maybe {maybe}", f"{label}?", "?"]
    return next((text for text in candidates if len(text) * CHAR_WIDTH + 8 <= width), "")
