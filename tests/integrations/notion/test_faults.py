"""Fault test: 1,000 queued writes land exactly once through 429 and 503 storms and an outage.

Timings are scaled so the run takes seconds, not minutes: the server's ceiling stays below the
client's rate (a 429 storm), every 5xx burst lands while writes are in flight, and the outage
outlasts both the client's retry budget (6 attempts, ≤ 0.02 s apart) and several queue retries,
so jobs fail and are retried by the queue."""

import threading
import time

from integrations.notion import RateLimiter, Workspace
from workflows.jobs import JOB_MODULES, Queue, Registry, job
from workflows.services import Services


@job("test.write_site")
def _write_site(services, n):
    services.workspace.repo("sites").upsert(
        {"URL": f"https://opd{n}.baliprov.go.id", "Name": f"OPD {n}", "OPD": "uji"})


def test_thousand_queued_writes_land_exactly_once_through_faults(settings):
    settings = settings.model_copy(update={"jobs_immediate": False})
    from integrations.notion_local import LocalWorkspace

    local = LocalWorkspace(settings.home() / "workspace.sqlite3")
    ws = Workspace.embedded(local, settings.home() / "ids.json",
                            limiter=RateLimiter(rate=1000, burst=20), max_backoff=0.02)
    ws.init()
    services = Services(settings, _workspace=ws)
    queue = Queue(settings, lambda: services, registry=Registry.load([*JOB_MODULES, __name__]),
                  base_delay=0.05, max_delay=0.5)
    for n in range(1000):
        queue.enqueue("test.write_site", n=n)

    # A rate ceiling far below the client's until it has answered 429 (however fast or loaded
    # the machine), then bursts of 503 and 500 under a higher ceiling, and a 1.5 s outage.
    local.faults.rate_limit(True, rate=20, burst=5)
    injected = {"count": 0, "in_flight": 0}

    def storm():
        deadline = time.monotonic() + 60
        while local.faults.rate_limited == 0 and time.monotonic() < deadline:
            stop.wait(0.01)
        local.faults.rate_limit(True, rate=700, burst=10)
        for _ in range(8):
            local.faults.inject(503, 15)
            local.faults.inject(500, 5)
            injected["count"] += 20
            stop.wait(0.2)
        injected["in_flight"] = queue.pending() != []
        local.faults.outage(1.5)

    stop = threading.Event()
    storm_thread = threading.Thread(target=storm)
    storm_thread.start()
    try:
        queue.drain(wait_scheduled=120)
    finally:
        stop.set()
        storm_thread.join()
    queue.drain(wait_scheduled=30)
    local.faults.clear()

    stats = local.stats()["by_status"]
    assert stats.get("429", 0) > 0
    # every injected 503 was served, and the outage hit writes in flight (more 503s than injected)
    assert injected["in_flight"] and stats.get("503", 0) > 8 * 15
    assert stats.get("500", 0) == 8 * 5
    assert queue.failed() == [] and queue.pending() == []
    rows = ws.repo("sites").query(filter=ws.repo("sites").where("OPD", "equals", "uji"))
    urls = [r["URL"] for r in rows]
    assert len(urls) == 1000 and len(set(urls)) == 1000
