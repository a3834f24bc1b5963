"""Our responses have the keys and value types of real recorded Notion responses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from notion_client import APIResponseError

from .conftest import make_client

FIXTURES = Path(__file__).with_name("fixtures")


def load(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


# Keys in Notion's 2026-07 recordings (replayed in test_cassette_replay.py) that these older
# fixtures lack: a page's `is_archived`, a database's `archived`, a paragraph's `icon`.
NEWER_KEYS = frozenset({"is_archived", "archived", "icon"})


def shape_errors(ours, real, path: str = "$") -> list[str]:
    """Differences in structure: `null` in the recording accepts anything, `{}` any object."""
    if real is None:
        return []
    if isinstance(real, dict):
        if not isinstance(ours, dict):
            return [f"{path}: expected object, got {type(ours).__name__}"]
        if not real:
            return []
        errors = [f"{path}: missing key {k!r}" for k in real.keys() - ours.keys()]
        errors += [f"{path}: extra key {k!r}" for k in ours.keys() - real.keys() - NEWER_KEYS]
        for key in real.keys() & ours.keys():
            errors += shape_errors(ours[key], real[key], f"{path}.{key}")
        return errors
    if isinstance(real, list):
        if not isinstance(ours, list):
            return [f"{path}: expected array, got {type(ours).__name__}"]
        if not real:
            return []
        return [error for i, item in enumerate(ours)
                for error in shape_errors(item, real[0], f"{path}[{i}]")]
    if isinstance(real, bool) or isinstance(ours, bool):
        same = isinstance(real, bool) and isinstance(ours, bool)
    elif isinstance(real, int | float):
        same = isinstance(ours, int | float)
    else:
        same = type(ours) is type(real)
    return [] if same else [f"{path}: expected {type(real).__name__}, got {type(ours).__name__}"]


def test_shape_comparison_catches_differences():
    assert shape_errors({"a": 1, "b": [{"c": "x"}]}, {"a": 2.5, "b": [{"c": "y"}]}) == []
    assert shape_errors({"a": "1"}, {"a": 1}) == ["$.a: expected int, got str"]
    assert shape_errors({"a": 1, "z": 0}, {"a": 1}) == ["$: extra key 'z'"]
    assert shape_errors({"b": [{"d": 1}]}, {"b": [{"c": 1}]}) == [
        "$.b[0]: missing key 'c'", "$.b[0]: extra key 'd'"]


@pytest.fixture
def objects(client, workspace):
    page = client.pages.create(parent={"page_id": workspace.root_page_id},
                               properties={"title": [{"text": {"content": "Test page"}}]})
    db = client.databases.create(parent={"type": "page_id", "page_id": page["id"]},
                                 title=[{"type": "text", "text": {"content": "Test Database"}}])
    ds_id = db["data_sources"][0]["id"]
    row = client.pages.create(parent={"data_source_id": ds_id},
                              properties={"Name": {"title": [{"text": {"content": "row 2"}}]}})
    blocks = client.blocks.children.append(page["id"], children=[
        {"paragraph": {"rich_text": [{"text": {"content": "I'm a paragraph."}}]}}])
    return {"page": page, "database": db, "ds_id": ds_id, "row": row, "blocks": blocks}


def test_page_database_and_data_source(client, objects):
    assert shape_errors(objects["page"], load("page")) == []
    assert shape_errors(client.pages.retrieve(objects["page"]["id"]), load("page")) == []
    assert shape_errors(objects["database"], load("database")) == []
    retrieved = client.databases.retrieve(objects["database"]["id"])
    assert shape_errors(retrieved, load("database")) == []
    assert shape_errors(client.data_sources.retrieve(objects["ds_id"]), load("data_source")) == []


def test_query_and_block_lists(client, objects):
    listing = client.data_sources.query(objects["ds_id"])
    assert len(listing["results"]) == 1
    assert shape_errors(listing, load("query_list")) == []
    assert shape_errors(objects["blocks"], load("block_list")) == []
    children = client.blocks.children.list(objects["page"]["id"])
    paragraphs = {**children, "results": [b for b in children["results"]
                                          if b["type"] == "paragraph"]}
    assert shape_errors(paragraphs, load("block_list")) == []
    deleted = client.blocks.delete(objects["database"]["id"])
    assert shape_errors(deleted, load("child_database_block")) == []


def test_users_and_errors(client, workspace):
    workspace.add_user("Ayu")
    assert shape_errors(client.users.me(), load("user_bot")) == []
    users = client.users.list()
    people = {**users, "results": [u for u in users["results"] if u["type"] == "person"]}
    assert shape_errors(people, load("user_list")) == []
    with pytest.raises(APIResponseError) as caught:
        make_client(workspace, token="wrong").users.me()
    assert shape_errors(json.loads(caught.value.body), load("error")) == []
