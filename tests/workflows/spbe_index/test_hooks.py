import json

import pytest

from tests.conftest import BUTTON_SECRET, WEBHOOK_SECRET
from webapp.hooks import signature_for
from workflows.spbe_index import hooks  # noqa: F401 - registers the job, button and handler
from workflows.spbe_index.catalogue import load_framework
from workflows.spbe_index.scoring import score_indicators
from workflows.spbe_index.sync import import_csv

FW = load_framework("permenpanrb-59-2020")
LEVELS = {n: 1 + (n * 3) % 5 for n in range(1, 48)}


@pytest.fixture
def year_2024(services, tmp_path):
    path = tmp_path / "y.csv"
    path.write_text("number,level\n" + "".join(f"{n},{lvl}\n" for n, lvl in LEVELS.items()))
    import_csv(services, 2024, path)
    return 2024


def press(client, page):
    body = {"source": {"type": "automation"}, "data": page}
    return client.post("/webhooks/button/score-index", json=body,
                       headers={"X-SPBE-Secret": BUTTON_SECRET})


def test_button_scores_the_pages_year(client, services, year_2024):
    row = services.workspace.repo("spbe_assessments").query()[0]
    resp = press(client, row.raw)  # a Notion page object, as the button sends it
    assert resp.status_code == 202
    result = services.workspace.repo("spbe_index_results").find("Indeks SPBE 2024")
    assert result["Index"] == pytest.approx(float(score_indicators(FW, LEVELS).index))
    assert services.queue.failed() == []


def test_button_without_year_fails_for_good_with_a_message(client, services, year_2024):
    page = {"object": "page", "id": "",
            "properties": {"Name": {"type": "title", "title": []}}}
    page["id"] = services.workspace.repo("spbe_indicators").create({"Name": "x"}).id
    resp = press(client, page)
    assert resp.status_code == 202
    (failed,) = services.queue.failed()
    assert "no Year property" in failed["error"]
    assert services.workspace.repo("spbe_index_results").query() == []


def test_button_needs_the_secret(client, year_2024):
    resp = client.post("/webhooks/button/score-index", json={})
    assert resp.status_code == 401


def _event(services, page_id, event_id="evt-1"):
    ids = services.workspace.ids()["spbe_assessments"]
    return {"id": event_id, "type": "page.properties_updated",
            "entity": {"id": page_id, "type": "page"},
            "data": {"parent": {"id": ids["database_id"], "type": "database",
                                "data_source_id": ids["data_source_id"]},
                     "updated_properties": ["Final Level"]}}


def send(client, event):
    raw = json.dumps(event).encode()
    return client.post("/webhooks/notion", data=raw, content_type="application/json",
                       headers={"X-Notion-Signature": signature_for(WEBHOOK_SECRET, raw)})


def test_assessment_change_event_rescores_the_year(client, services, year_2024):
    repo = services.workspace.repo("spbe_assessments")
    row = repo.find("2024 #42 " + FW.indicators[42].name)
    repo.update(row.id, {"Final Level": 5})
    assert send(client, _event(services, row.id)).status_code == 200
    levels = {**LEVELS, 42: 5}
    result = services.workspace.repo("spbe_index_results").find("Indeks SPBE 2024")
    assert result["Index"] == pytest.approx(float(score_indicators(FW, levels).index))


def test_events_elsewhere_cost_nothing(client, services, year_2024):
    other = services.workspace.repo("spbe_indicators").create({"Name": "x"})
    event = _event(services, other.id, "evt-2")
    event["data"]["parent"] = {"id": "elsewhere", "type": "database", "data_source_id": "nope"}
    assert send(client, event).status_code == 200
    assert services.workspace.repo("spbe_index_results").query() == []
    assert services.queue.failed() == []


def test_malformed_or_gone_assessment_events_fail_no_job(client, services, year_2024):
    import uuid

    shapes = [{"entity": "x"}, {"data": []}, {"data": {"parent": "x"}}, {"entity": None},
              {"entity": {"type": "page"}}]
    for i, change in enumerate(shapes):
        event = _event(services, str(uuid.uuid4()), f"evt-s{i}") | change
        assert send(client, event).status_code == 200
    gone = _event(services, str(uuid.uuid4()), "evt-gone")  # deleted for good: Notion says 404
    assert send(client, gone).status_code == 200
    assert services.queue.failed() == []
