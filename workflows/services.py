"""What a workflow run needs, built once from Settings: the Notion workspace and the job queue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .settings import Settings

if TYPE_CHECKING:
    from integrations.notion import Workspace

    from .jobs import Accepted, Queue, Registry
    from .org import Org


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


@dataclass
class Services:
    """Settings plus lazily built Notion workspace and queue; passed to every job and view.

    `registry` (jobs, buttons, event handlers) defaults to the modules of `jobs.JOB_MODULES`.
    `clock` is the one clock the shells read (`services.now()`); tests pass a fixed one, so a page
    rendered "today" and the data the test wrote for "today" agree at any time of day.
    `org` is the organisation (name, time zone, calendar, schedules), read from `SPBE_ORG`.
    """

    settings: Settings
    clock: Callable[[], datetime] = field(default=system_clock, repr=False)
    _workspace: Workspace | None = field(default=None, repr=False)
    registry: Registry | None = field(default=None, repr=False)
    _queue: Queue | None = field(default=None, repr=False)
    _org: Org | None = field(default=None, repr=False)

    @property
    def org(self) -> Org:
        if self._org is None:
            from .org import load_org

            self._org = load_org(self.settings)
        return self._org

    def today(self):
        """The organisation's calendar day now."""
        return self.org.today(self.now())

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            from integrations.notion import Workspace

            self._workspace = Workspace.open(self.settings)
        return self._workspace

    @property
    def queue(self) -> Queue:
        if self._queue is None:
            from .jobs import Queue

            self._queue = Queue(self.settings, lambda: self, registry=self.registry)
            self.registry = self._queue.registry
        return self._queue

    def enqueue(self, name: str, **payload: Any) -> str:
        """Enqueue a job; with `jobs_immediate` it runs now, in this thread."""
        job_id = self.queue.enqueue(name, **payload)
        if self.settings.jobs_immediate:
            self.queue.drain()
        return job_id

    def accept(self, name: str, payload: dict, kind: str, key: str | None = None) -> Accepted:
        """Store an outside item (webhook event, button call, submission) for `spbe events`;
        `key` de-duplicates it. With `jobs_immediate` it runs now, in this thread."""
        accepted = self.queue.accept(name, payload, kind=kind, key=key)
        if self.settings.jobs_immediate and not accepted.duplicate:
            self.queue.drain()
        return accepted

    def now(self) -> datetime:
        """The clock, read only at the shell: pure cores take `now` as an argument."""
        return self.clock()
