"""Fault switches for testing clients: rate limiting, injected errors and outages.

Settings live in memory only (never in the SQLite file): a restart clears them.
"""

from __future__ import annotations

import math
import threading
import time

from .errors import NotionError

FAULTS = {
    409: ("conflict_error", "Conflict occurred while saving. Please try again."),
    500: ("internal_server_error", "Unexpected error occurred."),
    502: ("bad_gateway", "Bad gateway."),
    503: ("service_unavailable", "Notion is unavailable, please try again later."),
    504: ("gateway_timeout", "Notion timed out while processing the request."),
    529: ("service_overload", "Notion is overloaded, please try again later."),
}


class Faults:
    """Switches checked before every request; thread-safe."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        """Turn every fault off."""
        with self._lock:
            self._rate: float | None = None
            self._burst = 0.0
            self._tokens = 0.0
            self._stamp = self._clock()
            self._injected: list[int] = []
            self._outage_until = 0.0
            self._rate_limited = 0

    @property
    def rate_limited(self) -> int:
        """How many requests the rate limit has refused (429) since the last `clear()`."""
        with self._lock:
            return self._rate_limited

    def rate_limit(self, on: bool = True, rate: float = 3.0, burst: int = 3) -> None:
        """Token bucket: `rate` requests/s on average, `burst` at once; off with on=False."""
        with self._lock:
            self._rate = float(rate) if on else None
            self._burst = float(burst)
            self._tokens = float(burst)
            self._stamp = self._clock()

    def inject(self, status: int, count: int = 1) -> None:
        """Make the next `count` requests fail with `status` (409, 500, 502, 503, 504, 529)."""
        if status not in FAULTS:
            raise ValueError(f"cannot inject status {status}; choose one of {sorted(FAULTS)}")
        with self._lock:
            self._injected.extend([status] * count)

    def outage(self, seconds: float) -> None:
        """Fail every request with 503 for `seconds` from now."""
        with self._lock:
            self._outage_until = self._clock() + seconds

    def check(self) -> None:
        """Raise the fault due for this request, if any."""
        with self._lock:
            now = self._clock()
            if now < self._outage_until:
                raise _fault(503, retry_after=math.ceil(self._outage_until - now))
            if self._injected:
                raise _fault(self._injected.pop(0))
            if self._rate is not None:
                self._take_token(now)

    def _take_token(self, now: float) -> None:
        self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return
        wait = max(1, math.ceil((1.0 - self._tokens) / self._rate))
        self._rate_limited += 1
        raise NotionError(
            429,
            "rate_limited",
            "You have been rate limited. Please try again in a few minutes.",
        ).with_headers({"Retry-After": str(wait)})


def _fault(status: int, retry_after: int | None = None) -> NotionError:
    code, message = FAULTS[status]
    error = NotionError(status, code, message)
    if retry_after is not None:
        error.with_headers({"Retry-After": str(max(1, retry_after))})
    return error
