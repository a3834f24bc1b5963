"""Blocks, search, users and the request log."""

from __future__ import annotations

import pytest
from notion_client import APIResponseError, collect_paginated_api

from integrations.notion_local import read_stats

from .conftest import create_tasks, make_client, title


def para(content: str) -> dict:
    return {"object": "block", "type": "paragraph",
            "paragraph": {"rich_text": [{"type": "text", "text": {"content": content}}]}}


@pytest.fixture
def page(client, workspace):
    return client.pages.create(parent={"page_id": workspace.root_page_id},
                               properties={"title": title("Notes")["title"]},
                               children=[para("one")])


def texts(client, block_id: str) -> list[str]:
    blocks = collect_paginated_api(client.blocks.children.list, block_id=block_id)
    return [b[b["type"]]["rich_text"][0]["plain_text"] for b in blocks
            if b[b["type"]].get("rich_text")]


def test_append_list_update_delete(client, page):
    result = client.blocks.children.append(page["id"], children=[
        para("two"),
        {"heading_2": {"rich_text": [{"text": {"content": "head"}}]}},
        {"toggle": {"rich_text": [{"text": {"content": "fold"}}],
                    "children": [para("inside")]}},
        {"to_do": {"rich_text": [{"text": {"content": "task"}}], "checked": False}},
        {"divider": {}},
        {"code": {"rich_text": [{"text": {"content": "print(1)"}}], "language": "python"}},
        {"table": {"table_width": 2, "has_column_header": True, "children": [
            {"table_row": {"cells": [[{"text": {"content": "a"}}], [{"text": {"content": "b"}}]]}},
        ]}},
    ])
    assert result["object"] == "list" and result["type"] == "block" and result["block"] == {}
    assert len(result["results"]) == 7
    toggle = result["results"][2]
    assert toggle["has_children"] is True
    assert toggle["parent"] == {"type": "page_id", "page_id": page["id"]}
    assert texts(client, toggle["id"]) == ["inside"]
    assert texts(client, page["id"]) == ["one", "two", "head", "fold", "task", "print(1)"]
    todo = result["results"][3]
    updated = client.blocks.update(todo["id"], to_do={"checked": True})
    assert updated["to_do"]["checked"] is True
    assert updated["to_do"]["rich_text"][0]["plain_text"] == "task"
    deleted = client.blocks.delete(todo["id"])
    assert deleted["archived"] is True and deleted["in_trash"] is True
    assert "task" not in texts(client, page["id"])
    assert client.blocks.retrieve(todo["id"])["archived"] is True


def test_insert_after_and_at_start(client, page):
    first = client.blocks.children.list(page["id"])["results"][0]
    client.blocks.children.append(page["id"], children=[para("end")])
    client.blocks.children.append(page["id"], children=[para("after one")], after=first["id"])
    client.blocks.children.append(page["id"], children=[para("start")],
                                  position={"type": "start"})
    assert texts(client, page["id"]) == ["start", "one", "after one", "end"]


def test_nesting_beyond_two_levels_is_refused(client, page):
    deep = {"toggle": {"rich_text": [], "children": [
        {"toggle": {"rich_text": [], "children": [para("too deep")]}}]}}
    with pytest.raises(APIResponseError) as caught:
        client.blocks.children.append(page["id"], children=[deep])
    assert caught.value.code == "validation_error"


def test_pages_and_databases_are_child_blocks(client, workspace, page):
    root = client.blocks.children.list(workspace.root_page_id)["results"]
    assert [b["type"] for b in root] == ["child_page"]
    assert root[0]["child_page"] == {"title": "Notes"}
    assert root[0]["id"] == page["id"]
    db_id, _ = create_tasks(client, page["id"])
    kinds = [b["type"] for b in client.blocks.children.list(page["id"])["results"]]
    assert kinds == ["paragraph", "child_database"]
    removed = client.blocks.delete(page["id"])
    assert removed["type"] == "child_page" and removed["archived"] is True
    assert client.pages.retrieve(page["id"])["in_trash"] is True
    assert client.blocks.children.list(workspace.root_page_id)["results"] == []
    with pytest.raises(APIResponseError) as caught:
        client.blocks.children.append(page["id"], children=[para("x")])
    assert caught.value.code == "validation_error"
    assert db_id


def test_search_finds_pages_and_data_sources(client, workspace, page):
    _, ds_id = create_tasks(client, workspace.root_page_id)
    found = client.search(query="TASK", filter={"property": "object", "value": "data_source"})
    assert [r["id"] for r in found["results"]] == [ds_id]
    assert found["results"][0]["object"] == "data_source"
    assert found["type"] == "page_or_data_source"
    pages = client.search(query="notes", filter={"property": "object", "value": "page"})
    assert [r["id"] for r in pages["results"]] == [page["id"]]
    everything = client.search(sort={"direction": "ascending", "timestamp": "last_edited_time"})
    assert {r["object"] for r in everything["results"]} == {"page", "data_source"}
    small = client.search(page_size=1)
    assert small["has_more"] is True and len(small["results"]) == 1


def test_users(client, workspace):
    ayu = workspace.add_user("Ayu", "ayu@example.go.id")
    me = client.users.me()
    assert me["type"] == "bot" and me["bot"]["owner"] == {"type": "workspace", "workspace": True}
    listed = client.users.list()
    assert [u["id"] for u in listed["results"]] == [ayu, me["id"]]  # people first, as Notion
    assert listed["type"] == "user"
    person = client.users.retrieve(ayu)
    assert person == {"object": "user", "id": ayu, "name": "Ayu", "avatar_url": None,
                      "type": "person", "person": {"email": "ayu@example.go.id", "email_verified": False},
                      "request_id": person["request_id"]}


def test_token_and_root_persist(tmp_path):
    from integrations.notion_local import LocalWorkspace

    path = tmp_path / "w.sqlite3"
    first = LocalWorkspace(path)
    token, root = first.token, first.root_page_id
    first.close()
    again = LocalWorkspace(path)
    assert (again.token, again.root_page_id) == (token, root)
    assert token.startswith("secret_local_")
    again.close()


def test_stats_are_recorded_and_readable_from_the_file(tmp_path):
    from integrations.notion_local import LocalWorkspace

    workspace = LocalWorkspace(tmp_path / "stats.sqlite3")
    client = make_client(workspace)
    workspace.reset_stats()
    client.users.me()
    workspace.faults.inject(500)
    with pytest.raises(APIResponseError):
        client.users.me()
    client.pages.retrieve(workspace.root_page_id)
    stats = workspace.stats()
    assert stats["total"] == 3
    assert stats["by_endpoint"]["GET /v1/users/me"] == {"200": 1, "500": 1}
    assert stats["by_endpoint"]["GET /v1/pages/{id}"] == {"200": 1}
    assert stats["by_status"] == {"200": 2, "500": 1}
    assert read_stats(workspace.path) == stats
    assert read_stats(tmp_path / "absent.sqlite3")["total"] == 0
    log = workspace.requests()
    assert [r["route"] for r in log] == ["/v1/users/me", "/v1/users/me", "/v1/pages/{id}"]
    assert all(r["ms"] >= 0 for r in log)
    workspace.close()
