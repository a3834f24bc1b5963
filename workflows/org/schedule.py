"""Schedule times in local time → the UTC crontabs the queue runs (pure).

A spec is `"HH:MM"` (every day), `"mon,thu HH:MM"` (those weekdays), `"workdays HH:MM"` (the
organisation's working days, public holidays skipped) or `"off"`. The queue's crontab is UTC, so a
local time becomes one crontab per UTC offset the zone uses in the coming years: one for the
Indonesian zones (no daylight saving time), two for a zone with DST. When there are several, or
when the spec depends on the local day (weekdays, working days), `due()` is checked when the
crontab fires, so the job runs once, at the named local time, on the named local days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPEC = re.compile(r"^(?:(?P<days>[a-z,]+)\s+)?(?P<h>\d{1,2}):(?P<m>\d{2})$")


@dataclass(frozen=True)
class LocalSchedule:
    """A parsed spec: local hour and minute, on `days` (weekday names) or on working days."""

    hour: int
    minute: int
    days: tuple[str, ...] = WEEKDAYS
    workdays: bool = False

    def due(self, local: datetime, is_working_day=None, exact_time: bool = True) -> bool:
        """True when the local time `local` is this schedule's minute on one of its days.
        `exact_time=False` checks the day only: the crontab that fired already names the time
        (one UTC offset), and a scheduler tick a minute late must not skip the run."""
        if exact_time and (local.hour, local.minute) != (self.hour, self.minute):
            return False
        if self.workdays:
            return bool(is_working_day and is_working_day(local.date()))
        return WEEKDAYS[local.weekday()] in self.days


def parse_spec(spec: str, where: str = "schedule") -> LocalSchedule | None:
    """A spec as a LocalSchedule (None for "off"); ValueError naming `where` when it is malformed."""
    text = " ".join(spec.lower().split())
    if text == "off":
        return None
    match = _SPEC.match(text)
    if not match:
        raise ValueError(f"{where}: {spec!r} is not 'HH:MM', 'mon,fri HH:MM', 'workdays HH:MM' or 'off'")
    hour, minute = int(match["h"]), int(match["m"])
    if hour > 23 or minute > 59:
        raise ValueError(f"{where}: {spec!r} is not a time of day")
    days = match["days"]
    if days in (None, "daily"):
        return LocalSchedule(hour, minute)
    if days == "workdays":
        return LocalSchedule(hour, minute, workdays=True)
    names = tuple(d[:3] for d in days.split(",") if d)
    bad = [d for d in names if d not in WEEKDAYS]
    if bad or not names:
        raise ValueError(f"{where}: unknown weekday in {spec!r} (use {', '.join(WEEKDAYS)})")
    return LocalSchedule(hour, minute, tuple(dict.fromkeys(names)))


def utc_offsets(tz: tzinfo, start: date, days: int = 800) -> list[timedelta]:
    """The distinct UTC offsets `tz` uses from `start` on, sampled every 6 hours."""
    base = datetime(start.year, start.month, start.day, tzinfo=UTC)
    seen: dict[timedelta, None] = {}
    for step in range(days * 4):
        offset = (base + timedelta(hours=6 * step)).astimezone(tz).utcoffset()
        if offset is not None:
            seen.setdefault(offset, None)
    return list(seen)


def _cron_dow(name: str, shift: int) -> int:
    """huey's day of week (0 = Sunday) of the UTC day `shift` days from the local weekday."""
    return (WEEKDAYS.index(name) + 1 + shift) % 7


def crontabs(schedule: LocalSchedule, tz: tzinfo, start: date,
             working_days: tuple[str, ...] = WEEKDAYS) -> list[dict[str, str]]:
    """UTC crontab fields that cover `schedule` in `tz` (see the module docstring); a "workdays"
    schedule runs on the weekdays `working_days` (holidays are skipped by `due()`)."""
    out = []
    for offset in utc_offsets(tz, start):
        local_minutes = schedule.hour * 60 + schedule.minute
        utc_minutes = local_minutes - int(offset.total_seconds() // 60)
        shift, minutes = divmod(utc_minutes, 24 * 60)
        cron = {"minute": str(minutes % 60), "hour": str(minutes // 60)}
        days = working_days if schedule.workdays else schedule.days
        if set(days) != set(WEEKDAYS):
            cron["day_of_week"] = ",".join(str(d) for d in sorted({_cron_dow(n, shift) for n in days}))
        if cron not in out:
            out.append(cron)
    return out


def needs_check(schedule: LocalSchedule, tz: tzinfo, start: date) -> bool:
    """Whether a firing crontab must ask `due()` (several offsets, or working days only)."""
    return schedule.workdays or len(utc_offsets(tz, start)) > 1
