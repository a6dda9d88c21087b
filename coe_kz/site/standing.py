"""Kazakhstan's whole standing on a day: every treaty and every body, in one list.

A site-level module (like urls.py): it composes the apps, which the shared core
(dates, status, models) never does. The status page, the home page and
/export/status.csv read from here, so they cannot disagree. Only what the public may
see counts: published steps of published treaties and bodies.
"""

import datetime
from dataclasses import dataclass

from bodies.models import Body
from coe_kz.status import StatusAnswer, change_days
from treaties.models import Treaty


@dataclass(frozen=True)
class StandingRow:
    kind: str  # "treaty" or "body"
    key: str  # CETS number or body slug, as text
    name: str
    record: Treaty | Body
    answer: StatusAnswer

    @property
    def steps(self):
        """The record's published steps, from the prefetch that standing_on made."""
        return self.record.dated_steps()


def standing_on(day: datetime.date) -> list[StandingRow]:
    """One row per published treaty and body, treaties first; four queries in all."""
    rows = [
        StandingRow("treaty", str(t.number), str(t), t, t.status_on(day))
        for t in Treaty.objects.for_status(published_only=True)
    ]
    rows += [
        StandingRow("body", b.slug, str(b), b, b.status_on(day))
        for b in Body.objects.for_status(published_only=True)
    ]
    return rows


def all_change_days(rows: list[StandingRow]) -> list[datetime.date]:
    """Every day on which some record's answer can change, across the rows standing_on
    returned (whatever its day: the steps are the same), so no query of its own."""
    return sorted({day for row in rows for day in change_days(row.steps)})
