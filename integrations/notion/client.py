"""The Notion gateway: one `notion_client.Client` on our own httpx client, our limiter, our retries.

The SDK is built with `retry=False` so that there is exactly one retry layer (tenacity, here):

- 429 `rate_limited` is always retried, after `Retry-After` (the limiter pauses every thread too);
- 5xx, 529, timeouts and connection errors are retried for idempotent calls only (reads, queries,
  property updates, deletes); a create or an append that failed this way is not repeated here,
  because it may have landed: the caller (a queued job that upserts by natural key) retries safely;
- 409 `conflict_error` is retried for idempotent calls (the write is re-sent on fresh state).

A token bucket keeps the average at or under `rate` requests per second with bursts of `burst`.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from notion_client import Client
from notion_client.errors import APIResponseError, HTTPResponseError, RequestTimeoutError
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from .errors import NotFound, NotionRequestError, NotionUnavailable, ValidationFailed

log = logging.getLogger("spbe.notion")

# Calls that may be repeated without changing the outcome.
IDEMPOTENT = frozenset(
    {
        "blocks.retrieve", "blocks.update", "blocks.delete", "blocks.children.list",
        "databases.retrieve", "databases.update", "data_sources.retrieve", "data_sources.update",
        "data_sources.query", "pages.retrieve", "pages.update", "pages.properties.retrieve",
        "search", "users.list", "users.retrieve", "users.me", "comments.list",
        "comments.retrieve", "file_uploads.retrieve", "file_uploads.list",
    }
)
TRANSIENT_STATUS = frozenset({409, 500, 502, 503, 504, 529})


class RateLimiter:
    """Thread-safe token bucket; `pause()` holds every caller back after a 429.

    One 429 after a quiet spell is a burst the server did not allow: the pause is enough. 429s
    that follow each other within `REPEAT_WINDOW` seconds mean the server's rate is below ours:
    the rate then drops by a fifth each time (never below a tenth of the configured rate) and
    returns to the configured rate after `RECOVER_AFTER` seconds without a 429."""

    REPEAT_WINDOW = 10.0
    RECOVER_AFTER = 60.0

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.configured_rate = rate
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(self.burst)
        self._stamp = clock()
        self._paused_until = 0.0
        self._last_429: float | None = None
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until a request may be sent."""
        while True:
            with self._lock:
                now = self._clock()
                wait = max(0.0, self._paused_until - now)
                if self.rate < self.configured_rate and self._last_429 is not None and \
                        now - self._last_429 >= self.RECOVER_AFTER:
                    self.rate = self.configured_rate
                if wait == 0.0:
                    # no refill before the stamp: a pause restarts the bucket at its end
                    elapsed = max(0.0, now - self._stamp)
                    self._tokens = min(self.burst, self._tokens + elapsed * self.rate)
                    self._stamp = max(self._stamp, now)
                    if self._tokens >= 1.0 - 1e-9:
                        self._tokens = max(0.0, self._tokens - 1.0)
                        return
                    wait = (1.0 - self._tokens) / self.rate
            self._sleep(wait)

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (server said Retry-After), then start from an empty bucket.

        The refill stamp moves to the end of the pause: tokens do not pile up while paused, so
        the client does not burst straight back into the server's limit."""
        with self._lock:
            now = self._clock()
            if self._last_429 is not None and now - self._last_429 < self.REPEAT_WINDOW:
                self.rate = max(self.configured_rate / 10, self.rate * 0.8)
            self._last_429 = now
            self._paused_until = max(self._paused_until, now + seconds)
            self._tokens = 0.0
            self._stamp = self._paused_until


def _status(exc: BaseException) -> int | None:
    return getattr(exc, "status", None) if isinstance(exc, HTTPResponseError) else None


def _retry_after(exc: BaseException) -> float | None:
    headers = getattr(exc, "headers", None)
    value = headers.get("retry-after") if headers is not None else None
    if not value:
        return None
    try:
        return min(60.0, max(0.0, float(value)))
    except ValueError:
        try:
            return min(60.0, max(0.0, parsedate_to_datetime(value).timestamp() - time.time()))
        except (TypeError, ValueError):
            return None


def _is_connection_error(exc: BaseException) -> bool:
    return isinstance(exc, RequestTimeoutError | httpx.TransportError)


class Notion:
    """Call Notion endpoints by name (`"pages.update"`) with limiting, retries and our errors."""

    def __init__(self, client: Client, limiter: RateLimiter | None = None, max_attempts: int = 6,
                 max_backoff: float = 30.0, sleep: Callable[[float], None] = time.sleep) -> None:
        self.client = client
        self.limiter = limiter
        self.max_attempts = max_attempts
        self.max_backoff = max_backoff
        self._sleep = sleep

    def call(self, endpoint: str, /, **kwargs: Any) -> Any:
        """Call `endpoint` (dotted path on the SDK client) and return its JSON body."""
        fn = self._resolve(endpoint)
        idempotent = endpoint in IDEMPOTENT

        def should_retry(exc: BaseException) -> bool:
            status = _status(exc)
            if status == 429:
                return True
            if not idempotent:
                return False
            return status in TRANSIENT_STATUS or _is_connection_error(exc)

        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(should_retry),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._once, fn, kwargs)
        except APIResponseError as exc:
            raise _translate(exc, endpoint) from None
        except HTTPResponseError as exc:
            if exc.status in TRANSIENT_STATUS or exc.status == 429:
                raise NotionUnavailable(f"{endpoint}: HTTP {exc.status} after retries") from None
            raise NotionRequestError(str(getattr(exc, "code", "http_error")), exc.status,
                                     f"{endpoint}: {exc}") from None
        except (RequestTimeoutError, httpx.TransportError) as exc:
            raise NotionUnavailable(f"{endpoint}: {type(exc).__name__}: {exc}") from None

    def pages(self, endpoint: str, /, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every response of a paginated endpoint, following `next_cursor` while `has_more`."""
        cursor = None
        while True:
            resp = self.call(endpoint, **kwargs, **({"start_cursor": cursor} if cursor else {}))
            yield resp
            cursor = resp.get("next_cursor")
            if not resp.get("has_more") or not cursor:
                return

    def paginate(self, endpoint: str, /, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every result of a paginated endpoint."""
        for resp in self.pages(endpoint, **kwargs):
            yield from resp.get("results", [])

    def _once(self, fn: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
        if self.limiter is not None:
            self.limiter.acquire()
        try:
            return fn(**kwargs)
        except HTTPResponseError as exc:
            if exc.status == 429 and self.limiter is not None:
                self.limiter.pause(_retry_after(exc) or 1.0)
            raise

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if exc is not None and _status(exc) == 429:
            after = _retry_after(exc)
            if self.limiter is not None:
                return 0.0  # the limiter already holds every thread until Retry-After
            return after if after is not None else 1.0
        backoff = min(self.max_backoff, 0.5 * 2 ** (state.attempt_number - 1))
        return backoff * (0.5 + random.random() / 2)

    def _resolve(self, endpoint: str) -> Callable[..., Any]:
        target: Any = self.client
        for part in endpoint.split("."):
            target = getattr(target, part)
        return target


def _translate(exc: APIResponseError, endpoint: str) -> Exception:
    code = str(exc.code.value if hasattr(exc.code, "value") else exc.code)
    message = str(exc)
    if exc.status in TRANSIENT_STATUS or exc.status == 429:
        return NotionUnavailable(f"{endpoint}: {code} ({exc.status}) after retries: {message}")
    if code == "object_not_found":
        return NotFound(code, exc.status, message)
    if code in ("validation_error", "invalid_request", "invalid_json", "invalid_request_url"):
        return ValidationFailed(code, exc.status, message)
    return NotionRequestError(code, exc.status, message)
