"""The gateway's retry policy and limiter, against odd responses served through MockTransport."""

import json
import logging

import httpx
import pytest
from notion_client import Client

from integrations.notion import NotFound, NotionUnavailable, ValidationFailed
from integrations.notion.client import Notion, RateLimiter


def error(status, code, message="boom", headers=None):
    body = {"object": "error", "status": status, "code": code, "message": message,
            "request_id": "r"}
    return httpx.Response(status, json=body, headers=headers or {})


def gateway(handler, limiter=None, attempts=6):
    sleeps = []
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = Client(auth="t", client=http, retry=False, logger=logging.getLogger("t"))
    return Notion(client, limiter, max_attempts=attempts, sleep=sleeps.append), sleeps


def page(page_id="p1"):
    return httpx.Response(200, json={"object": "page", "id": page_id, "properties": {}})


def test_429_is_retried_for_writes_after_retry_after():
    calls = []

    def handler(request):
        calls.append(request.method)
        if len(calls) < 3:
            return error(429, "rate_limited", headers={"Retry-After": "2"})
        return page()

    notion, sleeps = gateway(handler)
    assert notion.call("pages.create", parent={"page_id": "x"}, properties={})["id"] == "p1"
    assert calls == ["POST", "POST", "POST"]
    assert sleeps == [2.0, 2.0]


def test_503_is_retried_for_reads_but_not_for_creates():
    count = {"n": 0}

    def handler(request):
        count["n"] += 1
        if count["n"] == 1:
            return error(503, "service_unavailable")
        return page()

    notion, _ = gateway(handler)
    assert notion.call("pages.retrieve", page_id="p1")["id"] == "p1"
    assert count["n"] == 2

    count["n"] = 0
    notion, _ = gateway(handler)
    with pytest.raises(NotionUnavailable):
        notion.call("pages.create", parent={"page_id": "x"}, properties={})
    assert count["n"] == 1  # a create that may have landed is not repeated here


def test_conflict_is_retried_for_property_updates():
    count = {"n": 0}

    def handler(request):
        count["n"] += 1
        return error(409, "conflict_error") if count["n"] == 1 else page()

    notion, _ = gateway(handler)
    notion.call("pages.update", page_id="p1", properties={})
    assert count["n"] == 2


def test_retries_stop_and_raise_unavailable():
    notion, sleeps = gateway(lambda r: error(500, "internal_server_error"), attempts=4)
    with pytest.raises(NotionUnavailable):
        notion.call("data_sources.query", data_source_id="d")
    assert len(sleeps) == 3


def test_errors_are_translated():
    notion, _ = gateway(lambda r: error(404, "object_not_found", "Could not find page"))
    with pytest.raises(NotFound, match="Could not find page"):
        notion.call("pages.retrieve", page_id="p")
    notion, _ = gateway(lambda r: error(400, "validation_error", "bad"))
    with pytest.raises(ValidationFailed):
        notion.call("pages.update", page_id="p", properties={})


def test_529_and_connection_errors_count_as_unavailable():
    notion, _ = gateway(lambda r: httpx.Response(529, text="overloaded"), attempts=2)
    with pytest.raises(NotionUnavailable):
        notion.call("pages.retrieve", page_id="p")

    def refuse(request):
        raise httpx.ConnectError("refused", request=request)

    notion, sleeps = gateway(refuse, attempts=3)
    with pytest.raises(NotionUnavailable):
        notion.call("pages.retrieve", page_id="p")
    assert len(sleeps) == 2


class FakeClock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t

    def sleep(self, seconds):
        self.t += seconds


def test_limiter_keeps_average_rate_with_burst():
    clock = FakeClock()
    limiter = RateLimiter(rate=3.0, burst=3, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        limiter.acquire()
    assert clock.t == 0.0  # the burst goes at once
    for _ in range(30):
        limiter.acquire()
    assert clock.t == pytest.approx(10.0, rel=1e-6)  # then 3 per second


def test_limiter_pause_holds_callers_after_429():
    clock = FakeClock()
    limiter = RateLimiter(rate=3.0, burst=3, clock=clock, sleep=clock.sleep)
    limiter.pause(5)
    limiter.acquire()
    assert clock.t >= 5.0


def test_limiter_restarts_empty_after_a_pause_instead_of_bursting():
    clock = FakeClock()
    limiter = RateLimiter(rate=3.0, burst=10, clock=clock, sleep=clock.sleep)
    for _ in range(10):
        limiter.acquire()  # the burst
    clock.t = 2.0
    limiter.pause(1.0)  # a 429 with Retry-After: 1
    sent = []
    for _ in range(6):
        limiter.acquire()
        sent.append(round(clock.t, 6))
    # nothing piled up during the pause: after it, one request every 1/3 s
    assert sent == pytest.approx([3.0 + i / 3 for i in range(1, 7)], rel=1e-6)
    assert limiter.rate == 3.0  # a single 429 after a quiet spell was a burst, not a rate


def test_limiter_slows_down_on_repeated_429s_and_recovers():
    clock = FakeClock()
    limiter = RateLimiter(rate=400.0, burst=20, clock=clock, sleep=clock.sleep)
    rates = []
    for _ in range(4):  # a server slower than us answers 429 again and again
        limiter.pause(1.0)
        limiter.acquire()
        rates.append(limiter.rate)
    assert rates == pytest.approx([400.0, 320.0, 256.0, 204.8])
    for _ in range(30):
        limiter.pause(1.0)
    assert limiter.rate == pytest.approx(40.0)  # never below a tenth
    clock.t += RateLimiter.RECOVER_AFTER + 1
    limiter.acquire()
    assert limiter.rate == 400.0


def test_request_bodies_are_json():
    seen = []

    def handler(request):
        seen.append(json.loads(request.content))
        return page()

    notion, _ = gateway(handler)
    notion.call("pages.update", page_id="p1", properties={"Progress": {"number": 0.5}})
    assert seen == [{"properties": {"Progress": {"number": 0.5}}}]
