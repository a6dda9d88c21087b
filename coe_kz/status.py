"""Status over time: the one place that answers "what was Kazakhstan's standing on day D".

Works on any record's dated steps (treaty steps, body standings): objects with
`status`, `date`, `date_earliest`, `date_latest` and `is_deprecated`.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

NONE = "none"


@dataclass(frozen=True)
class StatusAnswer:
    """Kazakhstan's status in one record on one day.

    `step` is the step in force (None: no step has certainly happened yet, status
    "none"). `certain` is False when a later step's date range straddles the day, so
    it may already have replaced `step`; `possible` lists those steps' statuses.
    """

    day: datetime.date
    status: str
    step: object | None
    certain: bool
    possible: tuple[str, ...] = field(default=())

    @property
    def certainly_none(self) -> bool:
        """No step in force and none that may have happened: the record has no standing
        to show on this day (pages fold these rows away under the ones that do)."""
        return self.status == NONE and self.certain

    @property
    def since(self) -> str:
        """The EDTF date of the step in force, or "" when none is."""
        return self.step.date if self.step is not None else ""


def _order(step) -> tuple:
    # Steps sort by when they can have happened; an open start sorts first.
    return (
        step.date_latest or datetime.date.max,
        step.date_earliest or datetime.date.min,
        step.pk or 0,
    )


def status_on(steps: Iterable, day: datetime.date) -> StatusAnswer:
    """The status on `day`: that of the latest step certainly on or before it.

    A step certainly on or before `day` has its latest possible day on or before
    `day`. The answer is uncertain when some other step could already have happened by
    `day` but not certainly (its range straddles `day`). Deprecated steps (every
    citation rejects them) never count.
    """
    live = sorted((s for s in steps if not s.is_deprecated), key=_order)
    done = [s for s in live if s.date_latest is not None and s.date_latest <= day]
    in_force = done[-1] if done else None
    pending = [s for s in live if s not in done and (s.date_earliest is None or s.date_earliest <= day)]
    return StatusAnswer(
        day=day,
        status=in_force.status if in_force else NONE,
        step=in_force,
        certain=not pending,
        possible=tuple(dict.fromkeys(s.status for s in pending)),
    )


def change_days(steps: Iterable) -> list[datetime.date]:
    """Every day on which status_on's answer can change: a step's earliest day (from it
    the step may have happened) and its latest (from it, the step certainly has). Used
    to step from one dated change to the next, and to cut the timeline's stretches."""
    return sorted(
        {day for s in steps if not s.is_deprecated for day in (s.date_earliest, s.date_latest) if day}
    )


def order_problems(steps: Iterable, progression: dict[str, int], reset: str) -> list[str]:
    """Steps that contradict the order of the others, in words for the editor.

    `progression` ranks the statuses (signed < party); a step certainly dated after a
    higher-ranked one, with no `reset` step (denounced, withdrawn) between, is flagged:
    for example "signed" dated after "party". Flags, does not forbid: sources can be wrong.
    """
    problems = []
    highest = None
    for step in sorted((s for s in steps if not getattr(s, "is_deprecated", False)), key=_order):
        if step.status == reset:
            highest = None
            continue
        rank = progression.get(step.status, 0)
        if (
            highest is not None
            and rank < progression.get(highest.status, 0)
            and step.date_earliest is not None
            and highest.date_latest is not None
            and step.date_earliest > highest.date_latest
        ):
            problems.append(
                f"“{step.status}” ({step.date}) is dated after “{highest.status}” ({highest.date}) "
                f"with no “{reset}” between."
            )
        elif highest is None or rank >= progression.get(highest.status, 0):
            highest = step
    return problems
