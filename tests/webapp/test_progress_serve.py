"""Done-when against the real `spbe serve` process: a signed event updates Progress over HTTP."""

import hashlib
import hmac
import json
import os
import uuid
from datetime import date, timedelta

import httpx
import pytest
from notion_client import Client

from tests.helpers import start_serve, wait_until
from workflows.services import Services

SECRET = "secret_serve_test_token"
TODAY = date(2026, 11, 27)


@pytest.fixture
def served(settings, tmp_path):
    """`spbe serve --port 0` in a subprocess on a workspace prepared beforehand."""
    services = Services(settings)
    ws = services.workspace
    ws.init()
    pid = ws.repo("projects").create({"Name": "Satu Data Bali", "Start": TODAY - timedelta(30),
                                      "Due": TODAY + timedelta(300), "Public": True}).id
    open_task = ws.repo("tasks").create({"Name": "SDB-1", "Project": [pid], "Weight": 1}).id
    ws.repo("tasks").create({"Name": "SDB-2", "Project": [pid], "Weight": 1, "Status": "Done"})
    token = ws.local.token
    env = {**os.environ, "SPBE_HOME": str(settings.spbe_home),
           "NOTION_WEBHOOK_VERIFICATION_TOKEN": SECRET}
    env.pop("NOTION_TOKEN", None)
    served = start_serve(env, cwd=tmp_path)
    yield {"base": served.base, "token": token, "served": served, "project": pid,
           "task": open_task, "tasks_ds": ws.repo("tasks").data_source_id,
           "tasks_db": ws.repo("tasks").database_id}
    served.stop()


def test_signed_event_through_spbe_serve_updates_progress(served):
    base = served["base"]
    http = httpx.Client(base_url=f"{base}/notion", timeout=10)
    notion = Client(auth=served["token"], base_url=f"{base}/notion", client=http, retry=False)

    def progress():
        return notion.pages.retrieve(page_id=served["project"])["properties"]["Progress"]["number"]

    event = {"id": str(uuid.uuid4()), "type": "page.properties_updated",
             "entity": {"id": served["task"], "type": "page"},
             "data": {"parent": {"id": served["tasks_db"], "type": "database",
                                 "data_source_id": served["tasks_ds"]}}}
    raw = json.dumps(event).encode()
    sig = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    with httpx.Client(base_url=base, timeout=10) as web:
        forged = web.post("/webhooks/notion", content=raw,
                          headers={"X-Notion-Signature": "sha256=" + "f" * 64})
        assert forged.status_code == 401
        assert web.post("/webhooks/notion", content=raw).status_code == 401
        # (the scheduled sync may have computed 0.5 meanwhile; nothing can have made it 1.0)
        assert progress() in (None, 0.5)

        # someone ticks the task in (the served) Notion…
        notion.pages.update(page_id=served["task"],
                            properties={"Status": {"status": {"name": "Done"}}})
        # …and Notion tells us.
        resp = web.post("/webhooks/notion", content=raw,
                        headers={"X-Notion-Signature": sig, "Content-Type": "application/json"})
        assert resp.status_code == 200 and resp.json()["status"] == "queued"
        assert wait_until(lambda: progress() == 1.0)
        replay = web.post("/webhooks/notion", content=raw,
                          headers={"X-Notion-Signature": sig, "Content-Type": "application/json"})
        assert replay.json()["status"] == "duplicate"
        handled = f"event page.properties_updated on {served['task']}: 1 project(s) recomputed"
        assert served["served"].wait_for_line(handled)
        assert web.get("/progress/satu-data-bali").status_code == 200
    http.close()
