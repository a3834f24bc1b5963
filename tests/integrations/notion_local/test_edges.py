"""Smaller contracts: query-string forms, URL limits, property items, list pagination."""

from __future__ import annotations

import pytest
from notion_client import APIResponseError, collect_paginated_api

from .conftest import create_tasks, title


@pytest.fixture
def ds_id(client, workspace):
    return create_tasks(client, workspace.root_page_id)[1]


def test_filter_properties_with_brackets(raw, workspace, client, ds_id):
    page = client.pages.create(parent={"data_source_id": ds_id},
                               properties={"Name": title("a"), "Score": {"number": 1}})
    headers = {"Notion-Version": "2025-09-03", "Authorization": f"Bearer {workspace.token}"}
    response = raw.post(f"/v1/data_sources/{ds_id}/query?filter_properties[]=Score"
                        "&filter_properties[]=title", headers=headers, json={})
    assert set(response.json()["results"][0]["properties"]) == {"Score", "Name"}
    response = raw.get(f"/v1/pages/{page['id']}?filter_properties=Score", headers=headers)
    assert list(response.json()["properties"]) == ["Score"]


def test_url_longer_than_2000_is_refused(client, ds_id):
    with pytest.raises(APIResponseError) as caught:
        client.pages.create(parent={"data_source_id": ds_id},
                            properties={"Link": {"url": "https://x.id/" + "a" * 2000}})
    assert "body.properties.Link.url.length should be ≤ `2000`" in str(caught.value)


def test_page_property_items(client, ds_id, workspace):
    person = workspace.add_user("Ayu")
    page = client.pages.create(parent={"data_source_id": ds_id},
                               properties={"Name": title("a"), "Score": {"number": 7},
                                           "Owner": {"people": [{"id": person}]}})
    score_id = page["properties"]["Score"]["id"]
    item = client.pages.properties.retrieve(page["id"], score_id)
    assert item["object"] == "property_item" and item["number"] == 7
    people = client.pages.properties.retrieve(page["id"], page["properties"]["Owner"]["id"])
    assert people["object"] == "list"
    assert people["results"][0]["people"]["id"] == person


def test_block_and_user_lists_paginate(client, workspace):
    page = client.pages.create(parent={"page_id": workspace.root_page_id},
                               properties={"title": [{"text": {"content": "Long"}}]})
    for batch in range(2):
        client.blocks.children.append(page["id"], children=[
            {"paragraph": {"rich_text": [{"text": {"content": f"{batch}-{i}"}}]}}
            for i in range(60)])
    first = client.blocks.children.list(page["id"])
    assert len(first["results"]) == 100 and first["has_more"] is True
    every = collect_paginated_api(client.blocks.children.list, block_id=page["id"])
    assert len(every) == 120
    for n in range(3):
        workspace.add_user(f"user {n}")
    users = collect_paginated_api(client.users.list, page_size=2)
    assert len(users) == 4


def test_page_size_over_100_is_refused(client, ds_id):
    with pytest.raises(APIResponseError) as caught:
        client.data_sources.query(ds_id, page_size=101)
    assert str(caught.value) == (
        "body failed validation: body.page_size should be ≤ `100`, instead was `101`.")


def test_trailing_update_keeps_other_values(client, ds_id):
    page = client.pages.create(parent={"data_source_id": ds_id},
                               properties={"Name": title("keep"), "Score": {"number": 1},
                                           "Tags": {"multi_select": [{"name": "a"}]}})
    client.pages.update(page["id"], properties={"Score": {"number": 2}})
    after = client.pages.retrieve(page["id"])["properties"]
    assert after["Name"]["title"][0]["plain_text"] == "keep"
    assert [t["name"] for t in after["Tags"]["multi_select"]] == ["a"]
    assert after["Edited"]["last_edited_time"] >= page["last_edited_time"]
