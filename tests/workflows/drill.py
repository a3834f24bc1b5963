"""The kill -9 drill: signed Notion events from many clients against a real `spbe serve` process
that is killed (SIGKILL) and restarted mid-burst. Used by tests/workflows/test_serve_faults.py and
scripts/bench_queue_kill9.py.

Clients behave like Notion: an event that got no 2xx is sent again (after the restart), and some
acknowledged events are sent again too. The server loads a plug-in (through SPBE_JOB_MODULES;
imported up front, so an older checkout without that setting registers it as well) whose handler
records each event's effect in $SPBE_HOME/effects.sqlite3 with an idempotent upsert that counts
its runs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

SECRET = "secret_drill_webhook_token"
PLUGIN_NAME = "spbe_drill_plugin"
PLUGIN = '''"""Drill plug-in: each drill.* event's effect, an idempotent upsert that counts its runs."""
import sqlite3
import time

from workflows.jobs import on_notion_event


@on_notion_event
def drill_effect(services, event):
    kind = str(event.get("type", ""))
    if not kind.startswith("drill."):
        return
    if kind == "drill.slow":
        time.sleep(float(event.get("seconds", 0)))  # the work itself: long enough to be cut off
    conn = sqlite3.connect(str(services.settings.home() / "effects.sqlite3"), timeout=30)
    try:
        with conn:
            conn.execute("create table if not exists effect (event_id text primary key, "
                         "runs integer not null)")
            conn.execute("insert into effect values (?, 1) on conflict(event_id) do update "
                         "set runs = runs + 1", (event["id"],))
    finally:
        conn.close()
'''
LAUNCH = f"import {PLUGIN_NAME}; from workflows.cli import main; main()"


def event_body(event_id: str, kind: str = "drill.ping", **extra: object) -> bytes:
    return json.dumps({"id": event_id, "type": kind, "timestamp": "2026-11-27T10:00:00.000Z",
                       "entity": {"id": "drill-page", "type": "page"}, "data": {},
                       **extra}).encode()


def signed(raw: bytes) -> dict[str, str]:
    mac = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Notion-Signature": f"sha256={mac}"}


class Server:
    """`spbe serve --port 0` in a subprocess; the bound port is read from its first line."""

    def __init__(self, home: Path, src: Path | None = None, lease_seconds: float = 2.0,
                 extra_env: dict[str, str] | None = None) -> None:
        self.home = home
        plugin_dir = home.parent / "drill-plugin"
        plugin_dir.mkdir(parents=True, exist_ok=True)
        (plugin_dir / f"{PLUGIN_NAME}.py").write_text(PLUGIN)
        root = src or Path(__file__).resolve().parents[2]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTION_", "SPBE_", "REDIS"))}
        env.update({"SPBE_HOME": str(home), "NOTION_WEBHOOK_VERIFICATION_TOKEN": SECRET,
                    "SPBE_JOB_MODULES": PLUGIN_NAME, "SPBE_JOB_LEASE_SECONDS": str(lease_seconds),
                    "PYTHONPATH": os.pathsep.join([str(root), str(plugin_dir)])})
        env.update(extra_env or {})
        self.env, self.cwd = env, home.parent
        self.proc: subprocess.Popen | None = None
        self.log: list[str] = []

    def start(self, timeout: float = 60, *args: str) -> str:
        self.proc = subprocess.Popen([sys.executable, "-c", LAUNCH, "serve", "--port", "0", *args],
                                     cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        found = threading.Event()
        port: list[int] = []
        proc, log = self.proc, self.log

        def read() -> None:
            with proc.stderr:  # type: ignore[union-attr]
                for line in proc.stderr:  # type: ignore[union-attr]
                    log.append(line)
                    if not port and (m := re.search(r"serving on http://127\.0\.0\.1:(\d+)",
                                                    line)):
                        port.append(int(m.group(1)))
                        found.set()
            found.set()

        self._reader = threading.Thread(target=read, daemon=True)

        self._reader.start()
        if not found.wait(timeout) or not port:
            self.kill()
            raise RuntimeError("spbe serve did not start:\n" + "".join(self.log[-30:]))
        return f"http://127.0.0.1:{port[0]}"

    def kill(self) -> None:
        """kill -9: no handler runs, nothing is flushed or handed back."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        if self.proc:
            self.proc.wait(timeout=30)
            self._reader.join(10)

    def terminate(self, timeout: float = 30) -> tuple[float, int]:
        """SIGTERM; (seconds until exit, exit status)."""
        assert self.proc is not None
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=timeout)
        self._reader.join(10)
        return time.monotonic() - started, code


@dataclass
class DrillResult:
    acked: dict[str, str] = field(default_factory=dict)  # event id -> job id of the first 2xx
    resent: int = 0
    resend_answers: list[tuple[str, int, dict]] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)  # non-2xx answers (not 5xx)
    kills: int = 0
    sent: int = 0
    seconds: float = 0.0


def effects(home: Path) -> dict[str, int]:
    """Event id -> how many times its handler ran to the end."""
    path = home / "effects.sqlite3"
    if not path.exists():
        return {}
    conn = sqlite3.connect(path, timeout=30)
    try:
        return dict(conn.execute("select event_id, runs from effect"))
    except sqlite3.OperationalError:
        return {}
    finally:
        conn.close()


def run_burst(server: Server, events: int = 300, clients: int = 12, kills: int = 2,
              resend_every: int = 7, deadline: float = 120) -> DrillResult:
    """Send `events` signed events from `clients` threads; kill -9 and restart the server each
    time another 1/(kills+1) of the events has been acknowledged. The server is left running."""
    result = DrillResult()
    cond = threading.Condition()
    state = {"base": server.start(), "gen": 0, "acked": 0}
    end = time.monotonic() + deadline
    started = time.monotonic()

    def current() -> tuple[str, int]:
        with cond:
            return state["base"], state["gen"]

    def wait_restart(gen: int) -> None:
        with cond:
            if not cond.wait_for(lambda: state["gen"] > gen or time.monotonic() > end,
                                 timeout=max(0.0, end - time.monotonic())):
                raise TimeoutError("the server was not restarted in time")
            if state["gen"] <= gen:
                raise TimeoutError("drill deadline passed")

    def send(http: httpx.Client, raw: bytes) -> httpx.Response:
        while True:
            base, gen = current()
            try:
                with cond:
                    result.sent += 1
                resp = http.post(f"{base}/webhooks/notion", content=raw, headers=signed(raw))
            except httpx.TransportError:
                wait_restart(gen)
                continue
            if resp.status_code >= 500:
                wait_restart(gen)
                continue
            return resp

    def client(i: int) -> None:
        with httpx.Client(timeout=10) as http:
            for n in range(i, events, clients):
                event_id = f"drill-{n:05}"
                raw = event_body(event_id)
                resp = send(http, raw)
                if resp.status_code // 100 != 2:
                    with cond:
                        result.refused.append((event_id, resp.status_code))
                    continue
                with cond:
                    result.acked[event_id] = resp.json().get("job_id", "")
                    state["acked"] += 1
                    cond.notify_all()
                if n % resend_every == 0:  # Notion sends an acknowledged event again
                    again = send(http, raw)
                    with cond:
                        result.resent += 1
                        result.resend_answers.append((event_id, again.status_code, again.json()))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for k in range(1, kills + 1):
        with cond:
            cond.wait_for(lambda k=k: state["acked"] >= events * k // (kills + 1)
                          or time.monotonic() > end, timeout=max(0.0, end - time.monotonic()))
        server.kill()
        result.kills += 1
        base = server.start()
        with cond:
            state["base"], state["gen"] = base, state["gen"] + 1
            cond.notify_all()
    for t in threads:
        t.join(max(0.0, end - time.monotonic()))
    result.seconds = time.monotonic() - started
    return result


def wait_processed(home: Path, event_ids: set[str], timeout: float) -> dict[str, int]:
    """Poll the effects until every id has one, or the timeout passes; returns the effects."""
    end = time.monotonic() + timeout
    while True:
        done = effects(home)
        if event_ids <= set(done) or time.monotonic() > end:
            return done
        time.sleep(0.1)  # polling a condition with a deadline
