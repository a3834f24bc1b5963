"""Databases, pages of every property type, filters, sorts and pagination via notion_client."""

from __future__ import annotations

import pytest
from notion_client import APIResponseError, collect_paginated_api

from .conftest import create_tasks, text, title


@pytest.fixture
def tasks(client, workspace):
    return create_tasks(client, workspace.root_page_id)


def test_database_has_a_data_source_with_the_schema(client, tasks):
    db_id, ds_id = tasks
    db = client.databases.retrieve(db_id)
    assert db["object"] == "database"
    assert db["data_sources"] == [{"id": ds_id, "name": "Tasks"}]
    assert "properties" not in db
    source = client.data_sources.retrieve(ds_id)
    assert source["parent"] == {"type": "database_id", "database_id": db_id}
    assert source["properties"]["Name"] == {"id": "title", "name": "Name", "description": None,
                                            "type": "title", "title": {}}
    status = source["properties"]["Status"]["status"]
    assert [o["name"] for o in status["options"]] == ["Not started", "In progress", "Done"]
    assert [g["name"] for g in status["groups"]] == ["To-do", "In progress", "Complete"]


def test_title_property_added_when_schema_lacks_one(client, workspace):
    db = client.databases.create(parent={"page_id": workspace.root_page_id},
                                 title=[{"text": {"content": "Bare"}}])
    source = client.data_sources.retrieve(db["data_sources"][0]["id"])
    assert list(source["properties"]) == ["Name"]


def test_page_with_every_property_type(client, workspace, tasks):
    _, ds_id = tasks
    person = workspace.add_user("Ayu", "ayu@example.go.id")
    page = client.pages.create(
        parent={"type": "data_source_id", "data_source_id": ds_id},
        properties={
            "Name": title("Audit web"), "Notes": text("first"), "Score": {"number": 4.5},
            "Stage": {"select": {"name": "Review"}},
            "Tags": {"multi_select": [{"name": "a"}, {"name": "new"}]},
            "Status": {"status": {"name": "In progress"}},
            "Due": {"date": {"start": "2026-12-01", "end": None}},
            "Owner": {"people": [{"object": "user", "id": person}]},
            "Done": {"checkbox": True}, "Link": {"url": "https://example.go.id"},
            "Mail": {"email": "x@example.go.id"}, "Phone": {"phone_number": "+62 361"},
            "Files": {"files": [{"name": "a.pdf", "external": {"url": "https://e.x/a.pdf"}}]},
        },
    )
    props = page["properties"]
    assert page["parent"]["data_source_id"] == ds_id
    assert props["Name"]["title"][0]["plain_text"] == "Audit web"
    assert props["Notes"]["rich_text"][0]["annotations"]["color"] == "default"
    assert props["Score"]["number"] == 4.5
    assert props["Stage"]["select"]["name"] == "Review"
    assert [o["name"] for o in props["Tags"]["multi_select"]] == ["a", "new"]
    assert props["Status"]["status"]["name"] == "In progress"
    assert props["Due"]["date"] == {"start": "2026-12-01", "end": None, "time_zone": None}
    assert props["Owner"]["people"] == [{"object": "user", "id": person}]
    assert props["Done"]["checkbox"] is True
    assert props["Files"]["files"][0]["external"]["url"] == "https://e.x/a.pdf"
    assert props["Created"]["created_time"] == page["created_time"]
    assert props["Ref"]["unique_id"] == {"prefix": "T", "number": 1}
    assert page["created_time"].endswith("Z") and len(page["created_time"]) == 24
    schema = client.data_sources.retrieve(ds_id)["properties"]
    assert "new" in [o["name"] for o in schema["Tags"]["multi_select"]["options"]]


def test_relation_values(client, workspace, tasks):
    _, ds_id = tasks
    schema = {"Name": {"title": {}},
              "Task": {"relation": {"data_source_id": ds_id, "type": "single_property",
                                    "single_property": {}}}}
    db_id, other = create_tasks(client, workspace.root_page_id, schema)
    relation = client.data_sources.retrieve(other)["properties"]["Task"]["relation"]
    assert relation["data_source_id"] == ds_id and relation["database_id"]
    task = client.pages.create(parent={"data_source_id": ds_id}, properties={"Name": title("t")})
    page = client.pages.create(parent={"database_id": db_id},
                               properties={"Name": title("r"),
                                           "Task": {"relation": [{"id": task["id"]}]}})
    assert page["properties"]["Task"] == {"id": page["properties"]["Task"]["id"],
                                          "type": "relation",
                                          "relation": [{"id": task["id"]}], "has_more": False}
    hits = client.data_sources.query(other, filter={"property": "Task",
                                                    "relation": {"contains": task["id"]}})
    assert [p["id"] for p in hits["results"]] == [page["id"]]


def test_update_page_changes_last_edited_time(client, tasks, clock):
    _, ds_id = tasks
    page = client.pages.create(parent={"data_source_id": ds_id}, properties={"Name": title("a")})
    clock.advance(minutes=2)
    updated = client.pages.update(page["id"], properties={"Score": {"number": 2}})
    assert updated["properties"]["Score"]["number"] == 2
    assert updated["last_edited_time"] > page["last_edited_time"]
    assert updated["created_time"] == page["created_time"]
    again = client.pages.retrieve(page["id"].replace("-", ""))
    assert again["properties"]["Score"]["number"] == 2


def test_archived_page_is_readable_but_not_editable(client, tasks):
    _, ds_id = tasks
    page = client.pages.create(parent={"data_source_id": ds_id}, properties={"Name": title("a")})
    client.pages.update(page["id"], in_trash=True)
    assert client.pages.retrieve(page["id"])["archived"] is True
    with pytest.raises(APIResponseError) as caught:
        client.pages.update(page["id"], properties={"Score": {"number": 1}})
    assert caught.value.code == "validation_error"
    assert "archived" in str(caught.value)
    assert client.data_sources.query(ds_id)["results"] == []
    trashed = client.data_sources.query(ds_id, in_trash=True)["results"]
    assert [p["id"] for p in trashed] == [page["id"]]
    restored = client.pages.update(page["id"], in_trash=False, properties={"Score": {"number": 1}})
    assert restored["in_trash"] is False


def test_pagination_130_rows_as_100_and_30(client, tasks):
    _, ds_id = tasks
    for i in range(130):
        client.pages.create(parent={"data_source_id": ds_id},
                            properties={"Name": title(f"row {i}"), "Score": {"number": i}})
    query = {"filter": {"property": "Score", "number": {"greater_than_or_equal_to": 0}}}
    first = client.data_sources.query(ds_id, **query)
    assert len(first["results"]) == 100 and first["has_more"] is True
    second = client.data_sources.query(ds_id, start_cursor=first["next_cursor"], **query)
    assert len(second["results"]) == 30 and second["has_more"] is False
    assert second["next_cursor"] is None
    ids = [p["id"] for p in first["results"] + second["results"]]
    assert len(set(ids)) == 130
    rows = collect_paginated_api(client.data_sources.query, data_source_id=ds_id, page_size=7)
    assert [p["properties"]["Score"]["number"] for p in rows] == list(range(130))


def test_cursor_survives_inserts_between_pages(client, tasks):
    _, ds_id = tasks
    for i in range(5):
        client.pages.create(parent={"data_source_id": ds_id}, properties={"Name": title(str(i))})
    first = client.data_sources.query(ds_id, page_size=3)
    client.pages.create(parent={"data_source_id": ds_id}, properties={"Name": title("late")})
    rest = client.data_sources.query(ds_id, page_size=3, start_cursor=first["next_cursor"])
    names = [p["properties"]["Name"]["title"][0]["plain_text"]
             for p in first["results"] + rest["results"]]
    assert names == ["0", "1", "2", "3", "4", "late"]


def test_filter_properties_limits_returned_properties(client, tasks):
    _, ds_id = tasks
    client.pages.create(parent={"data_source_id": ds_id},
                        properties={"Name": title("a"), "Score": {"number": 1}})
    result = client.data_sources.query(ds_id, filter_properties=["Score"])
    assert list(result["results"][0]["properties"]) == ["Score"]
