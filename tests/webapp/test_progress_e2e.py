"""Done-when, over real HTTP: a signed Notion event updates the project's Progress."""

import hashlib
import hmac
import json
import threading
import uuid
from datetime import date, timedelta

import httpx
import pytest
from werkzeug.serving import make_server

from tests.helpers import fixed_clock, wait_until
from workflows.progress.sync import reconcile
from workflows.services import Services

SECRET = "secret_test_webhook_verification_token"
TODAY = date(2026, 11, 27)


@pytest.fixture
def live(settings):
    """`create_app` served on 127.0.0.1 (port 0) plus a worker thread draining the job queue."""
    from webapp import create_app

    settings = settings.model_copy(update={"jobs_immediate": False})
    services = Services(settings, clock=fixed_clock(TODAY))
    services.workspace.init()
    app = create_app(settings, services)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    stop = threading.Event()

    def work() -> None:
        while not stop.wait(0.05):
            services.queue.drain()

    threads = [threading.Thread(target=server.serve_forever, daemon=True),
               threading.Thread(target=work, daemon=True)]
    for t in threads:
        t.start()
    yield services, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    stop.set()
    for t in threads:
        t.join(timeout=10)


def _signed(event: dict, secret: str = SECRET) -> tuple[bytes, dict]:
    raw = json.dumps(event).encode()
    sig = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"Content-Type": "application/json", "X-Notion-Signature": sig}


def test_signed_event_over_http_updates_progress(live):
    services, base = live
    ws = services.workspace
    pid = ws.repo("projects").create({"Name": "Satu Data Bali", "Start": TODAY - timedelta(30),
                                      "Due": TODAY + timedelta(300)}).id
    task = ws.repo("tasks").create({"Name": "SDB-1", "Project": [pid], "Weight": 1}).id
    ws.repo("tasks").create({"Name": "SDB-2", "Project": [pid], "Weight": 1, "Status": "Done"})
    reconcile(ws, TODAY)

    def progress():
        return ws.repo("projects").get(pid).values.get("Progress")

    assert progress() == 0.5
    ws.repo("tasks").update(task, {"Status": "Done"})  # someone ticks the task in Notion…
    event = {"id": str(uuid.uuid4()), "type": "page.properties_updated",
             "timestamp": "2026-11-27T02:00:00.000Z", "entity": {"id": task, "type": "page"},
             "data": {"parent": {"id": ws.repo("tasks").database_id, "type": "database",
                                 "data_source_id": ws.repo("tasks").data_source_id},
                      "updated_properties": ["title"]}}
    raw, headers = _signed(event)
    with httpx.Client(base_url=base, timeout=10) as http:
        forged_raw, forged_headers = _signed(event, secret="secret_forged")
        assert http.post("/webhooks/notion", content=forged_raw,
                         headers=forged_headers).status_code == 401
        unsigned = http.post("/webhooks/notion", content=raw,
                             headers={"Content-Type": "application/json"})
        assert unsigned.status_code == 401
        services.queue.drain()  # whatever a refused request might have queued has run now
        assert progress() == 0.5

        resp = http.post("/webhooks/notion", content=raw, headers=headers)  # …Notion tells us
        assert resp.status_code == 200 and resp.json()["status"] == "queued"
        assert wait_until(lambda: progress() == 1.0)
        assert ws.repo("projects").get(pid).values["Health"] == "Done"

        replay = http.post("/webhooks/notion", content=raw, headers=headers)
        assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
