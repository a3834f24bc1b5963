"""The queue on Redis: work enqueued on one machine is run by workers elsewhere, with the same
leases, acknowledgements and de-duplication as on SQLite.

The `redis_url` fixture (tests/workflows/conftest.py) needs `redis-server` on PATH.
"""

import time

import pytest

from workflows.jobs import JOB_MODULES, Queue, Registry, job
from workflows.services import Services

RAN: list = []


@job("test.redis_record")
def _record(services, value):
    RAN.append(value)


@pytest.fixture
def queues():
    """Queues on one Redis, one per simulated machine; their connections closed after the test
    (an unclosed socket found by the garbage collector later fails whichever test is running)."""
    made: list[Queue] = []

    def make(settings, redis_url, n):
        s = settings.model_copy(update={"redis_url": redis_url, "jobs_immediate": False})
        reg = Registry.load([*JOB_MODULES, __name__])
        made.extend(Queue(s.model_copy(update={"spbe_home": settings.spbe_home / f"q{i}"}),
                          lambda: Services(s), registry=reg) for i in range(n))
        return s, made[-n:]

    yield make
    for queue in made:
        queue.close()


def test_two_workers_share_one_redis_queue(settings, redis_url, queues):
    RAN.clear()
    s, (producer, worker_a, worker_b) = queues(settings, redis_url, 3)
    for i in range(10):
        producer.enqueue("test.redis_record", value=i)
    assert len(worker_a.pending()) == 10
    ran = worker_a.drain(max_tasks=4) + worker_b.drain()
    assert ran == 10 and sorted(RAN) == list(range(10))
    assert not (s.spbe_home / "jobs.sqlite3").exists()  # nothing went to SQLite
    assert worker_a.remember_once("evt-x") is True
    assert worker_b.remember_once("evt-x") is False


def test_items_are_deduplicated_and_listed_across_machines(settings, redis_url, queues):
    RAN.clear()
    _, (web_a, web_b, worker) = queues(settings, redis_url, 3)
    first = web_a.accept("test.redis_record", {"value": 1}, kind="webhook", key="evt-1")
    again = web_b.accept("test.redis_record", {"value": 1}, kind="webhook", key="evt-1")
    assert (again.duplicate, again.job_id) == (True, first.job_id)
    assert [(r["id"], r["kind"], r["state"]) for r in worker.events()] == [
        (first.job_id, "webhook", "queued")]
    assert worker.drain() == 1 and RAN == [1]
    [row] = web_b.events()
    assert row["state"] == "done" and row["finished"] >= row["received"] and row["key"] == "evt-1"
    assert web_a.accept("test.redis_record", {"value": 1}, kind="webhook", key="evt-1").duplicate


def test_a_job_of_a_dead_worker_is_redelivered_after_its_lease(settings, redis_url, queues):
    RAN.clear()
    _, (producer, dead, alive) = queues(settings, redis_url, 3)
    producer.enqueue("test.redis_record", value="x")
    t = time.time()
    lease, _ = dead.storage.lease(t)  # taken, then the worker is killed: never acknowledged
    assert alive.storage.lease(t + 1) is None
    again, data = alive.storage.lease(t + alive.storage.lease_seconds + 1)
    assert data and again.token != lease.token
    assert dead.storage.ack(lease, "", "done", t + 40, None) is False  # too late: not its job
    assert alive.storage.ack(again, "", "done", t + 40, None) is True
    assert alive.storage.lease(t + 100) is None


def test_due_retries_move_into_the_redis_queue_in_one_step(settings, redis_url, queues):
    from workflows.jobs import _days, _utcnow

    _, (q,) = queues(settings, redis_url, 1)
    q._task.schedule(("test.redis_record", {"value": 2}, "j1", 2), delay=60)
    assert q.drain() == 1  # not due yet: the worker moves it to the schedule and acknowledges
    assert (q.huey.scheduled_count(), q.huey.pending_count()) == (1, 0)
    assert q.huey.read_schedule(_utcnow() + _days(1)) == []
    assert q.huey.scheduled_count() == 0 and [p["id"] for p in q.pending()] == ["j1"]
