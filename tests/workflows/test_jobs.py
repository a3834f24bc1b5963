"""The queue stores work durably, retries transient failures and keeps permanent ones visible."""

from integrations.notion import NotionUnavailable
from workflows.jobs import Queue, job
from workflows.services import Services

RAN: list = []
FLAKY = {"left": 0}


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


def queued(settings):
    s = settings.model_copy(update={"jobs_immediate": False})
    return s, Services(s)


def test_enqueued_jobs_survive_a_restart(settings):
    RAN.clear()
    s, svc = queued(settings)
    for i in range(5):
        svc.enqueue("test.record", value=i)
    assert RAN == []
    restarted = Queue(s, lambda: Services(s))  # a new process would open the same file
    assert [p["name"] for p in restarted.pending()] == ["test.record"] * 5
    assert restarted.drain() == 5
    assert sorted(RAN) == [0, 1, 2, 3, 4]
    assert restarted.pending() == []


def test_transient_failures_are_retried_until_they_succeed(settings):
    RAN.clear()
    FLAKY["left"] = 3
    _, svc = queued(settings)
    svc.enqueue("test.flaky", value="x")
    svc.queue.drain(include_scheduled=True)
    assert RAN == ["x"]
    assert svc.queue.failed() == []


def test_permanent_failures_are_listed_and_can_be_retried(settings):
    _, svc = queued(settings)
    svc.enqueue("test.broken", value=7)
    svc.queue.drain()
    [failed] = svc.queue.failed()
    assert failed["name"] == "test.broken" and "bad payload 7" in failed["error"]
    assert failed["payload"] == {"value": 7}
    assert svc.queue.retry_failed() == 1
    assert [p["name"] for p in svc.queue.pending()] == ["test.broken"]


def test_remember_once_deduplicates(settings):
    _, svc = queued(settings)
    assert svc.queue.remember_once("evt-1") is True
    assert svc.queue.remember_once("evt-1") is False
    svc.queue.forget("evt-1")
    assert svc.queue.remember_once("evt-1") is True


def test_a_failing_event_handler_does_not_starve_the_others(settings):
    from workflows.jobs import _EVENT_HANDLERS, on_notion_event

    got = []

    def boom(services, event):
        raise ValueError("handler bug")

    def record(services, event):
        got.append(event["id"])

    _EVENT_HANDLERS.insert(0, boom)
    on_notion_event(record)
    try:
        _, svc = queued(settings)
        svc.enqueue("notion.event", event={"id": "e1", "type": "test.x"})
        svc.queue.drain()
    finally:
        _EVENT_HANDLERS.remove(boom)
        _EVENT_HANDLERS.remove(record)
    assert got == ["e1"]
    [failed] = svc.queue.failed()
    assert "handler bug" in failed["error"]
