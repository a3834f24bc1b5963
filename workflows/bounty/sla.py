"""SLA clocks (pure): acknowledge within 1 business day, triage within 2 (HackerOne's recommended
first-response and triage targets), counted in the organisation's time zone over its working
days: the weekdays of its `[calendar] working_days` minus its public holidays (the Indonesian
national list and collective leave, plus its own regional days; workflows/org, SPBE_ORG).

A clock started on a weekend or holiday starts at 00:00 of the next working day. A deadline is
the same local time of day, `n` working days later. A clock stops when the report is acknowledged
(any status other than New, or a public reply) / triaged (any status beyond Triaged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

ACK_DAYS = 1
TRIAGE_DAYS = 2


@dataclass(frozen=True)
class Calendar:
    """Working days of the office: `weekdays` (0 = Monday) minus `holidays`, in time zone `tz`."""

    holidays: frozenset[date]
    tz: tzinfo
    weekdays: frozenset[int] = frozenset(range(5))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """The instant `n` working days after `start` (aware), as described in the module doc."""
        local = start.astimezone(self.tz)
        day = local.date()
        if not self.is_working_day(day):
            while not self.is_working_day(day):
                day += timedelta(days=1)
            local = datetime.combine(day, time(0, 0), self.tz)
        left = n
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return datetime.combine(day, local.timetz()).replace(tzinfo=self.tz)


def calendar_of(org: Any) -> Calendar:
    """The SLA calendar of an organisation (`workflows.org.Org`): its zone, days and holidays."""
    from workflows.org.model import WEEKDAYS

    return Calendar(org.public_holidays, org.tz,
                    frozenset(WEEKDAYS.index(d) for d in org.calendar.working_days))


@dataclass(frozen=True)
class Clock:
    """One SLA clock of a report."""

    name: str  # "ack" or "triage"
    due: datetime
    done: datetime | None
    breached: bool

    @property
    def state(self) -> str:
        if self.done is not None:
            return "met" if not self.breached else "late"
        return "overdue" if self.breached else "running"


def clocks(submitted: datetime, acknowledged: datetime | None, triaged: datetime | None,
           now: datetime, cal: Calendar) -> tuple[Clock, Clock]:
    """The acknowledge and triage clocks of a report submitted at `submitted`."""
    # A triage decision acknowledges the report too, whichever date was recorded.
    acked = min((t for t in (acknowledged, triaged) if t is not None), default=None)
    out = []
    for name, days, done in (("ack", ACK_DAYS, acked), ("triage", TRIAGE_DAYS, triaged)):
        due = cal.add_working_days(submitted, days)
        breached = (done or now) > due
        out.append(Clock(name, due, done, breached))
    return out[0], out[1]


def sla_flag(submitted: datetime, acknowledged: datetime | None, triaged: datetime | None,
             now: datetime, cal: Calendar) -> str:
    """The SLA select value for Notion: OK, Ack overdue, Triage overdue, Ack late, Triage late."""
    ack, tri = clocks(submitted, acknowledged, triaged, now, cal)
    if ack.state == "overdue":
        return "Ack overdue"
    if tri.state == "overdue":
        return "Triage overdue"
    if tri.state == "late":
        return "Triage late"
    if ack.state == "late":
        return "Ack late"
    return "OK"
