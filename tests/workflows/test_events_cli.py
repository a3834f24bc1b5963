"""`spbe events`: did my webhook event, button call or submission arrive, and did it run?"""

import json

import pytest
from click.testing import CliRunner

from tests.conftest import BUTTON_SECRET, WEBHOOK_SECRET
from webapp.hooks import signature_for
from workflows.core_cli import events
from workflows.jobs import JOB_MODULES, PermanentJobError, button, job


@button("test-events-broken")
def _broken(services, page, body):
    raise PermanentJobError("this button always fails")


@job("test.events_submit")
def _submit(services, report):
    pass


@pytest.fixture
def job_modules():
    return [*JOB_MODULES, __name__]


def listed(settings):
    result = CliRunner().invoke(events, ["--json"], obj=settings)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["events"]


def test_events_lists_each_kind_with_its_state(client, settings, services):
    raw = json.dumps({"id": "evt-1", "type": "test.ping", "entity": {"id": "p", "type": "page"},
                      "data": {}}).encode()
    sent = client.post("/webhooks/notion", data=raw, headers={
        "Content-Type": "application/json", "X-Notion-Signature": signature_for(WEBHOOK_SECRET, raw)})
    pressed = client.post("/webhooks/button/test-events-broken", json={},
                          headers={"X-SPBE-Secret": BUTTON_SECRET})
    queued = services.queue.accept("test.events_submit", {"report": "r1"}, kind="submission",
                                   key="bounty:r1")  # not run yet: jobs_immediate is for services
    rows = {r["id"]: r for r in listed(settings)}
    webhook = rows[sent.get_json()["job_id"]]
    assert (webhook["kind"], webhook["state"], webhook["key"]) == ("webhook", "done",
                                                                   "notion-event:evt-1")
    assert webhook["finished"] >= webhook["received"]
    failed = rows[pressed.get_json()["job_id"]]
    assert (failed["kind"], failed["state"]) == ("button", "failed")
    assert "always fails" in failed["error"]
    waiting = rows[queued.job_id]
    assert (waiting["kind"], waiting["state"]) == ("submission", "queued")
    assert "finished" not in waiting
    assert set(rows) == {webhook["id"], failed["id"], waiting["id"]}


def test_events_human_output_and_empty_queue(settings):
    result = CliRunner().invoke(events, [], obj=settings)
    assert result.exit_code == 0 and "0 recent item(s)" in result.stdout
    assert listed(settings) == []
