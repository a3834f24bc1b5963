"""PATCH /data_sources: add, rename, retype and delete properties; options; trash."""

from __future__ import annotations

import pytest
from notion_client import APIResponseError

from .conftest import create_tasks, title


@pytest.fixture
def source(client, workspace):
    _, ds_id = create_tasks(client, workspace.root_page_id)
    page = client.pages.create(parent={"data_source_id": ds_id},
                               properties={"Name": title("a"), "Score": {"number": 3},
                                           "Stage": {"select": {"name": "Draft"}}})
    return ds_id, page["id"]


def test_add_rename_and_delete(client, source):
    ds_id, page_id = source
    score_id = client.data_sources.retrieve(ds_id)["properties"]["Score"]["id"]
    updated = client.data_sources.update(ds_id, properties={
        "Score": {"name": "Points"}, "Notes": None, "Budget": {"number": {"format": "rupiah"}}})
    props = updated["properties"]
    assert "Score" not in props and props["Points"]["id"] == score_id
    assert "Notes" not in props
    assert props["Budget"]["number"] == {"format": "rupiah"}
    page = client.pages.retrieve(page_id)
    assert page["properties"]["Points"]["number"] == 3
    assert page["properties"]["Budget"]["number"] is None
    by_id = client.data_sources.query(ds_id, filter={"property": score_id,
                                                     "number": {"equals": 3}})
    assert len(by_id["results"]) == 1
    with pytest.raises(APIResponseError):
        client.pages.update(page_id, properties={"Score": {"number": 1}})


def test_options_are_added_and_kept(client, source):
    ds_id, _ = source
    updated = client.data_sources.update(ds_id, properties={
        "Stage": {"select": {"options": [{"name": "Archived", "color": "red"}]}},
        "Status": {"status": {"options": [{"name": "Blocked"}]}}})
    stage = [o["name"] for o in updated["properties"]["Stage"]["select"]["options"]]
    assert stage == ["Draft", "Review", "Final", "Archived"]
    status = updated["properties"]["Status"]["status"]
    assert [o["name"] for o in status["options"]][-1] == "Blocked"
    grouped = [i for g in status["groups"] for i in g["option_ids"]]
    assert sorted(grouped) == sorted(o["id"] for o in status["options"])


def test_retype_drops_old_values(client, source):
    ds_id, page_id = source
    client.data_sources.update(ds_id, properties={"Score": {"rich_text": {}}})
    page = client.pages.retrieve(page_id)
    assert page["properties"]["Score"] == {"id": page["properties"]["Score"]["id"],
                                           "type": "rich_text", "rich_text": []}


def test_schema_errors(client, source):
    ds_id, _ = source
    with pytest.raises(APIResponseError) as caught:
        client.data_sources.update(ds_id, properties={"Ghost": None})
    assert caught.value.code == "validation_error"
    with pytest.raises(APIResponseError):
        client.data_sources.update(ds_id, properties={"Name": None})
    with pytest.raises(APIResponseError):
        client.data_sources.update(ds_id, properties={"Score": {"name": "Stage"}})
    with pytest.raises(APIResponseError):
        client.data_sources.update(ds_id, properties={"F": {"formula": {"expression": "1"}}})


def test_trash_and_title(client, workspace, source):
    ds_id, _ = source
    renamed = client.data_sources.update(ds_id, title=[{"text": {"content": "Renamed"}}])
    assert renamed["title"][0]["plain_text"] == "Renamed"
    db_id = renamed["parent"]["database_id"]
    assert client.databases.retrieve(db_id)["data_sources"][0]["name"] == "Renamed"
    trashed = client.data_sources.update(ds_id, in_trash=True)
    assert trashed["in_trash"] is True and trashed["archived"] is True
    found = client.search(query="Renamed", filter={"property": "object", "value": "data_source"})
    assert found["results"] == []
    db = client.databases.update(db_id, title=[{"text": {"content": "Projects"}}],
                                 description=[{"text": {"content": "All projects"}}])
    assert db["title"][0]["plain_text"] == "Projects"
    assert db["description"][0]["plain_text"] == "All projects"


def test_second_data_source(client, workspace, source):
    ds_id, _ = source
    db_id = client.data_sources.retrieve(ds_id)["parent"]["database_id"]
    extra = client.data_sources.create(parent={"type": "database_id", "database_id": db_id},
                                       properties={"Title": {"title": {}}},
                                       title=[{"text": {"content": "Archive"}}])
    assert extra["parent"]["database_id"] == db_id
    names = [s["name"] for s in client.databases.retrieve(db_id)["data_sources"]]
    assert names == ["Tasks", "Archive"]
