"""The workspace's clock: where timestamps and relative date filters (`next_week`) read the time.

`LocalWorkspace(path, clock=...)` takes any callable returning an aware datetime; the default is
the system clock in UTC. `ManualClock` is a settable clock for tests and simulations.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


class ManualClock:
    """A clock that stands still until moved: `clock()`, `clock.advance(seconds=90)`, `clock.set(t)`."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime (e.g. tzinfo=UTC)")
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (aware)."""
        if moment.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime (e.g. tzinfo=UTC)")
        with self._lock:
            self._now = moment

    def advance(self, **delta: float) -> datetime:
        """Move forward by a timedelta given as keywords (`minutes=2`); returns the new time."""
        with self._lock:
            self._now += timedelta(**delta)
            return self._now
