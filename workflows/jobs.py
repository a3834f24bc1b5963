"""The job queue: huey on SQLite in $SPBE_HOME by default, on Redis when REDIS_URL is set.

Capabilities register plain functions `fn(services, **payload)` with `@job(name)`, Notion button
actions with `@button(action)`, and Notion webhook handlers with `@on_notion_event`. Everything is
routed through one huey task, so a payload is written to the queue's storage (SQLite file or Redis)
before `enqueue` returns: a web request that enqueued has stored its work durably. Jobs that fail
are retried with exponential back-off while the failure is transient (Notion unavailable,
rate-limited, network); a job that fails for good is kept under `failed:` in the queue's storage and
listed by `spbe jobs`, never silently dropped.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from huey import RedisHuey, SqliteHuey
from huey.consumer import Consumer
from huey.exceptions import RetryTask

log = logging.getLogger(__name__)

# Modules whose import registers jobs, buttons and event handlers.
JOB_MODULES: list[str] = [
    "workflows.spbe_index.hooks",
    "workflows.progress.tasks",
    "workflows.judol.tasks",
    "workflows.bounty.tasks",
]

JobFn = Callable[..., Any]
_JOBS: dict[str, JobFn] = {}
_BUTTONS: dict[str, str] = {}
_EVENT_HANDLERS: list[Callable[[Any, dict], Any]] = []
_PERIODIC: list[tuple[str, dict[str, str]]] = []

MAX_ATTEMPTS = 30  # with back-off capped at 10 minutes: several hours of outage survived
BASE_DELAY = 1.0
MAX_DELAY = 600.0


class PermanentJobError(Exception):
    """Raise from a job when retrying cannot help (bad payload, missing object)."""


def job(name: str) -> Callable[[JobFn], JobFn]:
    """Register `fn(services, **payload)` as the job `name`."""

    def register(fn: JobFn) -> JobFn:
        _JOBS[name] = fn
        return fn

    return register


def button(action: str) -> Callable[[JobFn], JobFn]:
    """Register the job run by the Notion button `POST /webhooks/button/<action>`."""

    def register(fn: JobFn) -> JobFn:
        _BUTTONS[action] = f"button.{action}"
        _JOBS[f"button.{action}"] = fn
        return fn

    return register


def on_notion_event(fn: Callable[[Any, dict], Any]) -> Callable[[Any, dict], Any]:
    """Register a handler called with every verified Notion webhook event."""
    _EVENT_HANDLERS.append(fn)
    return fn


def periodic(job_name: str, **cron: str) -> None:
    """Run the job `job_name` (no payload) on a huey crontab: minute, hour, day, month,
    day_of_week (UTC). The consumer started by `spbe serve` enqueues it; the job runs as usual."""
    _PERIODIC.append((job_name, cron))


@job("notion.event")
def _dispatch_event(services: Any, event: dict) -> None:
    # Every handler gets the event even when one fails; the first failure then decides whether
    # the job is retried (handlers are idempotent, so a retry re-running the others is harmless).
    errors: list[Exception] = []
    for handler in _EVENT_HANDLERS:
        try:
            handler(services, event)
        except Exception as exc:  # noqa: BLE001 - re-raised below
            log.warning("event handler %s failed: %s", handler.__qualname__, exc)
            errors.append(exc)
    if errors:
        raise errors[0]


def load_job_modules() -> None:
    """Import every capability's job module so its registrations exist."""
    for module in JOB_MODULES:
        importlib.import_module(module)


def button_actions() -> dict[str, str]:
    """Known button actions → job names."""
    load_job_modules()
    return dict(_BUTTONS)


def _is_transient(exc: BaseException) -> bool:
    from integrations.notion.errors import NotionUnavailable

    return isinstance(exc, NotionUnavailable | OSError | TimeoutError)


class Queue:
    """The project's queue: enqueue, drain (tests, one-off runs), a worker thread, listings."""

    def __init__(self, settings: Any, services_factory: Callable[[], Any],
                 base_delay: float = BASE_DELAY, max_delay: float = MAX_DELAY,
                 max_attempts: int = MAX_ATTEMPTS) -> None:
        load_job_modules()
        self.base_delay, self.max_delay, self.max_attempts = base_delay, max_delay, max_attempts
        self._services_factory = services_factory
        self._services: Any = None
        self._lock = threading.Lock()
        if settings.redis_url:
            self.huey = RedisHuey("spbe", url=settings.redis_url, results=True)
        else:
            path = settings.home() / "jobs.sqlite3"
            self.huey = SqliteHuey("spbe", filename=str(path), results=True)
        self._task = self.huey.task(context=True, name="spbe.run")(self._run)
        for job_name, cron in _PERIODIC:
            self._schedule(job_name, cron)

    # -- producing -------------------------------------------------------------------------
    def enqueue(self, name: str, **payload: Any) -> str:
        """Store the job durably and return its id; unknown names are a programming error."""
        if name not in _JOBS:
            raise KeyError(f"unknown job {name!r}")
        job_id = uuid.uuid4().hex
        self._task(name, payload, job_id, 1)
        return job_id

    def _schedule(self, job_name: str, cron: dict[str, str]) -> None:
        from huey import crontab

        def fire() -> None:
            self.enqueue(job_name)

        self.huey.periodic_task(crontab(**cron), name=f"periodic.{job_name}")(fire)

    def periodic_jobs(self) -> list[tuple[str, dict[str, str]]]:
        """Registered periodic jobs: (job name, crontab fields)."""
        return list(_PERIODIC)

    def remember_once(self, key: str) -> bool:
        """True the first time `key` is seen (atomic on SQLite and Redis): event de-duplication."""
        return bool(self.huey.storage.put_if_empty(f"seen:{key}", b"1"))

    def forget(self, key: str) -> None:
        """Undo `remember_once` (the work could not be stored)."""
        self.huey.storage.delete_data(f"seen:{key}")

    # -- consuming -------------------------------------------------------------------------
    def services(self) -> Any:
        with self._lock:
            if self._services is None:
                self._services = self._services_factory()
            return self._services

    def _run(self, name: str, payload: dict, job_id: str, attempt: int, task: Any = None) -> Any:
        fn = _JOBS.get(name)
        if fn is None:
            self._fail(job_id, name, payload, attempt, f"unknown job {name!r}")
            return None
        try:
            fn(self.services(), **payload)
            return None  # results are never read: returning None keeps huey's result store small
        except Exception as exc:  # noqa: BLE001 - every failure is recorded or retried
            if _is_transient(exc) and attempt < self.max_attempts:
                delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
                log.warning("job %s %s attempt %d failed (%s); retry in %.0fs",
                            name, job_id, attempt, type(exc).__name__, delay)
                self._task.schedule((name, payload, job_id, attempt + 1), delay=delay)
                return None
            log.error("job %s %s failed for good: %s", name, job_id, exc)
            self._fail(job_id, name, payload, attempt, f"{type(exc).__name__}: {exc}")
            return None

    def _fail(self, job_id: str, name: str, payload: dict, attempts: int, error: str) -> None:
        record = {"id": job_id, "name": name, "payload": payload, "attempts": attempts,
                  "error": error, "failed_at": time.time()}
        self.huey.put(f"failed:{job_id}", record)

    def drain(self, max_tasks: int = 100_000, include_scheduled: bool = False,
              wait_scheduled: float = 0.0) -> int:
        """Run queued jobs in this thread until none is left; returns how many ran.

        `include_scheduled` runs retries now instead of at their time; `wait_scheduled` (seconds)
        instead waits for them, up to that long, as a worker would.
        """
        ran = 0
        deadline = time.monotonic() + wait_scheduled
        while ran < max_tasks:
            now = _utcnow()
            for t in self.huey.read_schedule(now + _days(3650) if include_scheduled else now):
                self.huey.enqueue(t)
            task = self.huey.dequeue()
            if task is not None:
                self.huey.execute(task)
                ran += 1
                continue
            if not (wait_scheduled and self.huey.scheduled_count() and time.monotonic() < deadline):
                break
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
        return ran

    def start_worker(self, workers: int = 2) -> Any:
        """Start huey's worker and scheduler threads in this process (used by `spbe serve`)."""
        # Poll at least every 0.5 s even after a quiet spell (huey's default backs off to 10 s),
        # so a webhook that arrives after an idle minute is still handled within a second.
        consumer = _EmbeddedConsumer(self.huey, workers=workers, worker_type="thread",
                                     periodic=True, check_worker_health=False,
                                     initial_delay=0.05, backoff=1.15, max_delay=0.5)
        consumer.start()
        return consumer

    # -- listing ---------------------------------------------------------------------------
    def pending(self) -> list[dict]:
        """Jobs waiting to run now or later (retries included)."""
        rows = []
        for t in list(self.huey.pending()) + list(self.huey.scheduled()):
            name, payload, job_id, attempt = t.args
            rows.append({"id": job_id, "name": name, "attempt": attempt,
                         "eta": t.eta.isoformat() if t.eta else None, "payload": payload})
        return rows

    def failed(self) -> list[dict]:
        """Jobs that failed for good, newest first."""
        rows = [v for k, v in self.huey.all_results().items() if k.startswith("failed:")]
        decoded = [self.huey.serializer.deserialize(v) if isinstance(v, bytes) else v for v in rows]
        return sorted(decoded, key=lambda r: r["failed_at"], reverse=True)

    def retry_failed(self) -> int:
        """Re-enqueue every failed job (after the cause is fixed); returns how many."""
        count = 0
        for rec in self.failed():
            self.huey.get(f"failed:{rec['id']}")  # pops the record
            self._task(rec["name"], rec["payload"], rec["id"], 1)
            count += 1
        return count


class _EmbeddedConsumer(Consumer):
    """A huey consumer living inside another program: the host keeps its signal handlers."""

    def _set_signal_handlers(self) -> None:
        """`spbe serve` owns SIGINT/SIGTERM; stopping is done through `stop()`."""


def _utcnow() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _days(n: int) -> Any:
    import datetime as dt

    return dt.timedelta(days=n)


__all__ = ["Queue", "job", "button", "on_notion_event", "periodic", "PermanentJobError",
           "RetryTask"]
