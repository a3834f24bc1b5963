"""Helpers for deterministic tests: a fixed clock, waiting on a condition, `spbe serve` on port 0."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime


def fixed_clock(day: date) -> Callable[[], datetime]:
    """A clock stopped at 02:00 UTC (10:00 in Bali) on `day`, far from any midnight."""
    instant = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)
    return lambda: instant


def wait_until(predicate: Callable[[], object], timeout: float = 30.0, every: float = 0.02) -> bool:
    """Poll `predicate` until it is true or `timeout` seconds pass; its last answer, as a bool."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(every)
    return bool(predicate())


_SERVING = re.compile(r"serving on http://127\.0\.0\.1:(\d+)")


@dataclass
class Served:
    """A `spbe serve --port 0` subprocess: its base URL once it has bound, and its log lines."""

    proc: subprocess.Popen
    lines: list[str] = field(default_factory=list)
    port: int | None = None
    bound: threading.Event = field(default_factory=threading.Event)
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _read(self) -> None:
        for line in self.proc.stderr:
            with self.changed:
                self.lines.append(line)
                if self.port is None and (m := _SERVING.search(line)):
                    self.port = int(m.group(1))
                    self.bound.set()
                self.changed.notify_all()
        self.bound.set()  # the process ended: nobody waits for a port any more
        with self.changed:
            self.changed.notify_all()

    def wait_for_line(self, text: str, timeout: float = 10.0) -> bool:
        """Block until a log line contains `text` (or `timeout` passes)."""
        with self.changed:
            return self.changed.wait_for(lambda: any(text in line for line in self.lines), timeout)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()


def start_serve(env: dict, cwd=None, timeout: float = 60.0) -> Served:
    """Start `spbe serve --port 0`; the server binds port 0 itself and its first log line names
    the port, so no other process can take the port between choosing and binding it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "from workflows.cli import main; main()", "serve", "--host",
         "127.0.0.1", "--port", "0"],
        cwd=cwd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    served = Served(proc)
    threading.Thread(target=served._read, daemon=True).start()
    if not served.bound.wait(timeout) or served.port is None:
        served.stop()
        raise RuntimeError("spbe serve did not start:\n" + "".join(served.lines))
    return served
