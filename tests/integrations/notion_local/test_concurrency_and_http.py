"""Threads sharing one workspace, the /notion mount over real HTTP, and request speed."""

from __future__ import annotations

import statistics
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import make_server

from integrations.notion_local import LocalWorkspace

from .conftest import create_tasks, make_client, title


def _not_found(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


def test_parallel_writers_lose_nothing(workspace):
    clients = [make_client(workspace) for _ in range(4)]
    _, ds_id = create_tasks(clients[0], workspace.root_page_id)

    def write(n: int) -> str:
        client = clients[n % len(clients)]
        page = client.pages.create(parent={"data_source_id": ds_id},
                                   properties={"Name": title(f"p{n}"), "Score": {"number": n}})
        client.pages.update(page["id"], properties={"Score": {"number": n + 1000}})
        return page["id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(write, range(80)))
    rows = clients[0].data_sources.query(ds_id, filter={
        "property": "Score", "number": {"greater_than_or_equal_to": 1000}})["results"]
    assert len(set(ids)) == 80
    assert len(rows) == 80
    assert workspace.stats()["by_status"] == {"200": workspace.stats()["total"]}


@pytest.fixture
def served(tmp_path):
    workspace = LocalWorkspace(tmp_path / "served.sqlite3")
    app = DispatcherMiddleware(_not_found, {"/notion": workspace.wsgi_app})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield workspace, f"http://127.0.0.1:{server.server_port}/notion"
    server.shutdown()
    thread.join()
    workspace.close()


def test_mounted_under_notion_over_http(served):
    import logging

    import notion_client

    workspace, base_url = served
    with httpx.Client() as http:
        client = notion_client.Client(auth=workspace.token, base_url=base_url, client=http,
                                      retry=False, logger=logging.getLogger("test.notion_local"))
        assert client.users.me()["type"] == "bot"
        page = client.pages.retrieve(workspace.root_page_id)
        assert page["properties"]["title"]["title"][0]["plain_text"] == "SPBE Ops"
        assert httpx.get(f"{base_url}/v1/users/me").json()["code"] == "missing_version"
    assert workspace.stats()["by_endpoint"]["GET /v1/users/me"]["200"] == 1


def test_typical_requests_are_fast(tmp_path):
    workspace = LocalWorkspace(tmp_path / "fast.sqlite3")
    client = make_client(workspace)
    _, ds_id = create_tasks(client, workspace.root_page_id)
    for n in range(150):
        page = client.pages.create(parent={"data_source_id": ds_id},
                                   properties={"Name": title(f"row {n}"), "Score": {"number": n}})
    client.pages.retrieve(page["id"])
    client.data_sources.query(ds_id, filter={"property": "Score", "number": {"less_than": 10}})
    times = [r["ms"] for r in workspace.requests() if r["route"] == "/v1/pages"]
    # generous bound against regressions; measured median is about 1 ms
    assert statistics.median(times) < 25
    workspace.close()


def test_two_connections_on_one_file_see_each_other(tmp_path):
    path = tmp_path / "shared.sqlite3"
    first, second = LocalWorkspace(path), LocalWorkspace(path)
    assert first.token == second.token
    a, b = make_client(first), make_client(second)
    _, ds_id = create_tasks(a, first.root_page_id)
    assert b.data_sources.query(ds_id)["results"] == []

    def write(n: int) -> None:
        client = a if n % 2 else b
        client.pages.create(parent={"data_source_id": ds_id}, properties={"Name": title(str(n))})

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(40)))
    assert len(a.data_sources.query(ds_id)["results"]) == 40
    assert len(b.data_sources.query(ds_id)["results"]) == 40
    first.close()
    second.close()
