"""What a workflow run needs, built once from Settings: the Notion workspace and the job queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .settings import Settings

if TYPE_CHECKING:
    from integrations.notion import Workspace

    from .jobs import Accepted, Queue, Registry


@dataclass
class Services:
    """Settings plus lazily built Notion workspace and queue; passed to every job and view.

    `registry` (jobs, buttons, event handlers) defaults to the modules of `jobs.JOB_MODULES`."""

    settings: Settings
    _workspace: Workspace | None = field(default=None, repr=False)
    registry: Registry | None = field(default=None, repr=False)
    _queue: Queue | None = field(default=None, repr=False)

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

    @staticmethod
    def now() -> datetime:
        """The clock, read only at the shell: pure cores take `now` as an argument."""
        return datetime.now(UTC)
