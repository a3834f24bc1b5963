"""Done-when against the real `spbe serve` process: a signed event updates Progress over HTTP."""

import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta

import httpx
import pytest
from notion_client import Client

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
    proc = subprocess.Popen(
        [sys.executable, "-c", "from workflows.cli import main; main()", "serve", "--port", "0"],
        cwd=tmp_path, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    port: list[int] = []

    def read() -> None:
        for line in proc.stderr:
            lines.append(line)
            if not port and (m := re.search(r"serving on http://127\.0\.0\.1:(\d+)", line)):
                port.append(int(m.group(1)))

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 30
    while not port and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not port:
        proc.kill()
        pytest.fail("spbe serve did not start:\n" + "".join(lines))
    base = f"http://127.0.0.1:{port[0]}"
    yield {"base": base, "token": token, "log": lines, "project": pid, "task": open_task,
           "tasks_ds": ws.repo("tasks").data_source_id, "tasks_db": ws.repo("tasks").database_id}
    proc.terminate()
    proc.wait(timeout=10)
    proc.stderr.close()


def _wait_for_line(lines: list[str], text: str) -> bool:
    end = time.monotonic() + 10
    while time.monotonic() < end and not any(text in line for line in lines):
        time.sleep(0.05)
    return any(text in line for line in lines)


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
        end = time.monotonic() + 30
        while progress() != 1.0 and time.monotonic() < end:
            time.sleep(0.05)
        assert progress() == 1.0
        replay = web.post("/webhooks/notion", content=raw,
                          headers={"X-Notion-Signature": sig, "Content-Type": "application/json"})
        assert replay.json()["status"] == "duplicate"
        handled = f"event page.properties_updated on {served['task']}: 1 project(s) recomputed"
        assert _wait_for_line(served["log"], handled)
        assert web.get("/progress/satu-data-bali").status_code == 200
    http.close()
