"""The "Hitung ulang" button and Notion webhooks re-score candidates."""

import hashlib
import hmac
import json
import uuid

import pytest

from tests.conftest import BUTTON_SECRET, WEBHOOK_SECRET
from workflows.recruitment.demo import seed
from workflows.recruitment.sync import fetch_candidates, position_by_slug, score_position

SLUG = "pranata-komputer-keamanan"


@pytest.fixture
def scored(services):
    seed(services, services.now())
    ws = services.workspace
    position = position_by_slug(ws, SLUG)
    score_position(ws, position, services.now())
    return {c.get("Name"): c for c in fetch_candidates(ws, position.id)}, position


def _candidate(services, page_id):
    return services.workspace.repo("candidates").get(page_id)


def test_hitung_ulang_button_rescores_the_candidates_position(client, services, scored):
    candidates, _ = scored
    ayu = candidates["Komang Demo Ayu"]
    assert ayu["Outcome"] == "pending"  # no interview score yet
    services.workspace.repo("candidates").update(ayu.id, {"Interview Score": 80})
    page = services.workspace.notion.call("pages.retrieve", page_id=ayu.id)
    resp = client.post("/webhooks/button/rescore-candidates", json={"data": page},
                       headers={"X-SPBE-Secret": BUTTON_SECRET})
    assert resp.status_code == 202, resp.text
    after = _candidate(services, ayu.id)
    assert after["Outcome"] == "pass" and after["Score"] > ayu["Score"]
    assert "Nilai panel 80" in after["Explanation"]


def test_button_on_the_position_row_and_bad_calls(client, services, scored):
    _, position = scored
    page = services.workspace.notion.call("pages.retrieve", page_id=position.id)
    ok = client.post("/webhooks/button/rescore-candidates", json={"data": page},
                     headers={"X-SPBE-Secret": BUTTON_SECRET})
    assert ok.status_code == 202
    denied = client.post("/webhooks/button/rescore-candidates", json={"data": page},
                         headers={"X-SPBE-Secret": "wrong"})
    assert denied.status_code == 401
    nothing = client.post("/webhooks/button/rescore-candidates", json={},
                          headers={"X-SPBE-Secret": BUTTON_SECRET})
    assert nothing.status_code == 202  # stored; the job then fails for good with the reason
    [failed] = services.queue.failed()
    assert "the button sent no page" in failed["error"]


def _signed(client, event):
    raw = json.dumps(event).encode()
    sig = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return client.post("/webhooks/notion", data=raw, headers={
        "Content-Type": "application/json", "X-Notion-Signature": sig})


def _event(services, page_id, key):
    repo = services.workspace.repo(key)
    return {"id": str(uuid.uuid4()), "timestamp": "2026-11-27T02:00:00.000Z",
            "type": "page.properties_updated", "entity": {"id": page_id, "type": "page"},
            "data": {"parent": {"id": repo.database_id, "type": "database",
                                "data_source_id": repo.data_source_id},
                     "updated_properties": ["abc"]}}


def test_test_score_typed_in_notion_rescores_by_webhook(client, services, scored):
    candidates, _ = scored
    santika = candidates["Wayan Demo Santika"]  # test 66 < passing 70; off-field education 40 < 50
    assert santika["Outcome"] == "fail" and "Ambang 70: tidak lulus" in santika["Explanation"]
    services.workspace.repo("candidates").update(santika.id, {"Test Score": 90})
    resp = _signed(client, _event(services, santika.id, "candidates"))
    assert resp.status_code == 200 and resp.json["status"] == "queued"
    after = _candidate(services, santika.id)
    assert "Nilai panel 90. Ambang 70: lulus" in after["Explanation"]
    assert after["Score"] == pytest.approx(santika["Score"] + 30 * (90 - 66) / 100, abs=0.005)


def test_rubric_edited_in_notion_rescores_by_webhook(client, services, scored):
    candidates, position = scored
    rubric = json.loads(position["Rubric"])
    rubric["components"]["test"]["passing"] = 60
    services.workspace.repo("positions").update(position.id, {"Rubric": json.dumps(rubric)})
    _signed(client, _event(services, position.id, "positions"))
    after = _candidate(services, candidates["Wayan Demo Santika"].id)
    assert "Ambang 60: lulus" in after["Explanation"]
    log = [b for b in services.workspace.list_children(position.id)
           if b["type"] == "bulleted_list_item"]
    assert "components.test.passing" in log[-1]["bulleted_list_item"]["rich_text"][0]["plain_text"]


def test_events_on_other_databases_cost_nothing(client, services, scored):
    before = services.workspace.stats()["total"]
    event = _event(services, str(uuid.uuid4()), "candidates")
    event["data"]["parent"]["data_source_id"] = str(uuid.uuid4())
    _signed(client, event)
    # the progress and index handlers skip it too; careers reads nothing
    assert services.workspace.stats()["total"] - before <= 2
