"""Notion webhooks and buttons driving the progress sync, through the Flask test client."""

import hashlib
import hmac
import json
import uuid
from datetime import date, timedelta
from urllib.parse import quote

import pytest

from tests.helpers import fixed_clock
from workflows.progress.sync import reconcile

WEBHOOK_SECRET = "secret_test_webhook_verification_token"
BUTTON_SECRET = "test-button-secret"
TODAY = date(2026, 11, 27)


@pytest.fixture
def clock():
    """The app's "today" is the day this module's data is dated from."""
    return fixed_clock(TODAY)


@pytest.fixture
def calls(services):
    return lambda: services.workspace.stats()["total"]


@pytest.fixture
def project(services):
    """One project with two tasks of weight 1, one done; Progress already reconciled."""
    ws = services.workspace
    pid = ws.repo("projects").create({"Name": "Portal Layanan", "Status": "In progress",
                                      "Start": TODAY - timedelta(days=30),
                                      "Due": TODAY + timedelta(days=300)}).id
    tasks = [ws.repo("tasks").create({"Name": f"PLP-{i}", "Project": [pid], "Weight": 1,
                                      "Status": "Done" if i == 1 else "In progress"}).id
             for i in (1, 2)]
    reconcile(ws, TODAY)
    return {"id": pid, "tasks": tasks}


def _progress(services, project_id):
    return services.workspace.repo("projects").get(project_id).values.get("Progress")


def _event(services, page_id, kind="page.properties_updated", key="tasks"):
    ws = services.workspace
    return {
        "id": str(uuid.uuid4()), "timestamp": "2026-11-27T02:00:00.000Z",
        "workspace_id": str(uuid.uuid4()), "subscription_id": str(uuid.uuid4()),
        "integration_id": str(uuid.uuid4()), "type": kind, "attempt_number": 1,
        "authors": [{"id": str(uuid.uuid4()), "type": "person"}],
        "entity": {"id": page_id, "type": "page"},
        "data": {"parent": {"id": ws.repo(key).database_id, "type": "database",
                            "data_source_id": ws.repo(key).data_source_id},
                 "updated_properties": ["%5DXk%3D"]},
    }


def _post(client, event, secret=WEBHOOK_SECRET, signature=None):
    raw = json.dumps(event).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        digest = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
        headers["X-Notion-Signature"] = signature or f"sha256={digest}"
    return client.post("/webhooks/notion", data=raw, headers=headers)


def test_signed_task_event_updates_project_progress(client, services, project):
    assert _progress(services, project["id"]) == 0.5
    services.workspace.repo("tasks").update(project["tasks"][1], {"Status": "Done"})
    resp = _post(client, _event(services, project["tasks"][1]))
    assert resp.status_code == 200 and resp.get_json()["status"] == "queued"
    assert _progress(services, project["id"]) == 1.0


def test_forged_and_unsigned_events_are_refused_and_change_nothing(client, services, project):
    services.workspace.repo("tasks").update(project["tasks"][1], {"Status": "Done"})
    event = _event(services, project["tasks"][1])
    assert _post(client, event, secret="secret_wrong").status_code == 401
    assert _post(client, event, secret=None).status_code == 401
    assert _post(client, event, signature="sha256=" + "0" * 64).status_code == 401
    assert _progress(services, project["id"]) == 0.5


def test_replayed_event_is_harmless(client, services, project, calls):
    services.workspace.repo("tasks").update(project["tasks"][1], {"Status": "Done"})
    event = _event(services, project["tasks"][1])
    assert _post(client, event).get_json()["status"] == "queued"
    before = calls()
    replay = _post(client, event)
    assert replay.status_code == 200 and replay.get_json()["status"] == "duplicate"
    assert calls() == before  # not even read again
    assert _progress(services, project["id"]) == 1.0


def test_same_change_under_a_new_event_id_writes_nothing(client, services, project, calls):
    services.workspace.repo("tasks").update(project["tasks"][1], {"Status": "Done"})
    _post(client, _event(services, project["tasks"][1]))
    before = calls()
    _post(client, _event(services, project["tasks"][1]))  # Notion's retry with a new id
    log = services.workspace.local.requests()[before:]
    assert not [r for r in log if r["method"] == "PATCH"]


def test_deleted_task_recomputes_its_project(client, services, project):
    services.workspace.repo("tasks").archive(project["tasks"][1])  # the open task goes away
    _post(client, _event(services, project["tasks"][1], kind="page.deleted"))
    assert _progress(services, project["id"]) == 1.0


def test_unreadable_page_falls_back_to_a_reconcile(client, services, project):
    ws = services.workspace
    ws.repo("tasks").update(project["tasks"][1], {"Status": "Done"})
    _post(client, _event(services, str(uuid.uuid4()), kind="page.deleted"))
    assert _progress(services, project["id"]) == 1.0


def test_events_elsewhere_cost_no_calls(client, services, project, calls):
    event = _event(services, str(uuid.uuid4()), key="knowledge_base")
    before = calls()
    assert _post(client, event).status_code == 200
    assert calls() == before
    comment = {**_event(services, project["tasks"][0]), "type": "comment.created"}
    before = calls()
    _post(client, comment)
    assert calls() == before


def test_project_event_recomputes_health(client, services, project):
    ws = services.workspace
    ws.repo("projects").update(project["id"], {"Due": TODAY - timedelta(days=400)})
    _post(client, _event(services, project["id"], key="projects"))
    assert ws.repo("projects").get(project["id"]).values["Health"] == "Late"


def _button(client, action, page=None, secret=BUTTON_SECRET):
    headers = {"X-SPBE-Secret": secret} if secret else {}
    body = {"source": {"type": "button"}, "data": page} if page else {}
    return client.post(f"/webhooks/button/{action}", json=body, headers=headers)


def test_refresh_button_on_a_project_recomputes_it_and_writes_its_page(client, services, project):
    ws = services.workspace
    ws.repo("tasks").update(project["tasks"][1], {"Status": "Done"})
    resp = _button(client, "refresh-progress", {"object": "page", "id": project["id"]})
    assert resp.status_code == 202
    assert _progress(services, project["id"]) == 1.0
    root = ws.ensure_page("SPBE Progress")
    titles = [b["child_page"]["title"] for b in ws.list_children(root)
              if b["type"] == "child_page"]
    assert titles == ["Progress: Portal Layanan"]


def test_publish_button_writes_every_page_and_the_snapshot(client, services, project):
    assert _button(client, "publish-progress").status_code == 202
    ws = services.workspace
    root = ws.ensure_page("SPBE Progress")
    titles = {b["child_page"]["title"] for b in ws.list_children(root)
              if b["type"] == "child_page"}
    assert "Progress: Portal Layanan" in titles
    assert any(t.startswith("Snapshot minggu ") for t in titles)


def test_button_secret_is_required(client, services, project):
    assert _button(client, "refresh-progress", secret="wrong").status_code == 401
    assert _button(client, "publish-progress", secret=None).status_code == 401
    assert _button(client, "no-such-action").status_code == 404


@pytest.mark.parametrize("change", [
    {"entity": "x"}, {"entity": None}, {"data": []}, {"data": {"parent": "x"}},
    {"entity": {"type": "page"}},
])
def test_malformed_event_shapes_fail_no_job(client, services, project, change):
    event = _event(services, project["tasks"][0]) | change
    assert _post(client, event).status_code == 200
    assert services.queue.failed() == []
    assert _progress(services, project["id"]) == 0.5


def test_data_without_parent_still_recomputes_by_reading_the_page(client, services, project):
    services.workspace.repo("tasks").update(project["tasks"][1], {"Status": "Done"})
    event = _event(services, project["tasks"][1])
    del event["data"]
    assert _post(client, event).status_code == 200
    assert _progress(services, project["id"]) == 1.0


def test_task_moved_to_another_project_recomputes_both(client, services, project):
    ws = services.workspace
    other = ws.repo("projects").create({"Name": "Other", "Status": "In progress",
                                        "Start": TODAY - timedelta(days=30),
                                        "Due": TODAY + timedelta(days=300)}).id
    done_task = project["tasks"][0]
    ws.repo("tasks").update(done_task, {"Project": [other]})
    relation_id = ws.repo("tasks").get(done_task).raw["properties"]["Project"]["id"]
    event = _event(services, done_task)
    event["data"]["updated_properties"] = [quote(relation_id, safe="")]
    assert _post(client, event).status_code == 200
    assert _progress(services, other) == 1.0
    assert _progress(services, project["id"]) == 0.0  # the project it left, via a reconcile
    assert services.queue.failed() == []
