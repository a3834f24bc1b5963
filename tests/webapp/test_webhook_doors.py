"""Closed doors on the webhooks: the verification token, failed-authentication limits, JSON limits."""

import json
import logging

import pytest

from tests.conftest import BUTTON_SECRET, WEBHOOK_SECRET
from webapp import create_app
from webapp.bodies import MAX_JSON_BYTES, MAX_JSON_DEPTH
from webapp.hooks import VERIFICATION_FILE, signature_for
from workflows.services import Services


@pytest.fixture
def unconfigured(settings, services):
    """A client of an app on which NOTION_WEBHOOK_VERIFICATION_TOKEN is not set yet."""
    bare = settings.model_copy(update={"notion_webhook_verification_token": None})
    return create_app(bare, Services(bare, _workspace=services.workspace)).test_client()


def verify(client, token, addr="198.51.100.7"):
    return client.post("/webhooks/notion", json={"verification_token": token},
                       environ_base={"REMOTE_ADDR": addr})


def stored(settings):
    return json.loads((settings.spbe_home / VERIFICATION_FILE).read_text())


def test_verification_token_is_stored_once_with_the_senders_address(unconfigured, settings, caplog):
    caplog.set_level(logging.WARNING, "spbe.webhooks")
    assert verify(unconfigured, "secret_from_notion").status_code == 200
    assert stored(settings)["verification_token"] == "secret_from_notion"
    assert stored(settings)["sender"] == "198.51.100.7"
    assert (settings.spbe_home / VERIFICATION_FILE).stat().st_mode & 0o777 == 0o600
    assert "198.51.100.7" in caplog.text and "secret_from_notion" not in caplog.text


def test_stored_verification_token_is_never_overwritten(unconfigured, settings, caplog):
    caplog.set_level(logging.WARNING, "spbe.webhooks")
    assert verify(unconfigured, "secret_from_notion").status_code == 200
    attack = verify(unconfigured, "secret_attacker", addr="203.0.113.66")
    assert attack.status_code == 409 and "never replaced" in attack.get_json()["error"]["message"]
    assert stored(settings)["verification_token"] == "secret_from_notion"
    assert "203.0.113.66" in caplog.text and "secret_attacker" not in caplog.text
    assert [p.name for p in settings.spbe_home.iterdir() if "verification" in p.name] == [
        VERIFICATION_FILE]  # no temporary file left behind


def test_no_verification_token_is_stored_once_one_is_configured(client, settings):
    resp = verify(client, "secret_attacker")
    assert resp.status_code == 409
    assert not (settings.spbe_home / VERIFICATION_FILE).exists()


def test_failed_button_secrets_are_rate_limited_per_ip(client):
    guesses = [client.post("/webhooks/button/refresh-progress", json={},
                           headers={"X-SPBE-Secret": f"guess-{i}"}).status_code for i in range(11)]
    assert guesses[:10] == [401] * 10 and guesses[10] == 429
    # the right secret from the same address now waits too; another address is not affected
    assert client.post("/webhooks/button/refresh-progress", json={},
                       headers={"X-SPBE-Secret": BUTTON_SECRET}).status_code == 429
    assert client.post("/webhooks/button/refresh-progress", json={},
                       headers={"X-SPBE-Secret": BUTTON_SECRET},
                       environ_base={"REMOTE_ADDR": "127.0.0.2"}).status_code == 202


def test_failed_signatures_are_rate_limited_but_genuine_events_are_not(client):
    for i in range(30):  # a burst of genuine signed events: none counts
        raw = json.dumps({"id": f"evt-burst-{i}", "type": "test.burst"}).encode()
        resp = client.post("/webhooks/notion", data=raw, headers={
            "Content-Type": "application/json", "X-Notion-Signature": signature_for(WEBHOOK_SECRET, raw)})
        assert resp.status_code == 200
    raw = json.dumps({"id": "evt-forged", "type": "test.forged"}).encode()
    forged = [client.post("/webhooks/notion", data=raw, headers={
        "X-Notion-Signature": "sha256=" + f"{i:064x}"}).status_code for i in range(11)]
    assert forged[:10] == [401] * 10 and forged[10] == 429


def test_every_post_route_is_limited_even_without_a_decorator(app):
    from flask import Blueprint

    bp = Blueprint("undecorated", __name__)

    @bp.post("/api/undecorated")
    def undecorated():
        return {"ok": True}

    app.register_blueprint(bp)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    codes = [client.post("/api/undecorated", json={}).status_code for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429
    assert "Retry-After" in client.post("/api/undecorated", json={}).headers
    assert all(client.get("/healthz").status_code == 200 for _ in range(25))  # GETs are not


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_deeply_nested_json_is_a_400_not_a_500(client, caplog, depth):
    raw = ("[" * depth + "]" * depth).encode()
    for headers in ({}, {"X-Notion-Signature": signature_for(WEBHOOK_SECRET, raw)}):
        resp = client.post("/webhooks/notion", data=raw,
                           headers={"Content-Type": "application/json", **headers})
        assert resp.status_code == 400
        assert f"nested deeper than {MAX_JSON_DEPTH}" in resp.get_json()["error"]["message"]
    assert "Traceback" not in caplog.text


def test_json_over_the_size_limit_is_a_400(client):
    raw = json.dumps({"id": "evt-big", "type": "test.big", "pad": "x" * MAX_JSON_BYTES}).encode()
    resp = client.post("/webhooks/notion", data=raw, headers={
        "Content-Type": "application/json", "X-Notion-Signature": signature_for(WEBHOOK_SECRET, raw)})
    assert resp.status_code == 400 and "larger than" in resp.get_json()["error"]["message"]


def test_get_json_in_any_view_has_the_same_limits(app):
    from flask import Blueprint, request

    bp = Blueprint("echo", __name__)

    @bp.post("/api/echo")
    def echo():
        return {"got": request.get_json()}

    app.register_blueprint(bp)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    assert client.post("/api/echo", json={"a": [1, {"b": 2}]}).get_json() == {"got": {"a": [1, {"b": 2}]}}
    deep = client.post("/api/echo", data="[" * 5000 + "]" * 5000, content_type="application/json")
    assert deep.status_code == 400 and "nested deeper" in deep.get_json()["error"]["message"]
    bad = client.post("/api/echo", data="{nope", content_type="application/json")
    assert bad.status_code == 400 and "not valid JSON" in bad.get_json()["error"]["message"]
