"""The queue stores work durably, acknowledges it only when done, retries transient failures and
keeps permanent ones visible."""

import time

import pytest

from integrations.notion import NotionUnavailable
from workflows.jobs import JOB_MODULES, Queue, Registry, job, on_notion_event
from workflows.jobstore import RETENTION
from workflows.services import Services

RAN: list = []
FLAKY = {"left": 0}
GOT: list = []


@job("test.record")
def _record(services, value):
    RAN.append(value)


@job("test.flaky")
def _flaky(services, value):
    if FLAKY["left"] > 0:
        FLAKY["left"] -= 1
        raise NotionUnavailable("Notion is down")
    RAN.append(value)


@job("test.broken")
def _broken(services, value):
    raise ValueError(f"bad payload {value}")


@on_notion_event
def _boom(services, event):
    raise ValueError("handler bug")


@on_notion_event
def _got(services, event):
    GOT.append(event["id"])


@pytest.fixture
def job_modules():
    return [*JOB_MODULES, __name__]


@pytest.fixture(autouse=True)
def _clear():
    RAN.clear()
    GOT.clear()
    FLAKY["left"] = 0


def registry():
    return Registry.load([*JOB_MODULES, __name__])


def queued(settings):
    s = settings.model_copy(update={"jobs_immediate": False})
    return s, Services(s, registry=registry())


def test_enqueued_jobs_survive_a_restart(settings):
    s, svc = queued(settings)
    for i in range(5):
        svc.enqueue("test.record", value=i)
    assert RAN == []
    restarted = Queue(s, lambda: Services(s), registry=registry())  # a new process, same file
    assert [p["name"] for p in restarted.pending()] == ["test.record"] * 5
    assert restarted.drain() == 5
    assert sorted(RAN) == [0, 1, 2, 3, 4]
    assert restarted.pending() == []


def test_a_job_taken_by_a_worker_that_dies_runs_again_once_its_lease_expires(settings):
    _, svc = queued(settings)
    queue = svc.queue
    job_id = queue.accept("test.record", {"value": "x"}, kind="webhook").job_id
    t = time.time()
    lease, _ = queue.storage.lease(t)  # a worker takes it ... and is killed (-9): no ack
    assert queue.storage.lease(t + 1) is None  # still leased: nobody else runs it meanwhile
    assert [p["name"] for p in queue.pending()] == ["test.record"]  # not lost either
    again, _ = queue.storage.lease(t + queue.storage.lease_seconds + 1)
    assert again.handle == lease.handle and again.token != lease.token
    # the dead worker's late acknowledgement must not delete the job now leased by another
    assert queue.storage.ack(lease, job_id, "done", t + 40, None) is False
    assert len(queue.pending()) == 1 and queue.events()[0]["state"] == "queued"
    assert queue.storage.ack(again, job_id, "done", t + 40, None) is True
    assert queue.events()[0]["state"] == "done"
    assert queue.pending() == []


def test_released_leases_are_visible_at_once(settings):
    _, svc = queued(settings)
    queue = svc.queue
    queue.enqueue("test.record", value="y")
    t = time.time()
    lease, _ = queue.storage.lease(t)
    queue.storage.release([lease])
    assert queue.storage.lease(t + 1) is not None


def test_items_are_deduplicated_by_key_within_the_retention_window(settings):
    _, svc = queued(settings)
    queue = svc.queue
    t = time.time()
    first = queue.accept("test.record", {"value": 1}, kind="webhook", key="evt-1", now=t)
    again = queue.accept("test.record", {"value": 1}, kind="webhook", key="evt-1", now=t + 5)
    assert (again.job_id, again.duplicate, first.duplicate) == (first.job_id, True, False)
    assert len(queue.pending()) == 1
    [row] = queue.events()
    assert (row["id"], row["kind"], row["state"], row["key"]) == (first.job_id, "webhook",
                                                                  "queued", "evt-1")
    assert queue.drain() == 1 and RAN == [1]
    [row] = queue.events()
    assert row["state"] == "done" and row["finished"] >= row["received"]
    # a retry of the delivery after the job ran is still a duplicate ...
    assert queue.accept("test.record", {"value": 1}, kind="webhook", key="evt-1",
                        now=t + 3600).duplicate
    # ... until the key expires, long after Notion stops retrying (about a day)
    assert RETENTION > 24 * 3600
    late = queue.accept("test.record", {"value": 1}, kind="webhook", key="evt-1",
                        now=t + RETENTION + 1)
    assert not late.duplicate and late.job_id != first.job_id
    assert [r["id"] for r in queue.events()] == [late.job_id]  # the old row expired with its key


def test_unknown_kind_and_job_are_refused(settings):
    _, svc = queued(settings)
    with pytest.raises(ValueError, match="kind"):
        svc.queue.accept("test.record", {"value": 1}, kind="email")
    with pytest.raises(KeyError):
        svc.queue.accept("test.nope", {}, kind="button")
    with pytest.raises(ValueError, match="kind"):
        svc.queue.accept("test.record", {"value": 1}, key="k")


def test_transient_failures_are_retried_until_they_succeed(settings):
    FLAKY["left"] = 3
    _, svc = queued(settings)
    accepted = svc.queue.accept("test.flaky", {"value": "x"}, kind="button")
    svc.queue.drain()
    assert [r["state"] for r in svc.queue.events()] == ["queued"]  # waiting for its retry
    assert svc.queue.huey.scheduled_count() == 1
    svc.queue.drain(include_scheduled=True)
    assert RAN == ["x"]
    assert svc.queue.failed() == []
    [row] = svc.queue.events()
    assert (row["id"], row["state"], row["attempts"]) == (accepted.job_id, "done", 4)


def test_due_retries_move_into_the_queue_in_one_step(settings):
    FLAKY["left"] = 1
    _, svc = queued(settings)
    svc.enqueue("test.flaky", value="z")
    svc.queue.drain()
    from workflows.jobs import _days, _utcnow

    # huey's scheduler pops due tasks, then enqueues them: a crash in between lost them
    assert svc.queue.huey.read_schedule(_utcnow() + _days(1)) == []
    assert svc.queue.huey.scheduled_count() == 0
    assert [p["attempt"] for p in svc.queue.pending()] == [2]


def test_permanent_failures_are_listed_and_can_be_retried(settings):
    _, svc = queued(settings)
    accepted = svc.queue.accept("test.broken", {"value": 7}, kind="submission")
    svc.queue.drain()
    [failed] = svc.queue.failed()
    assert failed["name"] == "test.broken" and "bad payload 7" in failed["error"]
    assert failed["payload"] == {"value": 7}
    [row] = svc.queue.events()
    assert (row["id"], row["state"]) == (accepted.job_id, "failed") and "bad payload" in row["error"]
    assert svc.queue.pending() == []  # acknowledged: failed for good is not redelivered
    assert svc.queue.retry_failed() == 1
    assert [p["name"] for p in svc.queue.pending()] == ["test.broken"]
    assert svc.queue.events()[0]["state"] == "queued"


def test_remember_once_deduplicates(settings):
    _, svc = queued(settings)
    assert svc.queue.remember_once("evt-1") is True
    assert svc.queue.remember_once("evt-1") is False
    svc.queue.forget("evt-1")
    assert svc.queue.remember_once("evt-1") is True
    t = time.time()
    assert svc.queue.remember_once("minute-1", ttl=60, now=t) is True
    assert svc.queue.remember_once("minute-1", ttl=60, now=t + 59) is False
    assert svc.queue.remember_once("minute-1", ttl=60, now=t + 61) is True  # keys expire


def test_a_failing_event_handler_does_not_starve_the_others(settings):
    _, svc = queued(settings)
    svc.enqueue("notion.event", event={"id": "e1", "type": "test.x"})
    svc.queue.drain()
    assert GOT == ["e1"]
    [failed] = svc.queue.failed()
    assert "handler bug" in failed["error"]


def test_the_default_registry_has_no_test_jobs(settings):
    default = Registry.load()
    assert "test.record" not in default.jobs and _got not in default.event_handlers
    assert {"notion.event", "progress.sync", "button.score-index"} <= set(default.jobs)
    with pytest.raises(KeyError):
        Queue(settings, lambda: None).enqueue("test.record", value=1)
