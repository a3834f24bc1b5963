"""Done-when of the hardening issue, over real HTTP against real `spbe serve` processes: no event
answered 2xx is lost or applied twice through kill -9, and SIGTERM exits in time without losing
the job that was running."""

import json
import subprocess
import sys
import time
from collections import Counter

import httpx
import pytest

from workflows.jobs import Queue, Registry
from workflows.settings import Settings

from .drill import Server, event_body, run_burst, signed


@pytest.fixture
def ledger():
    """The queue's ledger read from the test's side; its connections closed after the test (an
    unclosed Redis socket met by the garbage collector later fails whichever test is running)."""
    made: list[Queue] = []

    def open_ledger(home, redis_url=None):
        settings = Settings(_env_file=None, spbe_home=home, redis_url=redis_url)
        made.append(Queue(settings, lambda: None, registry=Registry.load([])))
        return made[-1]

    yield open_ledger
    for queue in made:
        queue.close()


@pytest.fixture(params=["sqlite", "redis"])
def backend(request):
    """The queue's storage: None for SQLite in SPBE_HOME, else the URL of a private Redis."""
    return request.getfixturevalue("redis_url") if request.param == "redis" else None


def wait_for(predicate, timeout, what):
    end = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.1)  # polling a condition with a deadline
    return value


def test_acknowledged_events_survive_two_kill_9_mid_burst(tmp_path, backend, ledger):
    home = tmp_path / "home"
    server = Server(home, lease_seconds=2, extra_env={"REDIS_URL": backend} if backend else None)
    try:
        result = run_burst(server, events=300, clients=12, kills=2)
        assert result.kills == 2 and result.refused == []
        assert len(result.acked) == 300
        assert result.sent > 300 + result.resent  # some requests were cut off by the kills
        queue = ledger(home, backend)

        def all_done():
            states = {r["id"]: r["state"] for r in queue.events(limit=10_000)}
            return all(states.get(job) == "done" for job in result.acked.values())

        wait_for(all_done, 60, "every acknowledged event to be done")
        out = subprocess.run([sys.executable, "-m", "workflows", "events", "--json", "--limit",
                              "10000"], env=server.env, cwd=server.cwd, capture_output=True,
                             text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        rows = json.loads(out.stdout)["events"]
        states = {r["id"]: r["state"] for r in rows}
        assert {states[job] for job in result.acked.values()} == {"done"}
        # one item per event, however often it was sent
        per_key = Counter(r["key"] for r in rows)
        assert all(per_key[f"notion-event:{e}"] == 1 for e in result.acked)
        assert len(rows) == 300
        # acknowledged events sent again are answered "duplicate" with the first job id
        assert result.resent >= 40
        for event_id, status, body in result.resend_answers:
            assert (status, body["status"], body["job_id"]) == (200, "duplicate",
                                                                result.acked[event_id])
        seconds, code = server.terminate()
        assert code == 0 and seconds < 10
    finally:
        server.kill()
    from .drill import effects

    applied = effects(home)
    assert set(applied) == set(result.acked)  # every effect once (the upsert is idempotent)


def test_sigterm_exits_in_time_and_hands_the_running_job_back(tmp_path, ledger):
    home = tmp_path / "home"
    server = Server(home, lease_seconds=30)
    try:
        base = server.start()
        raw = event_body("slow-1", "drill.slow", seconds=120)
        answer = httpx.post(f"{base}/webhooks/notion", content=raw, headers=signed(raw), timeout=30)
        assert answer.status_code == 200
        job_id = answer.json()["job_id"]
        queue = ledger(home)
        wait_for(lambda: [r for r in queue.events() if r["id"] == job_id
                          and r["state"] == "running"], 30, "the slow job to start")
        seconds, code = server.terminate()
        assert code == 0 and seconds < 10
        [row] = queue.events()
        assert (row["id"], row["state"]) == (job_id, "queued")
        # handed back at once: another worker may take it now, not only when the 30 s lease ends
        assert queue.storage.lease(time.time()) is not None
        assert "1 running job(s) handed back" in "".join(server.log)
        try:
            httpx.get(f"{base}/healthz", timeout=2)
            raise AssertionError("the server still answers after exiting")
        except httpx.TransportError:
            pass
    finally:
        server.kill()


def test_half_open_connections_do_not_cost_threads(tmp_path):
    """The development server made one thread per connection (400 half-open → 405 threads)."""
    import socket
    from pathlib import Path

    server = Server(tmp_path / "home")
    sockets = []
    try:
        base = server.start(60, "--threads", "4", "--connections", "50")
        port = int(base.rsplit(":", 1)[1])
        tasks = Path(f"/proc/{server.proc.pid}/task")
        idle = len(list(tasks.iterdir()))
        for _ in range(120):  # more than the connection limit, each sending half a request
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"POST /webhooks/notion HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
            sockets.append(s)
        assert len(list(tasks.iterdir())) == idle  # the thread pool did not grow
        for s in sockets:
            s.close()
        sockets.clear()
        # once they are gone, the server answers again
        wait_for(lambda: httpx.get(f"{base}/healthz", timeout=5).status_code == 200, 30,
                 "the server to answer after the half-open connections closed")
    finally:
        for s in sockets:
            s.close()
        server.kill()
