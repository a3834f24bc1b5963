"""Notion webhooks and buttons: verification, signatures, de-duplication, secrets."""

import json

import pytest

from tests.conftest import BUTTON_SECRET, WEBHOOK_SECRET
from webapp.hooks import signature_for
from workflows.jobs import JOB_MODULES, Registry, button, on_notion_event

SEEN: list = []


@pytest.fixture
def job_modules():
    return [*JOB_MODULES, __name__]

PRESSED: list = []


@button("test-button")
def _pressed(services, page, body):
    PRESSED.append((page or {}).get("id"))


@on_notion_event
def _collect(services, event):
    if event.get("type", "").startswith("test."):
        SEEN.append(event["id"])


def event(event_id="evt-1", etype="test.ping"):
    return json.dumps({"id": event_id, "type": etype, "timestamp": "2026-11-27T10:00:00.000Z",
                       "entity": {"id": "p", "type": "page"}, "data": {}}).encode()


def post(client, raw, signature=None):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Notion-Signature"] = signature
    return client.post("/webhooks/notion", data=raw, headers=headers)


def test_verification_request_is_stored_for_the_operator(client, settings):
    resp = post(client, json.dumps({"verification_token": "secret_abc"}).encode())
    assert resp.status_code == 200
    stored = json.loads((settings.spbe_home / "notion_webhook_verification.json").read_text())
    assert stored["verification_token"] == "secret_abc"


def test_signed_event_is_handled_once_even_when_replayed(client):
    SEEN.clear()
    raw = event("evt-42")
    first = post(client, raw, signature_for(WEBHOOK_SECRET, raw))
    assert first.status_code == 200 and first.get_json()["status"] == "queued"
    again = post(client, raw, signature_for(WEBHOOK_SECRET, raw))
    assert again.get_json()["status"] == "duplicate"
    assert SEEN == ["evt-42"]
    assert again.get_json()["job_id"] == first.get_json()["job_id"]


def test_registrations_of_a_test_module_stay_in_its_own_registry():
    assert _collect not in Registry.load().event_handlers
    assert "test-button" not in Registry.load().buttons
    mine = Registry.load([*JOB_MODULES, __name__])
    assert _collect in mine.event_handlers and mine.buttons["test-button"] == "button.test-button"


def test_unsigned_and_forged_events_are_refused_and_change_nothing(client):
    SEEN.clear()
    raw = event("evt-7")
    assert post(client, raw).status_code == 401
    assert post(client, raw, signature_for("wrong", raw)).status_code == 401
    tampered = raw.replace(b"evt-7", b"evt-8")
    assert post(client, tampered, signature_for(WEBHOOK_SECRET, raw)).status_code == 401
    assert SEEN == []
    # the refused id was not remembered: the genuine event still goes through
    assert post(client, raw, signature_for(WEBHOOK_SECRET, raw)).get_json()["status"] == "queued"


def test_signed_events_are_refused_without_a_configured_secret(settings, services):
    from webapp import create_app

    bare = settings.model_copy(update={"notion_webhook_verification_token": None})
    services.settings = bare
    client = create_app(bare, services).test_client()
    raw = event("evt-9")
    assert post(client, raw, signature_for(WEBHOOK_SECRET, raw)).status_code == 403


def test_malformed_events_get_400(client):
    raw = b'{"no": "id"}'
    resp = post(client, raw, signature_for(WEBHOOK_SECRET, raw))
    assert resp.status_code == 400 and "id" in resp.get_json()["error"]["message"]
    raw = b"not json"
    assert post(client, raw, signature_for(WEBHOOK_SECRET, raw)).status_code == 400


def test_button_needs_known_action_and_secret(client):
    PRESSED.clear()
    assert client.post("/webhooks/button/no-such-action",
                       headers={"X-SPBE-Secret": BUTTON_SECRET}).status_code == 404
    body = {"source": {"type": "automation"}, "data": {"object": "page", "id": "page-1"}}
    assert client.post("/webhooks/button/test-button", json=body).status_code == 401
    assert client.post("/webhooks/button/test-button", json=body,
                       headers={"X-SPBE-Secret": "wrong"}).status_code == 401
    assert PRESSED == []
    ok = client.post("/webhooks/button/test-button", json=body,
                     headers={"X-SPBE-Secret": BUTTON_SECRET})
    assert ok.status_code == 202 and ok.get_json()["status"] == "queued"
    assert PRESSED == ["page-1"]
