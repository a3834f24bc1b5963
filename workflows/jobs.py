"""The job queue: huey on SQLite in $SPBE_HOME by default, on Redis when REDIS_URL is set.

Capabilities register plain functions `fn(services, **payload)` with `@job(name)`, Notion button
actions with `@button(action)`, Notion webhook handlers with `@on_notion_event`, and cron
schedules with `periodic(job_name, minute=.., ...)`. The decorators only mark the function; the
entry point builds a `Registry` from the modules listed in `JOB_MODULES` and passes it down, so a
test module's jobs exist only for the tests that load that module.

Delivery is at least once (see `workflows/jobstore.py` and docs/queue.md): a job is stored before
`enqueue` returns, leased (not deleted) by the worker that runs it, deleted when its handler has
finished, and run again after a crash. Handlers must therefore be idempotent. Jobs that fail are
retried with exponential back-off while the failure is transient (Notion unavailable,
rate-limited, network); a job that fails for good is kept under `failed:` in the queue's storage
and listed by `spbe jobs`, never silently dropped.

Items from outside (`spbe events` lists them) are enqueued with `services.accept(name, payload,
kind=..., key=...)`: `kind` is "webhook", "button" or "submission", and `key` de-duplicates (the
same key within the retention window returns the first item's job id with `duplicate=True`). A
public form is enqueued the same way once its upload is stored, e.g. in a view:

    accepted = services.accept("bounty.submit", {"report_id": rid}, kind="submission",
                               key=f"bounty:{rid}")

The ledger row, the key and the job are written in one transaction; the job (`@job("bounty.submit")`)
must be idempotent, since a crash while it runs makes it run again.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from huey.consumer import Consumer
from huey.exceptions import RetryTask

from .jobstore import RETENTION, LeasedRedisHuey, LeasedSqliteHuey

log = logging.getLogger(__name__)

# Modules whose jobs, buttons, event handlers and schedules the entry points load.
JOB_MODULES: list[str] = [
    "workflows.spbe_index.hooks",
    "workflows.progress.tasks",
    "workflows.judol.tasks",
    "workflows.recruitment.tasks",
    "workflows.chatbot.tasks",
    "workflows.bounty.tasks",
]
KINDS = ("webhook", "button", "submission")

JobFn = Callable[..., Any]
_MARK = "__spbe_registrations__"
_PERIODIC_MARK = "__spbe_periodic__"

MAX_ATTEMPTS = 30  # with back-off capped at 10 minutes: several hours of outage survived
BASE_DELAY = 1.0
MAX_DELAY = 600.0
LEASE_SECONDS = 30.0


class PermanentJobError(Exception):
    """Raise from a job when retrying cannot help (bad payload, missing object)."""


def _mark(fn: JobFn, what: str, name: str | None) -> JobFn:
    fn.__dict__.setdefault(_MARK, []).append((what, name))
    return fn


def job(name: str) -> Callable[[JobFn], JobFn]:
    """Mark `fn(services, **payload)` as the job `name`."""
    return lambda fn: _mark(fn, "job", name)


def button(action: str) -> Callable[[JobFn], JobFn]:
    """Mark the job run by the Notion button `POST /webhooks/button/<action>`."""
    return lambda fn: _mark(fn, "button", action)


def on_notion_event(fn: Callable[[Any, dict], Any]) -> Callable[[Any, dict], Any]:
    """Mark a handler called with every verified Notion webhook event."""
    return _mark(fn, "event", None)


def periodic(job_name: str, at: str | None = None, **cron: str) -> None:
    """Run the job `job_name` (no payload) on a huey crontab: minute, hour, day, month,
    day_of_week (UTC); or with `at`, at a local time of the organisation ("09:00", "mon 08:05",
    "workdays 07:30"; its `[schedules]` table may move it). Called at module level; the schedule
    belongs to the calling module."""
    entry = (job_name, {"at": at} if at is not None else cron)
    caller = inspect.currentframe().f_back  # type: ignore[union-attr]
    caller.f_globals.setdefault(_PERIODIC_MARK, []).append(entry)  # type: ignore[union-attr]


@dataclass
class Registry:
    """Jobs, buttons, event handlers and schedules of a set of modules; built by entry points."""

    jobs: dict[str, JobFn] = field(default_factory=dict)
    buttons: dict[str, str] = field(default_factory=dict)
    event_handlers: list[Callable[[Any, dict], Any]] = field(default_factory=list)
    periodic: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @classmethod
    def load(cls, modules: Iterable[str] | None = None) -> Registry:
        """Import `modules` (default JOB_MODULES) and collect what their functions are marked as."""
        registry = cls()
        for name in [__name__, *(JOB_MODULES if modules is None else modules)]:
            registry.add_module(importlib.import_module(name))
        return registry

    def add_module(self, module: Any) -> None:
        seen: set[int] = set()
        for fn in list(vars(module).values()):
            if getattr(fn, "__module__", None) != module.__name__ or id(fn) in seen:
                continue  # imported from elsewhere (registered by its own module), or an alias
            seen.add(id(fn))
            for what, name in getattr(fn, _MARK, ()):
                if what == "event":
                    self.event_handlers.append(fn)
                    continue
                job_name = name if what == "job" else f"button.{name}"
                if self.jobs.get(job_name, fn) is not fn:
                    raise ValueError(f"job {job_name!r} is registered twice")
                self.jobs[job_name] = fn
                if what == "button":
                    self.buttons[name] = job_name
        self.periodic.extend(vars(module).get(_PERIODIC_MARK, ()))


@job("notion.event")
def _dispatch_event(services: Any, event: dict) -> None:
    # Every handler gets the event even when one fails; the first failure then decides whether
    # the job is retried (handlers are idempotent, so a retry re-running the others is harmless).
    errors: list[Exception] = []
    for handler in services.queue.registry.event_handlers:
        try:
            handler(services, event)
        except Exception as exc:  # noqa: BLE001 - re-raised below
            log.warning("event handler %s failed: %s", handler.__qualname__, exc)
            errors.append(exc)
    if errors:
        raise errors[0]


def _is_transient(exc: BaseException) -> bool:
    from integrations.notion.errors import NotionUnavailable

    return isinstance(exc, NotionUnavailable | OSError | TimeoutError)


@dataclass(frozen=True)
class Accepted:
    """What `accept` did: the item's job id, and whether the key had been seen already."""

    job_id: str
    duplicate: bool


class Queue:
    """The project's queue: enqueue, drain (tests, one-off runs), worker threads, listings."""

    def __init__(self, settings: Any, services_factory: Callable[[], Any],
                 registry: Registry | None = None, base_delay: float = BASE_DELAY,
                 max_delay: float = MAX_DELAY, max_attempts: int = MAX_ATTEMPTS) -> None:
        if registry is None:
            extra = [m.strip() for m in getattr(settings, "spbe_job_modules", "").split(",")]
            registry = Registry.load([*JOB_MODULES, *filter(None, extra)])
        self.registry = registry
        self.base_delay, self.max_delay, self.max_attempts = base_delay, max_delay, max_attempts
        self._services_factory = services_factory
        self._services: Any = None
        self._lock = threading.Lock()
        self._inflight: dict[str, tuple[Any, str]] = {}  # lease token -> (lease, job id)
        lease = float(getattr(settings, "spbe_job_lease_seconds", LEASE_SECONDS))
        if settings.redis_url:
            self.huey = LeasedRedisHuey("spbe", url=settings.redis_url, results=True,
                                        lease_seconds=lease)
        else:
            path = settings.home() / "jobs.sqlite3"
            self.huey = LeasedSqliteHuey("spbe", filename=str(path), results=True,
                                         lease_seconds=lease)
        self.storage = self.huey.storage
        self._task = self.huey.task(context=True, name="spbe.run")(self._run)
        self._crontabs = self._resolve_schedules(settings)
        seen: dict[str, int] = {}
        for job_name, cron, check in self._crontabs:
            seen[job_name] = seen.get(job_name, -1) + 1
            self._schedule(job_name, cron, check, seen[job_name])

    def close(self) -> None:
        """Release the storage's connections (Redis pool; SQLite closes per call)."""
        self.storage.close()

    # -- producing -------------------------------------------------------------------------
    def enqueue(self, name: str, **payload: Any) -> str:
        """Store the job durably and return its id; unknown names are a programming error."""
        return self.accept(name, payload).job_id

    def accept(self, name: str, payload: dict, kind: str | None = None,
               key: str | None = None, now: float | None = None) -> Accepted:
        """Store an item: its job, its ledger row (`kind`) and its de-duplication `key`, at once."""
        if name not in self.registry.jobs:
            raise KeyError(f"unknown job {name!r}")
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        if key is not None and kind is None:
            raise ValueError("a de-duplication key belongs to an item: give its kind too")
        job_id = uuid.uuid4().hex
        data = self.huey.serialize_task(self._task.s(name, payload, job_id, 1))
        item = {"kind": kind, "name": name} if kind else None
        known = self.storage.accept(data, job_id, item, key, time.time() if now is None else now)
        return Accepted(known, True) if known else Accepted(job_id, False)

    def _resolve_schedules(self, settings: Any) -> list[tuple[str, dict[str, str], Any]]:
        """(job, UTC crontab, local check or None) for every schedule; local times via the org.
        A `[schedules]` name this registry does not schedule is logged (`spbe init --org` and
        `spbe org show` check the names against every module)."""
        from .org import load_org
        from .org.schedule import crontabs, needs_check, parse_spec

        out: list[tuple[str, dict[str, str], Any]] = []
        org = load_org(settings)
        local = {job_name for job_name, cron in self.registry.periodic if "at" in cron}
        for name in sorted(set(org.schedules) - local):
            log.warning("%s: schedules.%s: no job of that name runs at a local time here",
                        org.source, name)
        for job_name, cron in self.registry.periodic:
            if "at" not in cron:
                out.append((job_name, cron, None))
                continue
            spec = parse_spec(org.schedules.get(job_name, cron["at"]), f"schedules.{job_name}")
            if spec is None:  # "off"
                continue
            start = datetime.now(UTC).date()
            tabs = crontabs(spec, org.tz, start, org.calendar.working_days)
            check = (spec, org, len(tabs) > 1) if needs_check(spec, org.tz, start) else None
            out += [(job_name, c, check) for c in tabs]
        return out

    def _schedule(self, job_name: str, cron: dict[str, str], check: Any, index: int) -> None:
        from huey import crontab

        def fire() -> None:
            if check is not None:  # several UTC offsets, or working days only: ask the local time
                spec, org, several = check
                if not spec.due(org.local(self.services().now()), org.is_working_day, several):
                    return
            self.enqueue(job_name)

        name = f"periodic.{job_name}" + (f".{index}" if index else "")  # a second UTC offset: .1
        self.huey.periodic_task(crontab(**cron), name=name)(fire)

    def periodic_jobs(self) -> list[tuple[str, dict[str, str]]]:
        """Scheduled jobs: (job name, UTC crontab fields), local times already converted."""
        return [(job_name, cron) for job_name, cron, _ in self._crontabs]

    def remember_once(self, key: str, ttl: float = RETENTION, now: float | None = None) -> bool:
        """True the first time `key` is seen in `ttl` seconds (atomic on SQLite and Redis): for
        coarse throttles. Not for de-duplicating items: `accept(..., key=)` stores the key with
        the job, in one transaction."""
        return self.storage.remember(key, time.time() if now is None else now, ttl)

    def forget(self, key: str) -> None:
        """Undo `remember_once`."""
        self.storage.forget(key)

    # -- consuming -------------------------------------------------------------------------
    def services(self) -> Any:
        with self._lock:
            if self._services is None:
                self._services = self._services_factory()
            return self._services

    def _run(self, name: str, payload: dict, job_id: str, attempt: int, task: Any = None) -> Any:
        lease = getattr(task, "lease", None)
        if lease is not None:
            self._inflight[lease.token] = (lease, job_id)
        self.storage.set_state(job_id, "running", time.time(), attempts=attempt)
        state, error = "done", None
        fn = self.registry.jobs.get(name)
        try:
            if fn is None:
                raise PermanentJobError(f"unknown job {name!r}")
            fn(self.services(), **payload)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded or retried
            if _is_transient(exc) and attempt < self.max_attempts:
                delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
                log.warning("job %s %s attempt %d failed (%s); retry in %.0fs",
                            name, job_id, attempt, type(exc).__name__, delay)
                self._task.schedule((name, payload, job_id, attempt + 1), delay=delay)
                state = "queued"
            else:
                log.error("job %s %s failed for good: %s", name, job_id, exc)
                state, error = "failed", f"{type(exc).__name__}: {exc}"
                self._fail(job_id, name, payload, attempt, error)
        if lease is not None:  # acknowledged: the job leaves the queue with its final state
            self.storage.ack(lease, job_id, state, time.time(), error)
            self._inflight.pop(lease.token, None)
            task.lease = None
        else:
            self.storage.set_state(job_id, state, time.time())
        return None  # results are never read: returning None keeps huey's result store small

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
            until = _utcnow() + _days(3650) if include_scheduled else None
            self.huey.read_schedule(until or _utcnow())
            task = self.huey.dequeue()
            if task is not None:
                self.huey.execute(task, until)  # `until`: a retry's time counts as come
                ran += 1
                continue
            if not (wait_scheduled and self.huey.scheduled_count() and time.monotonic() < deadline):
                break
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
        return ran

    def start_worker(self, workers: int = 2) -> Worker:
        """Start worker, scheduler and lease-renewal threads in this process (`spbe serve`)."""
        # Poll at least every 0.5 s even after a quiet spell (huey's default backs off to 10 s),
        # so a webhook that arrives after an idle minute is still handled within a second.
        consumer = _EmbeddedConsumer(self.huey, workers=workers, worker_type="thread",
                                     periodic=True, check_worker_health=False,
                                     initial_delay=0.05, backoff=1.15, max_delay=0.5)
        worker = Worker(self, consumer)
        worker.start()
        return worker

    def renew_leases(self) -> None:
        self.storage.renew([lease for lease, _ in list(self._inflight.values())], time.time())

    def release_leases(self) -> int:
        """Hand the running jobs' leases back (shutting down): they run again on the next start."""
        running = list(self._inflight.values())
        self.storage.release([lease for lease, _ in running])
        for _, job_id in running:
            self.storage.set_state(job_id, "queued", time.time())
        return len(running)

    # -- listing ---------------------------------------------------------------------------
    def pending(self) -> list[dict]:
        """Jobs waiting to run now or later (retries included), and running ones."""
        rows = []
        for t in list(self.huey.pending()) + list(self.huey.scheduled()):
            if t.name != "spbe.run":
                continue
            name, payload, job_id, attempt = t.args
            rows.append({"id": job_id, "name": name, "attempt": attempt,
                         "eta": t.eta.isoformat() if t.eta else None, "payload": payload})
        return rows

    def failed(self) -> list[dict]:
        """Jobs that failed for good, newest first."""
        rows = [v for k, v in self.huey.all_results().items() if k.startswith("failed:")]
        decoded = [self.huey.serializer.deserialize(v) if isinstance(v, bytes) else v for v in rows]
        return sorted(decoded, key=lambda r: r["failed_at"], reverse=True)

    def purge_failed(self, names: tuple[str, ...], before: float, dry_run: bool = False) -> int:
        """Drop the failed-for-good records of jobs named `names` that failed before `before` (a
        Unix time): their payloads may hold personal data (a Qontak message) that a retention
        rule covers. Returns how many were (or, with `dry_run`, would be) dropped."""
        old = [r for r in self.failed() if r["name"] in names and r["failed_at"] < before]
        if not dry_run:
            for rec in old:
                self.huey.get(f"failed:{rec['id']}")  # pops the record
        return len(old)

    def retry_failed(self) -> int:
        """Re-enqueue every failed job (after the cause is fixed); returns how many."""
        count = 0
        for rec in self.failed():
            self.huey.get(f"failed:{rec['id']}")  # pops the record
            self._task(rec["name"], rec["payload"], rec["id"], 1)
            self.storage.set_state(rec["id"], "queued", time.time())
            count += 1
        return count

    def events(self, limit: int = 200) -> list[dict]:
        """Recent webhook events, button calls and submissions, newest first, with their state."""
        return self.storage.items(limit)


class Worker:
    """The consumer threads plus a thread renewing the leases of running jobs."""

    def __init__(self, queue: Queue, consumer: Consumer) -> None:
        self.queue, self.consumer = queue, consumer
        self._stop = threading.Event()
        self._renewer = threading.Thread(target=self._renew, name="lease-renewal", daemon=True)

    def start(self) -> None:
        self.consumer.start()
        self._renewer.start()

    def _renew(self) -> None:
        interval = self.queue.storage.lease_seconds / 3
        while not self._stop.wait(interval):
            try:
                self.queue.renew_leases()
            except Exception:  # noqa: BLE001 - a missed renewal only risks a duplicate run
                log.exception("renewing job leases failed")

    def stop(self, timeout: float = 30.0, graceful: bool = True) -> int:
        """Stop taking jobs, wait up to `timeout` s for running ones (none when not `graceful`);
        hand the rest back to the queue. Returns how many were handed back."""
        self.consumer.shutdown_timeout = timeout if graceful else 0.0
        self.consumer.stop(graceful=True)
        self._stop.set()
        return self.queue.release_leases()


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


__all__ = ["Queue", "Registry", "Accepted", "Worker", "job", "button", "on_notion_event",
           "periodic", "PermanentJobError", "RetryTask", "JOB_MODULES", "KINDS"]
