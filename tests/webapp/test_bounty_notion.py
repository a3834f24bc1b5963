"""Bug reports in Notion: outage during submission, duplicates, long text, status webhooks that
email the reporter through a real SMTP server (aiosmtpd on 127.0.0.1, port 0)."""

from __future__ import annotations

import asyncio
import email
import hashlib
import hmac
import json
import logging
import threading
import uuid

import pytest
from aiosmtpd.smtp import SMTP

from integrations.notion import Workspace
from workflows.bounty.store import Store
from workflows.services import Services

from .bounty_helpers import PNG, csrf, form, seed_assets
from .test_bounty_form import _post

WEBHOOK_SECRET = "secret_test_webhook_verification_token"


class Inbox:
    """An aiosmtpd handler keeping every message."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.arrived:
            self.messages.append(email.message_from_bytes(envelope.content))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, n: int, timeout: float = 10.0) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.messages) >= n, timeout)


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1, bound to port 0 and read back."""
    inbox = Inbox()
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(inbox, loop=loop), "127.0.0.1", 0))
    port = server.sockets[0].getsockname()[1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield inbox, port
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    server.close()
    loop.run_until_complete(server.wait_closed())
    loop.close()


@pytest.fixture
def mail_settings(settings, smtp_server):
    _, port = smtp_server
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port,
                                       "smtp_starttls": False,
                                       "smtp_from": "Bug Bounty <bounty@baliprov.go.id>"})


@pytest.fixture
def assets(services):
    return seed_assets(services.workspace)


def _submit(client, asset, **over):
    token = csrf(client.get("/bounty/report").text)
    return _post(client, form(asset, csrf_token=token, **over), [("bukti.png", PNG)])


def _event(ws, page_id):
    repo = ws.repo("bug_reports")
    return {"id": str(uuid.uuid4()), "timestamp": "2026-11-27T02:00:00.000Z",
            "type": "page.properties_updated", "entity": {"id": page_id, "type": "page"},
            "data": {"parent": {"id": repo.database_id, "type": "database",
                                "data_source_id": repo.data_source_id},
                     "updated_properties": ["Status"]}}


def _signed(client, event):
    raw = json.dumps(event).encode()
    sig = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return client.post("/webhooks/notion", data=raw,
                       headers={"Content-Type": "application/json", "X-Notion-Signature": sig})


def test_nothing_is_lost_while_notion_is_down(settings, tmp_path):
    from webapp import create_app

    services = Services(settings)
    services.workspace.init()
    assets = seed_assets(services.workspace)
    local = services.workspace.local
    # The same workspace through a gateway that does not wait long between retries.
    services._workspace = Workspace.embedded(local, settings.home() / "notion-local.json",
                                             max_attempts=2, max_backoff=0.01)
    app = create_app(settings, services)
    app.config["TESTING"] = True
    client = app.test_client()
    client.get("/bounty/report")  # the in-scope assets are now cached on our side

    local.faults.outage(3600)
    resp = _submit(client, assets["ppid"])
    assert resp.status_code == 303
    status_page = client.get(resp.headers["Location"])
    assert status_page.status_code == 200 and 'id="queued"' in status_page.text
    [record] = Store(settings.home()).all()
    assert record["page_id"] is None
    assert [j["name"] for j in services.queue.pending()] == ["bounty.sync_report"]
    assert services.queue.failed() == []
    [item] = [e for e in services.queue.events() if e["kind"] == "submission"]  # `spbe events`
    assert item["state"] == "queued"
    # the reporter adds information while Notion is still down: kept and shown as queued
    added = client.post(resp.headers["Location"], data={"csrf_token": csrf(status_page.text),
                                                         "text": "Tambahan: berlaku juga di /arsip"})
    assert added.status_code == 303
    assert "menunggu dikirim / queued" in client.get(resp.headers["Location"]).text

    local.faults.clear()
    services.queue.drain(include_scheduled=True)
    [row] = services.workspace.repo("bug_reports").query()
    assert row.get("Report ID") == record["id"] and len(row.get("Attachments")) == 1
    texts = [c["rich_text"][0]["plain_text"] for c in services.workspace.comments(row.id)]
    assert len(texts) == 2 and texts[1] == "[pelapor / reporter] Tambahan: berlaku juga di /arsip"
    assert services.queue.pending() == [] and services.queue.failed() == []
    assert {e["state"] for e in services.queue.events() if e["kind"] == "submission"} == {"done"}


def test_near_identical_report_is_suggested_as_duplicate(client, services, assets):
    assert _submit(client, assets["ppid"]).status_code == 303
    again = _submit(client, assets["ppid"], name="Budi", email="budi@stikom-bali.ac.id",
                    endpoint="http://www.ppid.baliprov.go.id/search/?q=%3Cimg%3E",
                    title="XSS reflected pada pencarian PPID")
    assert again.status_code == 303
    repo = services.workspace.repo("bug_reports")
    rows = sorted(repo.query(), key=lambda r: r.get("Submitted"))
    first, second = rows
    assert second.get("Possible Duplicates") == [first.id]
    assert first.values["Possible Duplicates"] == []
    comment = services.workspace.comments(second.id)[0]["rich_text"][0]["plain_text"]
    assert "possible duplicates" in comment and first.id in comment


def test_long_text_is_split_within_notion_limits(client, services, assets):
    long = ("Paragraf panjang tanpa jeda " * 700).strip()  # ~19,600 characters, one paragraph
    assert _submit(client, assets["ppid"], description=long).status_code == 303
    ws = services.workspace
    [row] = ws.repo("bug_reports").query()
    blocks = ws.list_children(row.id)
    texts = [b["paragraph"]["rich_text"] for b in blocks if b["type"] == "paragraph"]
    assert all(sum(len(t["plain_text"]) for t in rt) <= 2000 for rt in texts)
    assert "".join(t["plain_text"] for rt in texts[:10] for t in rt) == long
    assert len(row.get("Summary")) <= 1900


def test_status_change_by_webhook_emails_the_reporter_once(mail_settings, smtp_server):
    from webapp import create_app

    inbox, _ = smtp_server
    services = Services(mail_settings)
    services.workspace.init()
    assets = seed_assets(services.workspace)
    app = create_app(mail_settings, services)
    app.config["TESTING"] = True
    client = app.test_client()
    resp = _submit(client, assets["ppid"])
    assert inbox.wait_for(1)
    receipt = inbox.messages[0]
    assert receipt["To"] == "ayu@student.unud.ac.id"
    assert resp.headers["Location"] in receipt.get_payload(decode=True).decode()
    assert receipt.get_content_type() == "text/plain"
    signature = f"-- \n{services.org.office}\n"  # SMTP sends CRLF line ends
    assert receipt.get_payload(decode=True).decode().replace("\r\n", "\n").endswith(signature)

    ws = services.workspace
    [row] = ws.repo("bug_reports").query()
    ws.repo("bug_reports").update(row.id, {"Status": "Triaged"})
    assert _signed(client, _event(ws, row.id)).status_code == 200
    assert inbox.wait_for(2)
    notice = inbox.messages[1]
    assert "Sedang ditelaah" in notice["Subject"] and "Triaged" in notice["Subject"]
    row = ws.repo("bug_reports").get(row.id)
    assert row.get("Acknowledged") is not None and row.get("Triaged") is None

    assert _signed(client, _event(ws, row.id)).status_code == 200  # same status, new event
    ws.repo("bug_reports").update(row.id, {"Status": "Valid"})
    assert _signed(client, _event(ws, row.id)).status_code == 200
    assert inbox.wait_for(3)
    assert len(inbox.messages) == 3 and "Valid" in inbox.messages[2]["Subject"]
    assert ws.repo("bug_reports").get(row.id).get("Triaged") is not None
    # the points job ran after the status change
    [researcher] = ws.repo("researchers").query()
    assert researcher.get("Points") == 10 and researcher.get("Valid Reports") == 1


def test_without_smtp_mail_is_logged_without_personal_data(client, services, assets, caplog):
    caplog.set_level(logging.INFO)
    assert _submit(client, assets["ppid"]).status_code == 303
    lines = [r.getMessage() for r in caplog.records if r.name == "spbe.mail"]
    assert len(lines) == 1 and "not sent" in lines[0] and "bounty receipt BB-" in lines[0]
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert "ayu@" not in everything and "Ayu Lestari" not in everything


def test_api_call_budget_of_a_submission(client, services, assets):
    """Per report: find by Report ID, researcher upsert (query [+ create]), one duplicate query,
    create with the body, upload (create + send), set Attachments, append its block, comment."""
    ws = services.workspace
    token = csrf(client.get("/bounty/report").text)  # (reads the in-scope assets, cached 60 s)
    spent = []
    for n in range(2):
        before = ws.stats()["total"]
        data = form(assets["ppid"], csrf_token=token, title=f"Laporan nomor {n}")
        assert _post(client, data, [("bukti.png", PNG)]).status_code == 303
        spent.append(ws.stats()["total"] - before)
    assert spent == [10, 9]  # the second time the researcher exists and is unchanged
