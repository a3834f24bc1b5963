"""Public progress pages come from a short TTL cache; Notion being unavailable is a 503."""

from datetime import date, timedelta

import pytest

from integrations.notion import Workspace
from tests.helpers import fixed_clock
from webapp import create_app
from webapp.progress import TTLCache
from workflows.progress.sync import reconcile
from workflows.services import Services

TODAY = date(2026, 11, 27)


@pytest.fixture
def clock():
    return fixed_clock(TODAY)


@pytest.fixture
def public(services):
    ws = services.workspace
    ids = []
    for name in ("Satu Data Bali", "Portal Layanan"):
        pid = ws.repo("projects").create({"Name": name, "Public": True, "Status": "In progress",
                                          "Start": TODAY - timedelta(30),
                                          "Due": TODAY + timedelta(30)}).id
        ws.repo("tasks").create({"Name": f"{name} 1", "Project": [pid], "Weight": 1, "Status": "Done"})
        ids.append(pid)
    reconcile(ws, TODAY)
    return ids


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_crawler_costs_one_query_per_page_kind_per_interval(app, client, services, public):
    ticks = Ticks()
    app.extensions["spbe.progress_cache"] = TTLCache(60, clock=ticks)
    calls = lambda: services.workspace.stats()["total"]  # noqa: E731
    paths = ["/progress/", "/progress/satu-data-bali", "/progress/portal-layanan",
             *(f"/progress/tidak-ada-{i}" for i in range(20))]
    before = calls()
    first = [client.get(p).status_code for p in paths]
    cost = calls() - before
    assert first[:3] == [200, 200, 200] and set(first[3:]) == {404}
    assert cost <= 1 + 2 * 3  # the projects query, then each public project's tasks (paginated)

    before = calls()
    for _ in range(10):
        assert [client.get(p).status_code for p in paths] == first
    assert calls() == before  # 230 more page views, no Notion request

    services.workspace.repo("projects").create({"Name": "Proyek Baru", "Public": True})
    assert "Proyek Baru" not in client.get("/progress/").get_data(as_text=True)
    ticks.now += 61  # the interval is over: one fresh query
    assert "Proyek Baru" in client.get("/progress/").get_data(as_text=True)
    assert calls() > before


def test_notion_unavailable_is_a_503_with_retry_after(settings, services, public):
    impatient = Workspace.embedded(services.workspace.local, settings.home() / "notion-local.json",
                                   max_attempts=1)
    client = create_app(settings, Services(settings, _workspace=impatient)).test_client()
    services.workspace.local.faults.outage(3600)
    resp = client.get("/progress/", headers={"Accept": "text/html"})
    assert resp.status_code == 503 and int(resp.headers["Retry-After"]) > 0
    assert "Notion" in resp.get_data(as_text=True)
    as_json = client.get("/progress/", headers={"Accept": "application/json"})
    assert as_json.status_code == 503 and as_json.get_json()["error"]["code"] == "unavailable"
